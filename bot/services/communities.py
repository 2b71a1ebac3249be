"""Server settings: the study channel, time zone, post times and pauses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.days import local_day, parse_until
from bot.domain.schedule import WEEKDAY_NAMES, parse_hhmm
from bot.domain.selection import DEFAULT_PATTERN
from bot.domain.zones import parse_zone
from bot.errors import UserError
from bot.store import communities as store_communities
from bot.store import organisers as store_organisers
from bot.store.connection import AsyncConnection
from bot.store.database import Database

MAX_PAUSE_DAYS = 365


@dataclass(frozen=True)
class CommunitySettings:
    community_id: str
    channel_id: str | None
    zone: ZoneInfo
    post_time: time
    leaderboard_day: int
    leaderboard_time: time | None
    paused: bool
    paused_until: date | None
    pattern: str
    source: str = "bundled"

    @property
    def weekly_time(self) -> time:
        return self.leaderboard_time or self.post_time

    def is_paused_on(self, day: date) -> bool:
        return self.paused and (self.paused_until is None or day <= self.paused_until)


def defaults(community_id: str) -> CommunitySettings:
    return CommunitySettings(
        community_id, None, ZoneInfo("UTC"), time(9, 0), 0, None, False, None, DEFAULT_PATTERN
    )


def from_row(row: tuple[object, ...]) -> CommunitySettings:
    gid, channel, zone, post, lb_day, lb_time, paused, until, pattern, source = tuple(row)
    return CommunitySettings(
        community_id=str(gid),
        channel_id=None if channel is None else str(channel),
        zone=ZoneInfo(str(zone)),
        post_time=time.fromisoformat(str(post)),
        leaderboard_day=int(str(lb_day)),
        leaderboard_time=None if lb_time is None else time.fromisoformat(str(lb_time)),
        paused=bool(paused),
        paused_until=None if until is None else date.fromisoformat(str(until)),
        pattern=str(pattern),
        source=str(source),
    )


async def read_settings(conn: AsyncConnection, community_id: str) -> CommunitySettings:
    """The server's settings, or the defaults for a server that has none yet."""
    row = await conn.run(store_communities.settings_row, community_id)
    return defaults(community_id) if row is None else from_row(row)


class CommunitySettingsService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, community_id: str) -> CommunitySettings:
        async with self._db.reader() as conn:
            return await read_settings(conn, community_id)

    async def exists(self, community_id: str) -> bool:
        """Whether the bot has met this community (someone used it there)."""
        async with self._db.reader() as conn:
            return await conn.run(store_communities.exists, community_id)

    async def configured(self) -> list[CommunitySettings]:
        """Every server with a study channel: the ones that get scheduled posts."""
        async with self._db.reader() as conn:
            return [from_row(row) for row in await conn.run(store_communities.configured_rows)]

    async def setup(
        self,
        community_id: str,
        channel_id: str,
        zone_name: str,
        post_time: str = "09:00",
        leaderboard_day: str = "monday",
        leaderboard_time: str | None = None,
    ) -> CommunitySettings:
        zone = parse_zone(zone_name)
        post = parse_hhmm(post_time, "post_time")
        weekly = (
            None if leaderboard_time is None else parse_hhmm(leaderboard_time, "leaderboard_time")
        )
        if leaderboard_day.lower() not in WEEKDAY_NAMES:
            raise UserError("weekday", option="leaderboard_day", names=WEEKDAY_NAMES)
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(
                store_communities.save_settings,
                community_id,
                now,
                {
                    "channel_id": channel_id,
                    "timezone": zone.key,
                    "post_time": post.strftime("%H:%M"),
                    "leaderboard_day": WEEKDAY_NAMES.index(leaderboard_day.lower()),
                    "leaderboard_time": None if weekly is None else weekly.strftime("%H:%M"),
                },
            )
        return await self.get(community_id)

    async def pause(self, community_id: str, until: str | None) -> CommunitySettings:
        settings = await self.get(community_id)
        today = local_day(self._clock.now(), settings.zone)
        last_day = None if until is None else parse_until(until, today, MAX_PAUSE_DAYS + 1)
        await self._set_pause(community_id, True, last_day)
        return await self.get(community_id)

    async def resume(self, community_id: str) -> CommunitySettings:
        await self._set_pause(community_id, False, None)
        return await self.get(community_id)

    async def _set_pause(self, community_id: str, paused: bool, until: date | None) -> None:
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(
                store_communities.save_settings,
                community_id,
                now,
                {
                    "paused": int(paused),
                    "paused_until": None if until is None else until.isoformat(),
                },
            )

    async def organisers(self, community_id: str) -> list[str]:
        async with self._db.reader() as conn:
            return await conn.run(store_organisers.listed, community_id)

    async def is_organiser(self, community_id: str, user_id: str) -> bool:
        async with self._db.reader() as conn:
            return await conn.run(store_organisers.is_organiser, community_id, user_id)

    async def name_organiser(self, community_id: str, user_id: str, named_by: str) -> bool:
        """True if the member was not an organiser before."""
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            return await conn.run(store_organisers.add, community_id, user_id, named_by, now)

    async def drop_organiser(self, community_id: str, user_id: str) -> bool:
        async with self._db.transaction() as conn:
            return await conn.run(store_organisers.remove, community_id, user_id)
