"""Which Discord shard a server belongs to, and which shards a process runs.

Discord sends each server's events on shard `(guild_id >> 22) % shard_count`; the process that
runs that shard is the one that serves the server, its posts and reminders included.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """`count` None: Discord's recommended count, every shard here. `ids` None: every shard."""

    count: int | None = None
    ids: tuple[int, ...] | None = None

    @property
    def runs_every_shard(self) -> bool:
        return self.ids is None or self.count is None or len(self.ids) == self.count

    @property
    def runs_shard_zero(self) -> bool:
        """The owner of shard 0 does the work done once for everyone (sync, retention, Slack)."""
        return self.ids is None or 0 in self.ids

    def serves_guild(self, guild_id: int) -> bool:
        if self.count is None or self.ids is None:
            return True
        return shard_of(guild_id, self.count) in self.ids


def parse_shard_ids(text: str, count: int) -> tuple[int, ...]:
    """`0,1`, `0-3` or a mix (`0-3,8`); ValueError says what is wrong in a few words."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard number or a range")
        first, last = int(low), int(high) if dash else int(low)
        if first > last:
            raise ValueError(f"the range {part!r} runs backwards")
        if last >= count:
            raise ValueError(
                f"shard {last} does not exist: there are {count}, numbered 0 to {count - 1}"
            )
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError("no shard is listed")
    return tuple(sorted(ids))
