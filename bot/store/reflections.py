"""The `reflections` table: each member's private answers to the daily reflection question."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True)
class JournalEntry:
    local_date: str
    question: str
    answer: str


def write(
    conn: Sql,
    community_id: str,
    user_id: str,
    local_date: str,
    question: str,
    answer: str,
    now: str,
) -> bool:
    """Today's entry; True when it replaced one written earlier today."""
    replaced = conn.execute(
        "DELETE FROM reflections WHERE community_id = ? AND user_id = ? AND local_date = ?",
        (community_id, user_id, local_date),
    ).rowcount
    conn.execute(
        "INSERT INTO reflections (community_id, user_id, local_date, question, answer, "
        "written_at) VALUES (?, ?, ?, ?, ?, ?)",
        (community_id, user_id, local_date, question, answer, now),
    )
    return replaced > 0


def latest(conn: Sql, community_id: str, user_id: str, limit: int) -> list[JournalEntry]:
    rows = conn.execute(
        "SELECT local_date, question, answer FROM reflections WHERE community_id = ? "
        "AND user_id = ? ORDER BY local_date DESC LIMIT ?",
        (community_id, user_id, limit),
    ).fetchall()
    return [JournalEntry(str(d), str(q), str(a)) for d, q, a in rows]
