"""The `member_period_totals` table: each member's points, days and minutes per period.

Kept up to date in the same transaction as every check-in and solve, so a leaderboard is an
indexed top-N read. Periods follow the community's zone: 'week:2026-W47', 'month:2026-11', 'all'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.ranking import period_keys
from bot.store.sql import Sql


@dataclass(frozen=True)
class TotalsRow:
    user_id: str
    name: str
    points: int
    days: int
    minutes: int
    solves: int
    verified_solves: int


@dataclass(frozen=True)
class PeriodActivity:
    active_members: int
    minutes: int
    solves: int
    sessions: int


def add_to_totals(
    conn: Sql,
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
    keys = period_keys(server_day)
    amounts = (points, days, minutes, sessions, solves, verified_solves)
    conn.execute(
        # One statement for the three rows: on PostgreSQL each statement has a price of its own.
        # Its rows never share a key, which PostgreSQL's ON CONFLICT DO UPDATE requires.
        "INSERT INTO member_period_totals AS t "
        "(community_id, period, user_id, points, days, minutes, sessions, solves, verified_solves) "
        f"VALUES {', '.join(['(?, ?, ?, ?, ?, ?, ?, ?, ?)'] * len(keys))} "
        "ON CONFLICT (community_id, period, user_id) DO UPDATE "
        # Qualified: on PostgreSQL a bare `points` here is ambiguous beside excluded.points.
        "SET points = t.points + excluded.points, days = t.days + excluded.days, "
        "minutes = t.minutes + excluded.minutes, sessions = t.sessions + excluded.sessions, "
        "solves = t.solves + excluded.solves, "
        "verified_solves = t.verified_solves + excluded.verified_solves",
        [value for key in keys for value in (community_id, key, user_id, *amounts)],
    )


ROW_COLUMNS = "t.user_id, m.display_name, t.points, t.days, t.minutes, t.solves, t.verified_solves"


def top(conn: Sql, community_id: str, period: str, limit: int) -> list[TotalsRow]:
    """The members with the most points, best first; ties by id (digit ids as numbers)."""
    rows = conn.execute(
        f"SELECT {ROW_COLUMNS} FROM member_period_totals t "
        "JOIN members m USING (community_id, user_id) "
        "WHERE t.community_id = ? AND t.period = ? AND t.points > 0 "
        "ORDER BY t.points DESC, length(t.user_id), t.user_id LIMIT ?",
        (community_id, period, limit),
    ).fetchall()
    return [TotalsRow(*row) for row in rows]


def of_member(conn: Sql, community_id: str, period: str, user_id: str) -> TotalsRow | None:
    row = conn.execute(
        f"SELECT {ROW_COLUMNS} FROM member_period_totals t "
        "JOIN members m USING (community_id, user_id) "
        "WHERE t.community_id = ? AND t.period = ? AND t.user_id = ? AND t.points > 0",
        (community_id, period, user_id),
    ).fetchone()
    return None if row is None else TotalsRow(*row)


def members_ahead(conn: Sql, community_id: str, period: str, points: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM member_period_totals WHERE community_id = ? AND period = ? "
        "AND points > ?",
        (community_id, period, points),
    ).fetchone()
    return int(row[0]) if row else 0


def activity(conn: Sql, community_id: str, period: str) -> PeriodActivity:
    row = conn.execute(
        "SELECT count(*), coalesce(sum(minutes), 0), coalesce(sum(solves), 0), "
        "coalesce(sum(sessions), 0) FROM member_period_totals "
        "WHERE community_id = ? AND period = ? AND points > 0",
        (community_id, period),
    ).fetchone()
    return PeriodActivity(*(row or (0, 0, 0, 0)))


def most_improved(
    conn: Sql, community_id: str, period: str, previous: str
) -> tuple[str, int] | None:
    """(name, points gained) of who gained most over `previous`, among those who scored then."""
    row = conn.execute(
        "SELECT m.display_name, cur.points - prev.points AS gain "
        "FROM member_period_totals cur "
        "JOIN member_period_totals prev ON prev.community_id = cur.community_id "
        "AND prev.user_id = cur.user_id AND prev.period = ? "
        "JOIN members m ON m.community_id = cur.community_id AND m.user_id = cur.user_id "
        "WHERE cur.community_id = ? AND cur.period = ? AND prev.points > 0 "
        "AND cur.points > prev.points ORDER BY gain DESC, length(cur.user_id), "
        "cur.user_id LIMIT 1",
        (previous, community_id, period),
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))
