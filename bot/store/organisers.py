"""The `organisers` table: members an admin named to run the study group with them."""

from __future__ import annotations

from bot.domain.ids import id_order
from bot.store import communities
from bot.store.sql import Sql


def add(conn: Sql, community_id: str, user_id: str, by: str, now: str) -> bool:
    communities.ensure_community(conn, community_id, now)
    cursor = conn.execute(
        "INSERT INTO organisers (community_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (community_id, user_id, by, now),
    )
    return cursor.rowcount == 1


def remove(conn: Sql, community_id: str, user_id: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM organisers WHERE community_id = ? AND user_id = ?", (community_id, user_id)
    )
    return cursor.rowcount == 1


def is_organiser(conn: Sql, community_id: str, user_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM organisers WHERE community_id = ? AND user_id = ?", (community_id, user_id)
    ).fetchone()
    return row is not None


def listed(conn: Sql, community_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT user_id FROM organisers WHERE community_id = ?", (community_id,)
    ).fetchall()
    return sorted((str(row[0]) for row in rows), key=id_order)
