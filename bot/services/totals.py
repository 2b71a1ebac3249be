"""Per-member leaderboard totals, updated inside the caller's write transaction."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import aiosqlite

from bot.domain.ranking import period_keys


async def server_zone(conn: aiosqlite.Connection, guild_id: int) -> ZoneInfo:
    cursor = await conn.execute("SELECT timezone FROM guilds WHERE guild_id = ?", (guild_id,))
    row = await cursor.fetchone()
    return ZoneInfo(row[0] if row else "UTC")


async def add_to_totals(
    conn: aiosqlite.Connection,
    guild_id: int,
    user_id: int,
    server_day: date,
    *,
    points: int = 0,
    days: int = 0,
    minutes: int = 0,
    sessions: int = 0,
    solves: int = 0,
    verified_solves: int = 0,
) -> None:
    """Add to the member's week, month and all-time totals for `server_day`."""
    await conn.executemany(
        "INSERT INTO member_period_totals "
        "(guild_id, period, user_id, points, days, minutes, sessions, solves, verified_solves) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, period, user_id) DO UPDATE SET "
        "points = points + excluded.points, days = days + excluded.days, "
        "minutes = minutes + excluded.minutes, sessions = sessions + excluded.sessions, "
        "solves = solves + excluded.solves, "
        "verified_solves = verified_solves + excluded.verified_solves",
        [
            (guild_id, key, user_id, points, days, minutes, sessions, solves, verified_solves)
            for key in period_keys(server_day)
        ],
    )
