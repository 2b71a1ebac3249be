"""Per-member leaderboard totals, updated inside the caller's write transaction."""

from __future__ import annotations

from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from bot.store import queries
from bot.store.connection import AsyncConnection


async def server_zone(conn: AsyncConnection, community_id: str) -> ZoneInfo:
    return await conn.run(queries.server_zone, community_id)


async def add_to_totals(
    conn: AsyncConnection,
    community_id: str,
    user_id: str,
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
    await conn.run(add, community_id, user_id, server_day)
