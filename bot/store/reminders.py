"""The `reminders_sent` table: at most one reminder per member and local day, claimed first."""

from __future__ import annotations

from datetime import date

from bot.store.sql import Sql


def needs_reminder(conn: Sql, community_id: str, user_id: str, day: date) -> bool:
    """Not checked in on `day` and not reminded yet (time away is the caller's to check)."""
    row = conn.execute(
        "SELECT 1 FROM study_days WHERE community_id = ? AND user_id = ? AND local_date = ? "
        "UNION ALL SELECT 1 FROM reminders_sent WHERE community_id = ? AND user_id = ? "
        "AND local_date = ?",
        (community_id, user_id, day.isoformat(), community_id, user_id, day.isoformat()),
    ).fetchone()
    return row is None


def claim(conn: Sql, community_id: str, user_id: str, day: date, now: str) -> bool:
    cursor = conn.execute(
        "INSERT INTO reminders_sent (community_id, user_id, local_date, sent_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (community_id, user_id, day.isoformat(), now),
    )
    return cursor.rowcount == 1


def record_delivery(conn: Sql, community_id: str, user_id: str, day: date, via: str) -> None:
    conn.execute(
        "UPDATE reminders_sent SET via = ? WHERE community_id = ? AND user_id = ? "
        "AND local_date = ?",
        (via, community_id, user_id, day.isoformat()),
    )
