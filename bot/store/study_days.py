"""The `checkins` and `study_days` tables: every session, and each member's totals per day.

A study day is written in the same transaction as the session that opens or extends it, so
streaks, stats and the heatmap read one row per day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.accountability import days_between
from bot.domain.days import OpenedDay
from bot.store.away import away_days
from bot.store.members import MemberZone, member_zone
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
    link: str | None = None


@dataclass(frozen=True)
class BeforeCheckin:
    """What a check-in reads before it writes anything but the member's row."""

    zone: MemberZone
    latest: OpenedDay | None
    before: OpenedDay | None
    # (minutes, sessions) of the latest study day.
    latest_totals: tuple[int, int]
    history: StudyHistory
    all_time_minutes: int | None

    def day_so_far(self, day: date) -> tuple[int, int]:
        """(minutes, sessions) already logged on `day`, the day `study_day` chose: the latest
        study day or a later one, which has no row yet."""
        if self.latest is None or day > self.latest.day:
            return 0, 0
        if day < self.latest.day:
            raise ValueError(f"a check-in for {day} is earlier than the latest study day")
        return self.latest_totals


def study_dates(conn: Sql, community_id: str, user_id: str) -> list[date]:
    rows = conn.execute(
        "SELECT local_date FROM study_days WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchall()
    return [date.fromisoformat(row[0]) for row in rows]


# Four reads in one statement, each row tagged with the read it answers: on PostgreSQL every
# statement costs the writer and the server about as much as the work in it does here.
BEFORE_CHECKIN = (
    "SELECT 'member', m.timezone, g.timezone, NULL, t.minutes, NULL FROM communities g "
    "LEFT JOIN members m ON m.community_id = g.community_id AND m.user_id = ? "
    "LEFT JOIN member_period_totals t ON t.community_id = g.community_id "
    "AND t.period = 'all' AND t.user_id = ? WHERE g.community_id = ? "
    "UNION ALL SELECT 'latest', local_date, opened_at, zone, minutes, sessions FROM "
    "(SELECT local_date, opened_at, zone, minutes, sessions FROM study_days "
    "WHERE community_id = ? AND user_id = ? ORDER BY local_date DESC LIMIT 2) latest "
    "UNION ALL SELECT 'day', local_date, NULL, NULL, NULL, NULL FROM study_days "
    "WHERE community_id = ? AND user_id = ? "
    "UNION ALL SELECT 'away', first_day, last_day, NULL, NULL, NULL FROM away_periods "
    "WHERE community_id = ? AND user_id = ?"
)


def before_checkin(conn: Sql, community_id: str, user_id: str) -> BeforeCheckin | None:
    """The member's zones, latest two study days, all-time minutes and streak history; None
    when the community has no row yet (nor, by the foreign keys, anything else to read)."""
    member = community_id, user_id
    rows = conn.execute(BEFORE_CHECKIN, (user_id, user_id, community_id, *member * 3)).fetchall()
    zones, all_time = None, None
    latest: list[tuple[OpenedDay, tuple[int, int]]] = []
    dates: list[date] = []
    away: set[date] = set()
    for kind, first, second, zone, minutes, sessions in rows:
        if kind == "day":
            dates.append(date.fromisoformat(first))
        elif kind == "latest":
            opened = OpenedDay(
                date.fromisoformat(first), datetime.fromisoformat(second), ZoneInfo(zone)
            )
            latest.append((opened, (int(minutes), int(sessions))))
        elif kind == "away":
            away.update(days_between(date.fromisoformat(first), date.fromisoformat(second)))
        else:
            zones, all_time = member_zone(first, second), minutes
    if zones is None:
        return None
    latest.sort(key=lambda day: day[0].day, reverse=True)
    return BeforeCheckin(
        zones,
        latest=latest[0][0] if latest else None,
        before=latest[1][0] if len(latest) > 1 else None,
        latest_totals=latest[0][1] if latest else (0, 0),
        history=StudyHistory(dates, away),
        all_time_minutes=None if all_time is None else int(all_time),
    )


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


def add_session(conn: Sql, session: Session) -> None:
    """The session, and its day opened (with when and in which zone) or extended."""
    conn.execute(
        "INSERT INTO checkins (community_id, user_id, created_at, local_date, minutes, topic, "
        "note, source, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.community_id,
            session.user_id,
            session.now.isoformat(),
            session.day.isoformat(),
            session.minutes,
            session.topic,
            session.note,
            session.source,
            session.link,
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
        "coalesce(c.topic, ''), coalesce(c.note, ''), c.source, coalesce(c.link, '') "
        "FROM checkins c "
        "JOIN members m USING (community_id, user_id) WHERE c.community_id = ? "
        "ORDER BY c.created_at, c.checkin_id",
        (community_id,),
    )
    for row in cursor:
        yield tuple(str(value) for value in row)
