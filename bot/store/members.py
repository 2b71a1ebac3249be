"""The `members` table, and a member's data across every table when they ask to be forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.store import communities
from bot.store.sql import Sql

# Every table that holds data about a member, keyed by (community_id, user_id). A new table with
# member data must be added here; tests/test_privacy.py fails if one is missing.
MEMBER_TABLES = (
    # Votes first, then the member's shared work (which takes others' votes on it along).
    "share_votes",
    "shared_items",
    "plan_goals",
    "week_plans",
    "reflections",
    "checkins",
    "study_days",
    "solves",
    "member_period_totals",
    "reminders_sent",
    "away_periods",
    "buddy_optins",
    "buddy_pairs",
    "milestones",
    "leetcode_links",
    "organisers",
    "members",
)
# Columns elsewhere that name a member: the row belongs to the community and stays, the name goes.
# community_curricula.imported_by is NOT NULL, so "0" stands for "a forgotten member".
MEMBER_REFERENCES = (("community_curricula", "imported_by"), ("organisers", "added_by"))
FORGOTTEN_MEMBER = "0"


@dataclass(frozen=True)
class MemberZone:
    zone: ZoneInfo
    # True when the member chose it with /timezone, False when it is the community's.
    own: bool
    # The community's zone, which leaderboard periods follow whatever the member's.
    server: ZoneInfo


_REFRESH_NAME = (
    "ON CONFLICT (community_id, user_id) DO UPDATE SET display_name = excluded.display_name "
    # On PostgreSQL the row is locked even when the name is unchanged: a member's concurrent
    # check-ins (from two processes) wait here for each other's commit.
    "WHERE m.display_name IS DISTINCT FROM excluded.display_name"
)


def ensure_member(conn: Sql, community_id: str, user_id: str, display_name: str, now: str) -> None:
    """Create the community and member rows if needed, and refresh the display name."""
    communities.ensure_community(conn, community_id, now)
    conn.execute(
        "INSERT INTO members AS m (community_id, user_id, display_name, created_at) "
        f"VALUES (?, ?, ?, ?) {_REFRESH_NAME}",
        (community_id, user_id, display_name, now),
    )


def ensure_member_of_known_community(
    conn: Sql, community_id: str, user_id: str, display_name: str, now: str
) -> None:
    """`ensure_member` in one statement instead of two, where the community has its row
    already; where it has none, nothing (the caller finds no community, and then calls
    `ensure_member`). Its first check-in aside, a community always has its row."""
    conn.execute(
        "INSERT INTO members AS m (community_id, user_id, display_name, created_at) "
        "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM communities WHERE community_id = ?) "
        f"{_REFRESH_NAME}",
        (community_id, user_id, display_name, now, community_id),
    )


def zone_of(conn: Sql, community_id: str, user_id: str) -> MemberZone:
    row = conn.execute(
        "SELECT m.timezone, g.timezone FROM communities g "
        "LEFT JOIN members m ON m.community_id = g.community_id AND m.user_id = ? "
        "WHERE g.community_id = ?",
        (user_id, community_id),
    ).fetchone()
    if row is None:
        return MemberZone(ZoneInfo("UTC"), own=False, server=ZoneInfo("UTC"))
    return member_zone(*row)


def member_zone(own_zone: str | None, community_zone: str | None) -> MemberZone:
    """The zone from the member's and the community's `timezone` columns (either NULL)."""
    server = ZoneInfo(community_zone or "UTC")
    if own_zone:
        return MemberZone(ZoneInfo(own_zone), own=True, server=server)
    return MemberZone(server, own=False, server=server)


def set_timezone(conn: Sql, community_id: str, user_id: str, zone: str) -> None:
    conn.execute(
        "UPDATE members SET timezone = ? WHERE community_id = ? AND user_id = ?",
        (zone, community_id, user_id),
    )


def adopt_timezone(conn: Sql, community_id: str, user_id: str, zone: str) -> None:
    """The member's zone from their profile, unless they already have one."""
    conn.execute(
        "UPDATE members SET timezone = ? "
        "WHERE community_id = ? AND user_id = ? AND timezone IS NULL",
        (zone, community_id, user_id),
    )


def set_reminder(conn: Sql, community_id: str, user_id: str, hhmm: str | None) -> None:
    conn.execute(
        "UPDATE members SET remind_at = ? WHERE community_id = ? AND user_id = ?",
        (hhmm, community_id, user_id),
    )


def display_name(conn: Sql, community_id: str, user_id: str) -> str | None:
    row = conn.execute(
        "SELECT display_name FROM members WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class ReminderCandidate:
    community_id: str
    user_id: str
    name: str
    remind_at: str
    zone_name: str
    channel_id: str | None
    paused: bool
    paused_until: str | None


def reminder_candidates(conn: Sql) -> list[ReminderCandidate]:
    """Every member with a reminder time, with what deciding whether to send it needs."""
    rows = conn.execute(
        "SELECT m.community_id, m.user_id, m.display_name, m.remind_at, "
        "coalesce(m.timezone, g.timezone), g.channel_id, g.paused, g.paused_until "
        "FROM members m JOIN communities g USING (community_id) WHERE m.remind_at IS NOT NULL"
    ).fetchall()
    return [
        ReminderCandidate(c, u, name, at, zone, channel, bool(paused), until)
        for c, u, name, at, zone, channel, paused, until in rows
    ]


def inactive_members(conn: Sql, cutoff: str) -> list[tuple[str, str]]:
    """(community, member) of members known before `cutoff` who have not studied since."""
    rows = conn.execute(
        "SELECT m.community_id, m.user_id FROM members m WHERE m.created_at < ? AND NOT "
        "EXISTS (SELECT 1 FROM study_days d WHERE d.community_id = m.community_id "
        "AND d.user_id = m.user_id AND d.local_date >= ?)",
        (cutoff, cutoff),
    ).fetchall()
    return [(str(c), str(u)) for c, u in rows]


def forget_member(conn: Sql, community_id: str, user_id: str) -> int:
    """Delete everything about the member in this community; returns the rows deleted."""
    deleted = 0
    for table in MEMBER_TABLES:
        cursor = conn.execute(
            f"DELETE FROM {table} WHERE community_id = ? AND user_id = ?",
            (community_id, user_id),
        )
        deleted += max(cursor.rowcount, 0)
    for table, column in MEMBER_REFERENCES:
        conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE community_id = ? AND {column} = ?",
            (FORGOTTEN_MEMBER, community_id, user_id),
        )
    return deleted
