"""The `checkins` and `study_days` tables: every session, and each member's totals per day.

A study day is written in the same transaction as the session that opens or extends it, so
streaks, stats and the heatmap read one row per day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.days import OpenedDay
from bot.store.away import away_days
from bot.store.sql import Sql


@dataclass(frozen=True)
class StudyHistory:
    """What a streak is computed from: the days studied and the days away."""

    study_days: list[date]
    away_days: set[date]


@dataclass(frozen=True)
class Session:
    community_id: str
    user_id: str
    day: date
    minutes: int
    topic: str | None
    note: str | None
    source: str
    now: datetime
    zone: str


def study_dates(conn: Sql, community_id: str, user_id: str) -> list[date]:
    rows = conn.execute(
        "SELECT local_date FROM study_days WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchall()
    return [date.fromisoformat(row[0]) for row in rows]


def study_history(conn: Sql, community_id: str, user_id: str) -> StudyHistory:
    return StudyHistory(
        study_dates(conn, community_id, user_id), away_days(conn, community_id, user_id)
    )


def latest_study_days(
    conn: Sql, community_id: str, user_id: str
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


def day_so_far(conn: Sql, community_id: str, user_id: str, day: date) -> tuple[int, int]:
    """(minutes, sessions) the member has logged on `day` so far."""
    row = conn.execute(
        "SELECT minutes, sessions FROM study_days "
        "WHERE community_id = ? AND user_id = ? AND local_date = ?",
        (community_id, user_id, day.isoformat()),
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def add_session(conn: Sql, session: Session) -> None:
    """The session, and its day opened (with when and in which zone) or extended."""
    conn.execute(
        "INSERT INTO checkins "
        "(community_id, user_id, created_at, local_date, minutes, topic, note, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.community_id,
            session.user_id,
            session.now.isoformat(),
            session.day.isoformat(),
            session.minutes,
            session.topic,
            session.note,
            session.source,
        ),
    )
    conn.execute(
        "INSERT INTO study_days AS d (community_id, user_id, local_date, minutes, sessions, "
        "opened_at, zone) VALUES (?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (community_id, user_id, local_date) "
        "DO UPDATE SET minutes = d.minutes + excluded.minutes, sessions = d.sessions + 1",
        (
            session.community_id,
            session.user_id,
            session.day.isoformat(),
            session.minutes,
            session.now.isoformat(),
            session.zone,
        ),
    )


def minutes_by_day(
    conn: Sql, community_id: str, user_id: str, first: date, last: date
) -> dict[date, int]:
    rows = conn.execute(
        "SELECT local_date, minutes FROM study_days WHERE community_id = ? AND user_id = ? "
        "AND local_date >= ? AND local_date <= ?",
        (community_id, user_id, first.isoformat(), last.isoformat()),
    ).fetchall()
    return {date.fromisoformat(day): int(minutes) for day, minutes in rows}


def every_day_of(conn: Sql, community_id: str, first: date, last: date) -> list[str]:
    """Names of the members who studied on every day from `first` to `last` (a week)."""
    rows = conn.execute(
        "SELECT m.display_name FROM study_days d JOIN members m USING (community_id, user_id) "
        "WHERE d.community_id = ? AND d.local_date BETWEEN ? AND ? "
        "GROUP BY d.user_id, m.display_name HAVING count(*) = ? ORDER BY m.display_name",
        (community_id, first.isoformat(), last.isoformat(), (last - first).days + 1),
    ).fetchall()
    return [str(row[0]) for row in rows]


def study_dates_of_scorers(
    conn: Sql, community_id: str, period: str, as_of: date
) -> dict[str, tuple[str, list[date]]]:
    """user id -> (name, study days up to `as_of`) for the members who scored in `period`."""
    rows = conn.execute(
        "SELECT d.user_id, m.display_name, d.local_date FROM study_days d "
        "JOIN members m USING (community_id, user_id) "
        "JOIN member_period_totals t ON t.community_id = d.community_id "
        "AND t.user_id = d.user_id AND t.period = ? AND t.points > 0 "
        "WHERE d.community_id = ? AND d.local_date <= ?",
        (period, community_id, as_of.isoformat()),
    ).fetchall()
    days: dict[str, tuple[str, list[date]]] = {}
    for user_id, name, local_date in rows:
        days.setdefault(user_id, (name, []))[1].append(date.fromisoformat(local_date))
    return days


def checkins_for_export(conn: Sql, community_id: str) -> Iterator[tuple[str, ...]]:
    """Every check-in of the community with its member's name, oldest first."""
    cursor = conn.execute(
        "SELECT c.created_at, c.local_date, c.user_id, m.display_name, c.minutes, "
        "coalesce(c.topic, ''), coalesce(c.note, ''), c.source FROM checkins c "
        "JOIN members m USING (community_id, user_id) WHERE c.community_id = ? "
        "ORDER BY c.created_at, c.checkin_id",
        (community_id,),
    )
    for row in cursor:
        yield tuple(str(value) for value in row)
