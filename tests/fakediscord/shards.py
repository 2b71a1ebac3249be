"""Sessions by shard: who gets which event, and Discord's IDENTIFY spacing.

Discord puts a guild on shard `(guild_id >> 22) % shard_count`; its events go to the sessions of
that shard and events without a guild (DMs) to shard 0. Several sessions of one shard may be live
at once, as while a deploy starts the new process before the old one has closed: guild events
reach all of them, an INTERACTION_CREATE only the one identified last, so a command is answered
once.
"""

from __future__ import annotations

import itertools
import secrets
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gateway import Connection

_REPLAY_LIMIT = 2000
_GUILD_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")  # the guild's own id is "id"


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def guild_of(event: str, data: Any) -> int | None:
    """The guild an event belongs to, which picks its shard; None for DMs."""
    if not isinstance(data, dict):
        return None
    value = data.get("id" if event in _GUILD_EVENTS else "guild_id")
    return int(value) if value else None


@dataclass(frozen=True)
class GuildDelivery:
    """One GUILD_CREATE handed to a session (at READY or when a guild was added later)."""

    guild_id: int
    shard_id: int
    session_id: str


class Session:
    def __init__(self, intents: int, shard: list[int] | None, shard_id: int, order: int) -> None:
        self.id = secrets.token_hex(16)
        self.intents = intents
        self.shard = shard  # as the IDENTIFY sent it; None when the bot does not shard
        self.shard_id = shard_id
        self.seq = 0
        self.log: deque[dict[str, Any]] = deque(maxlen=_REPLAY_LIMIT)
        self.connection: Connection | None = None
        self.identified = order  # larger: identified later
        self.active = order  # the same, moved on by each RESUME
        self.guild_ids: list[int] = []  # GUILD_CREATEs it was sent, in order

    @property
    def live(self) -> bool:
        return self.connection is not None and not self.connection.ws.closed

    def __repr__(self) -> str:
        state = "live" if self.live else "away"
        return f"<Session {self.id[:8]} shard={self.shard_id} {state} seq={self.seq}>"


class Shards:
    """The sessions Discord would still resume, and which guilds each one was sent."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.sessions: dict[str, Session] = {}
        self.deliveries: list[GuildDelivery] = []  # kept after their sessions end
        self._order = itertools.count(1)

    def shard_of(self, guild_id: int | None) -> int:
        return 0 if guild_id is None else shard_of(guild_id, self.count)

    def of(self, shard_id: int) -> list[Session]:
        """The shard's sessions, oldest IDENTIFY first."""
        found = [s for s in self.sessions.values() if s.shard_id == shard_id]
        return sorted(found, key=lambda s: s.identified)

    def start(self, intents: int, shard: list[int] | None, shard_id: int) -> Session:
        for old in self.of(shard_id):
            if not old.live:
                self.end(old)  # the bot identified afresh instead of resuming it
        session = Session(intents, shard, shard_id, next(self._order))
        self.sessions[session.id] = session
        return session

    def resumed(self, session: Session) -> None:
        session.active = next(self._order)

    def end(self, session: Session) -> None:
        self.sessions.pop(session.id, None)

    def delivered(self, session: Session, guild_id: int) -> None:
        session.guild_ids.append(guild_id)
        self.deliveries.append(GuildDelivery(guild_id, session.shard_id, session.id))

    def receivers(self, guild_id: int | None) -> list[Session]:
        """Every session of the guild's shard; a disconnected one keeps the event for RESUME."""
        return self.of(self.shard_of(guild_id))

    def interaction_receiver(self, guild_id: int | None) -> Session | None:
        """The live session identified last; with none live, the last one, for its RESUME."""
        sessions = self.of(self.shard_of(guild_id))
        live = [s for s in sessions if s.live]
        candidates = live or sessions
        return candidates[-1] if candidates else None

    def latest(self, *, live: bool = False, shard_id: int | None = None) -> Session | None:
        """The session identified or resumed last (of one shard, or any)."""
        found = [
            s
            for s in self.sessions.values()
            if (not live or s.live) and (shard_id is None or s.shard_id == shard_id)
        ]
        return max(found, key=lambda s: s.active, default=None)

    def refusal(self, shard: Any) -> tuple[int, str] | None:
        """Why Discord would close a connection whose IDENTIFY had this `shard` (None: fine)."""
        count = self.count
        if shard is None:
            if count == 1:
                return None  # an unsharded bot is shard 0 of 1
            return 4011, f"Sharding required: this app has {count} shards, IDENTIFY had no shard"
        if not (
            isinstance(shard, list)
            and len(shard) == 2
            and all(type(n) is int for n in shard)
            and 0 <= shard[0] < shard[1]
        ):
            return 4010, f"Invalid shard {shard!r}: want [shard_id, shard_count]"
        if shard[1] != count:
            # Stricter than Discord, which takes any count large enough: a bot that does not
            # use the count it was given would put guilds on shards the test does not expect.
            return 4010, f"Invalid shard {shard}: this app has {count} shards"
        return None

    def missing(self) -> list[int]:
        """Shards without a live session: the bot is not fully connected until this is empty."""
        return [i for i in range(self.count) if not any(s.live for s in self.of(i))]


class IdentifyLimit:
    """Discord's rule: one IDENTIFY per `spacing` seconds in each bucket `shard % concurrency`."""

    def __init__(self, max_concurrency: int, spacing: float | None) -> None:
        self.max_concurrency = max_concurrency
        self.spacing = spacing
        self.times: dict[int, list[float]] = {}  # bucket -> when each IDENTIFY came

    def record(self, shard_id: int, now: float) -> str | None:
        """Note an IDENTIFY; a problem line if it came too soon after the bucket's last one."""
        bucket = shard_id % self.max_concurrency
        times = self.times.setdefault(bucket, [])
        last = times[-1] if times else None
        times.append(now)
        if self.spacing is None or last is None or now - last >= self.spacing:
            return None
        return (
            f"gateway: shard {shard_id} identified {now - last:.3f} s after the last IDENTIFY "
            f"in its bucket {bucket} (max_concurrency {self.max_concurrency}); Discord wants "
            f"{self.spacing} s between them"
        )
