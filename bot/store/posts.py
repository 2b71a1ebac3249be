"""The `scheduled_posts` table: the ledger that makes each post go out at most once.

A post's key (community, kind, period) is claimed before sending, under a lease (the claiming
process and until when): only the holder of a live lease sends. Then the message is recorded as
sent, or the failure is written where admins see it, and the lease ends. A lease left behind by
a killed process expires, and the next claim takes the post over.
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


def claim(
    conn: Sql,
    community_id: str,
    kind: str,
    period: str,
    owner: str,
    now: str,
    until: str,
    sole_process: bool,
) -> bool:
    """True when `owner` now holds the post's lease: a new claim, or one whose lease ended (a
    failure) or expired (a killed process). False when sent, or while a lease is live, even
    the caller's own: a second run in the same process (a job and a catch-up) must not send.
    `sole_process`: no other process can be running (SQLite's instance lock), so another
    owner's lease is a dead process's, whatever its expiry.

    `now` and `until` are UTC ISO instants, so they compare as text.
    """
    cursor = conn.execute(
        "INSERT INTO scheduled_posts (community_id, kind, period, status, claimed_at, "
        "lease_owner, lease_until) VALUES (?, ?, ?, 'claimed', ?, ?, ?) "
        "ON CONFLICT (community_id, kind, period) DO UPDATE SET "
        "lease_owner = excluded.lease_owner, lease_until = excluded.lease_until "
        "WHERE scheduled_posts.status <> 'sent' AND (scheduled_posts.lease_until IS NULL "
        "OR scheduled_posts.lease_until < excluded.claimed_at "
        "OR (? = 1 AND scheduled_posts.lease_owner <> excluded.lease_owner))",
        (community_id, kind, period, now, owner, until, int(sole_process)),
    )
    return cursor.rowcount == 1


def extend_lease(
    conn: Sql, community_id: str, kind: str, period: str, owner: str, until: str
) -> bool:
    """Keep holding the lease through a wait (a retry); False if it was taken over."""
    cursor = conn.execute(
        "UPDATE scheduled_posts SET lease_until = ? WHERE community_id = ? AND kind = ? "
        "AND period = ? AND lease_owner = ? AND status <> 'sent'",
        (until, community_id, kind, period, owner),
    )
    return cursor.rowcount == 1


def expired_leases(conn: Sql, now: str, since: str) -> list[tuple[str, str, str]]:
    """(community, kind, period) of claims whose holder stopped before sending or failing, with
    the lease run out between `since` and `now` (older ones are past every post's window)."""
    rows = conn.execute(
        "SELECT community_id, kind, period FROM scheduled_posts "
        "WHERE status = 'claimed' AND lease_until < ? AND lease_until >= ? ORDER BY lease_until",
        (now, since),
    ).fetchall()
    return [(str(c), str(k), str(p)) for c, k, p in rows]


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
        "sent_at = ?, error = NULL, lease_owner = NULL, lease_until = NULL "
        "WHERE community_id = ? AND kind = ? AND period = ?",
        (message_id, channel_id, now, community_id, kind, period),
    )


def record_failure(
    conn: Sql,
    community_id: str,
    kind: str,
    period: str,
    channel_id: str,
    error: str,
    owner: str,
) -> None:
    """The error, for admins; a post already sent stays sent, and a lease another process
    took over (this one stalled past its lease) stays theirs."""
    conn.execute(
        "UPDATE scheduled_posts SET status = CASE WHEN status = 'sent' THEN 'sent' "
        "ELSE 'failed' END, error = ?, channel_id = ?, lease_owner = NULL, "
        "lease_until = NULL WHERE community_id = ? AND kind = ? AND period = ? "
        "AND (lease_owner IS NULL OR lease_owner = ?)",
        (error, channel_id, community_id, kind, period, owner),
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
