"""Per-member leaderboard totals, updated inside the caller's write transaction."""

from __future__ import annotations

from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

import aiosqlite

from bot.db import in_thread
from bot.services import queries


async def server_zone(conn: aiosqlite.Connection, guild_id: int) -> ZoneInfo:
    return await in_thread(conn, queries.server_zone, guild_id)


async def add_to_totals(
    conn: aiosqlite.Connection,
    guild_id: int,
    user_id: int,
    server_day: date,
    *,
    points: int = 0,
    solves: int = 0,
    verified_solves: int = 0,
) -> None:
    """Add a solve's points to the member's week, month and all-time totals."""
    add = partial(
        queries.add_to_totals, points=points, solves=solves, verified_solves=verified_solves
    )
    await in_thread(conn, add, guild_id, user_id, server_day)
