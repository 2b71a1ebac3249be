"""The `scheduled_posts` table: the ledger that makes each post go out at most once.

A post's key (community, kind, period) is claimed before sending; then the message is recorded
as sent, or the failure is written where admins see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True)
class LedgerEntry:
    kind: str
    period: str
    status: str  # claimed, sent or failed
    claimed_at: str
    sent_at: str | None
    message_id: str | None
    error: str | None


ENTRY_COLUMNS = "kind, period, status, claimed_at, sent_at, message_id, error"


def claim(conn: Sql, community_id: str, kind: str, period: str, now: str) -> bool:
    """True when this call made the claim; False when the key was claimed before."""
    cursor = conn.execute(
        "INSERT INTO scheduled_posts (community_id, kind, period, status, claimed_at) "
        "VALUES (?, ?, ?, 'claimed', ?) ON CONFLICT DO NOTHING",
        (community_id, kind, period, now),
    )
    return cursor.rowcount == 1


def status_of(conn: Sql, community_id: str, kind: str, period: str) -> str | None:
    row = conn.execute(
        "SELECT status FROM scheduled_posts WHERE community_id = ? AND kind = ? AND period = ?",
        (community_id, kind, period),
    ).fetchone()
    return None if row is None else str(row[0])


def record_sent(
    conn: Sql,
    community_id: str,
    kind: str,
    period: str,
    channel_id: str,
    message_id: str | None,
    now: str,
) -> None:
    conn.execute(
        "UPDATE scheduled_posts SET status = 'sent', message_id = ?, channel_id = ?, "
        "sent_at = ?, error = NULL WHERE community_id = ? AND kind = ? AND period = ?",
        (message_id, channel_id, now, community_id, kind, period),
    )


def record_failure(
    conn: Sql,
    community_id: str,
    kind: str,
    period: str,
    channel_id: str,
    error: str,
) -> None:
    """The error, for admins; a post already sent stays sent."""
    conn.execute(
        "UPDATE scheduled_posts SET status = CASE WHEN status = 'sent' THEN 'sent' "
        "ELSE 'failed' END, error = ?, channel_id = ? "
        "WHERE community_id = ? AND kind = ? AND period = ?",
        (error, channel_id, community_id, kind, period),
    )


def sent_count(conn: Sql, community_id: str, kind: str, besides: str = "") -> int:
    """How many posts of `kind` went out (leaving out the period `besides`)."""
    row = conn.execute(
        "SELECT count(*) FROM scheduled_posts WHERE community_id = ? AND kind = ? "
        "AND status = 'sent' AND period != ?",
        (community_id, kind, besides),
    ).fetchone()
    return int(row[0]) if row else 0


def recent(conn: Sql, community_id: str, limit: int) -> list[LedgerEntry]:
    rows = conn.execute(
        f"SELECT {ENTRY_COLUMNS} FROM scheduled_posts WHERE community_id = ? "
        "ORDER BY claimed_at DESC, period DESC LIMIT ?",
        (community_id, limit),
    ).fetchall()
    return [LedgerEntry(*row) for row in rows]


def failures(conn: Sql, community_id: str, limit: int) -> list[LedgerEntry]:
    rows = conn.execute(
        f"SELECT {ENTRY_COLUMNS} FROM scheduled_posts WHERE community_id = ? "
        "AND error IS NOT NULL ORDER BY claimed_at DESC, period DESC LIMIT ?",
        (community_id, limit),
    ).fetchall()
    return [LedgerEntry(*row) for row in rows]
