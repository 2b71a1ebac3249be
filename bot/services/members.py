"""Members: who they are (display name) and which time zone their days follow."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import Clock
from bot.db import Database
from bot.domain.zones import parse_zone


@dataclass(frozen=True)
class MemberZone:
    zone: ZoneInfo
    # True when the member chose it with /timezone, False when it is the server's.
    own: bool


def iso(clock: Clock) -> str:
    return clock.now().isoformat(timespec="seconds")


async def ensure_member(
    conn: aiosqlite.Connection, guild_id: int, user_id: int, display_name: str, now: str
) -> None:
    """Create the server and member rows if needed and refresh the display name.

    Runs inside the caller's write transaction, so a check-in never waits on a second one.
    """
    await conn.execute(
        "INSERT INTO guilds (guild_id, created_at, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO NOTHING",
        (guild_id, now, now),
    )
    await conn.execute(
        "INSERT INTO members (guild_id, user_id, display_name, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (guild_id, user_id) DO UPDATE SET display_name = excluded.display_name "
        "WHERE display_name IS NOT excluded.display_name",
        (guild_id, user_id, display_name, now),
    )


async def zone_of(conn: aiosqlite.Connection, guild_id: int, user_id: int) -> MemberZone:
    cursor = await conn.execute(
        "SELECT m.timezone, g.timezone FROM guilds g "
        "LEFT JOIN members m ON m.guild_id = g.guild_id AND m.user_id = ? "
        "WHERE g.guild_id = ?",
        (user_id, guild_id),
    )
    row = await cursor.fetchone()
    if row is None:
        return MemberZone(ZoneInfo("UTC"), own=False)
    member_zone, guild_zone = row
    if member_zone:
        return MemberZone(ZoneInfo(member_zone), own=True)
    return MemberZone(ZoneInfo(guild_zone or "UTC"), own=False)


class MemberService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        # Names already stored, so recording every interaction costs no write.
        self._known: dict[tuple[int, int], str] = {}

    async def remember(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Record a member at their first interaction, and again when their name changes."""
        if self._known.get((guild_id, user_id)) == display_name:
            return
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, display_name, iso(self._clock))
        self._known[(guild_id, user_id)] = display_name

    async def set_timezone(
        self, guild_id: int, user_id: int, display_name: str, zone_name: str
    ) -> ZoneInfo:
        zone = parse_zone(zone_name)
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, display_name, iso(self._clock))
            await conn.execute(
                "UPDATE members SET timezone = ? WHERE guild_id = ? AND user_id = ?",
                (zone.key, guild_id, user_id),
            )
        self._known[(guild_id, user_id)] = display_name
        return zone

    async def zone(self, guild_id: int, user_id: int) -> MemberZone:
        async with self._db.reader() as conn:
            return await zone_of(conn, guild_id, user_id)

    async def display_name(self, guild_id: int, user_id: int) -> str | None:
        async with self._db.reader() as conn:
            cursor = await conn.execute(
                "SELECT display_name FROM members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            row = await cursor.fetchone()
        return None if row is None else str(row[0])
