"""The `milestones` table: each milestone is celebrated once per member."""

from __future__ import annotations

from bot.store.sql import Sql


def record(conn: Sql, community_id: str, user_id: str, milestone: str, now: str) -> bool:
    """True when the member reaches it for the first time."""
    cursor = conn.execute(
        "INSERT INTO milestones (community_id, user_id, milestone, reached_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (community_id, user_id, milestone, now),
    )
    return cursor.rowcount == 1
