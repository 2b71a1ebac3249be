"""The SQL that several services share, as plain functions of a sqlite3 connection.

They run inside the database's own thread: batched writes call them directly, and the async
helpers of the services call them through `AsyncConnection.run`, so each query is written once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.accountability import days_between
from bot.domain.days import OpenedDay
from bot.domain.ranking import period_keys
from bot.store import communities


@dataclass(frozen=True)
class MemberZone:
    zone: ZoneInfo
    # True when the member chose it with /timezone, False when it is the server's.
    own: bool
    # The server's zone, which leaderboard periods follow whatever the member's.
    server: ZoneInfo


@dataclass(frozen=True)
class AwayPeriod:
    first_day: date
    last_day: date


def ensure_member(
    conn: sqlite3.Connection, community_id: str, user_id: str, display_name: str, now: str
) -> None:
    """Create the server and member rows if needed, and refresh the display name."""
    communities.ensure_community(conn, community_id, now)
    conn.execute(
        "INSERT INTO members (community_id, user_id, display_name, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (community_id, user_id) DO UPDATE SET display_name = excluded.display_name "
        "WHERE display_name IS NOT excluded.display_name",
        (community_id, user_id, display_name, now),
    )


def zone_of(conn: sqlite3.Connection, community_id: str, user_id: str) -> MemberZone:
    row = conn.execute(
        "SELECT m.timezone, g.timezone FROM communities g "
        "LEFT JOIN members m ON m.community_id = g.community_id AND m.user_id = ? "
        "WHERE g.community_id = ?",
        (user_id, community_id),
    ).fetchone()
    if row is None:
        return MemberZone(ZoneInfo("UTC"), own=False, server=ZoneInfo("UTC"))
    member_zone, community_zone = row
    server = ZoneInfo(community_zone or "UTC")
    if member_zone:
        return MemberZone(ZoneInfo(member_zone), own=True, server=server)
    return MemberZone(server, own=False, server=server)


def server_zone(conn: sqlite3.Connection, community_id: str) -> ZoneInfo:
    row = conn.execute(
        "SELECT timezone FROM communities WHERE community_id = ?", (community_id,)
    ).fetchone()
    return ZoneInfo(row[0] if row else "UTC")


def study_dates(conn: sqlite3.Connection, community_id: str, user_id: str) -> list[date]:
    rows = conn.execute(
        "SELECT local_date FROM study_days WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchall()
    return [date.fromisoformat(row[0]) for row in rows]


@dataclass(frozen=True)
class StudyHistory:
    """What a streak is computed from: the days studied and the days away."""

    study_days: list[date]
    away_days: set[date]


def study_history(conn: sqlite3.Connection, community_id: str, user_id: str) -> StudyHistory:
    return StudyHistory(
        study_dates(conn, community_id, user_id), away_days(conn, community_id, user_id)
    )


def away_days_of_community(conn: sqlite3.Connection, community_id: str) -> dict[str, set[date]]:
    """Every member's away days in a server, for readers that show many streaks at once."""
    rows = conn.execute(
        "SELECT user_id, first_day, last_day FROM away_periods WHERE community_id = ?",
        (community_id,),
    ).fetchall()
    days: dict[str, set[date]] = {}
    for user_id, first, last in rows:
        days.setdefault(user_id, set()).update(
            days_between(date.fromisoformat(first), date.fromisoformat(last))
        )
    return days


def latest_study_days(
    conn: sqlite3.Connection, community_id: str, user_id: str
) -> tuple[OpenedDay | None, OpenedDay | None]:
    """The member's most recent study day and the one before it, for `study_day`."""
    rows = conn.execute(
        "SELECT local_date, opened_at, zone FROM study_days "
        "WHERE community_id = ? AND user_id = ? ORDER BY local_date DESC LIMIT 2",
        (community_id, user_id),
    ).fetchall()
    days = [
        OpenedDay(date.fromisoformat(day), datetime.fromisoformat(opened), ZoneInfo(zone))
        for day, opened, zone in rows
    ]
    latest = days[0] if days else None
    before = days[1] if len(days) > 1 else None
    return latest, before


def away_days(conn: sqlite3.Connection, community_id: str, user_id: str) -> set[date]:
    rows = conn.execute(
        "SELECT first_day, last_day FROM away_periods WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchall()
    days: set[date] = set()
    for first, last in rows:
        days.update(days_between(date.fromisoformat(first), date.fromisoformat(last)))
    return days


def current_away(
    conn: sqlite3.Connection, community_id: str, user_id: str, today: date
) -> AwayPeriod | None:
    row = conn.execute(
        "SELECT first_day, last_day FROM away_periods WHERE community_id = ? AND user_id = ? "
        "AND first_day <= ? AND last_day >= ? ORDER BY first_day DESC LIMIT 1",
        (community_id, user_id, today.isoformat(), today.isoformat()),
    ).fetchone()
    return (
        None if row is None else AwayPeriod(date.fromisoformat(row[0]), date.fromisoformat(row[1]))
    )


def add_to_totals(
    conn: sqlite3.Connection,
    community_id: str,
    user_id: str,
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
    conn.executemany(
        "INSERT INTO member_period_totals "
        "(community_id, period, user_id, points, days, minutes, sessions, solves, verified_solves) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community_id, period, user_id) DO UPDATE "
        "SET "
        "points = points + excluded.points, days = days + excluded.days, "
        "minutes = minutes + excluded.minutes, sessions = sessions + excluded.sessions, "
        "solves = solves + excluded.solves, "
        "verified_solves = verified_solves + excluded.verified_solves",
        [
            (community_id, key, user_id, points, days, minutes, sessions, solves, verified_solves)
            for key in period_keys(server_day)
        ],
    )
