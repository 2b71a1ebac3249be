"""Members: who they are (display name) and which time zone their days follow."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.zones import parse_zone
from bot.errors import UserError
from bot.store import members
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from bot.store.members import MemberZone
from bot.store.sql import Sql

# Newcomers met within this window are recorded in one commit. Arriving a few milliseconds
# apart, each would otherwise commit alone, and at hundreds a second those commits cost ten
# times the writes themselves (docs/benchmarks.md).
RECORDING_WINDOW_SECONDS = 0.02


def known_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return parse_zone(name).key
    except UserError:
        return None


def iso(clock: Clock) -> str:
    return clock.now().isoformat(timespec="seconds")


async def ensure_member(
    conn: AsyncConnection, community_id: str, user_id: str, display_name: str, now: str
) -> None:
    """Create the server and member rows if needed and refresh the display name.

    Runs inside the caller's write transaction, so a check-in never waits on a second one.
    """
    await conn.run(members.ensure_member, community_id, user_id, display_name, now)


async def zone_of(conn: AsyncConnection, community_id: str, user_id: str) -> MemberZone:
    return await conn.run(members.zone_of, community_id, user_id)


class MemberService:
    def __init__(
        self, db: Database, clock: Clock, recording_window: float = RECORDING_WINDOW_SECONDS
    ) -> None:
        self._db = db
        self._clock = clock
        # Names already stored, so recording every interaction costs no write.
        self._known: dict[tuple[str, str], str] = {}
        self._recording_window = recording_window
        self._window_closes: asyncio.Future[None] | None = None
        # How many times each member was forgotten: a recording that began before the latest
        # forget must not write them back.
        self._forgets: dict[tuple[str, str], int] = {}

    def forget_cached(self, community_id: str, user_id: str) -> None:
        """Call before deleting the member: recordings still waiting then write nothing."""
        key = (community_id, user_id)
        self._known.pop(key, None)
        self._forgets[key] = self._forgets.get(key, 0) + 1

    async def remember(
        self, community_id: str, user_id: str, display_name: str, profile_zone: str | None = None
    ) -> None:
        """Record a member at their first interaction, and again when their name changes.

        `profile_zone` is the zone the platform knows for the member (Slack's profile has one):
        a member who never chose a zone starts from it instead of the community's.
        """
        key = (community_id, user_id)
        if self._known.get(key) == display_name:
            return
        now = iso(self._clock)
        zone = known_zone(profile_zone)
        forgets = self._forgets.get(key, 0)

        def write(conn: Sql) -> bool:
            # Checked in the writer, in turn with the forget's own transaction: whichever
            # runs first, a member who asked to be forgotten is not recorded again.
            if self._forgets.get(key, 0) != forgets:
                return False
            members.ensure_member(conn, community_id, user_id, display_name, now)
            if zone is not None:
                members.adopt_timezone(conn, community_id, user_id, zone)
            return True

        await self._recording_window_closed()
        # Every write queued as the window closes shares one commit, each in its own savepoint.
        if await self._db.write_batched(write):
            self._known[key] = display_name

    async def _recording_window_closed(self) -> None:
        if self._window_closes is None:
            closes = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_later(self._recording_window, self._close_window)
            self._window_closes = closes
        await asyncio.shield(self._window_closes)

    def _close_window(self) -> None:
        closes, self._window_closes = self._window_closes, None
        if closes is not None:
            closes.set_result(None)

    async def set_timezone(
        self, community_id: str, user_id: str, display_name: str, zone_name: str
    ) -> ZoneInfo:
        zone = parse_zone(zone_name)
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, display_name, iso(self._clock))
            await conn.run(members.set_timezone, community_id, user_id, zone.key)
        self._known[(community_id, user_id)] = display_name
        return zone

    async def zone(self, community_id: str, user_id: str) -> MemberZone:
        async with self._db.reader() as conn:
            return await zone_of(conn, community_id, user_id)

    async def display_name(self, community_id: str, user_id: str) -> str | None:
        async with self._db.reader() as conn:
            return await conn.run(members.display_name, community_id, user_id)
