"""The `away_periods` table: a member's time away, inclusive local dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.accountability import days_between
from bot.store.sql import Sql


@dataclass(frozen=True)
class AwayPeriod:
    first_day: date
    last_day: date


def away_days(conn: Sql, community_id: str, user_id: str) -> set[date]:
    rows = conn.execute(
        "SELECT first_day, last_day FROM away_periods WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchall()
    days: set[date] = set()
    for first, last in rows:
        days.update(days_between(date.fromisoformat(first), date.fromisoformat(last)))
    return days


def away_days_of_community(conn: Sql, community_id: str) -> dict[str, set[date]]:
    """Every member's away days in a community, for readers that show many streaks at once."""
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


def current_away(conn: Sql, community_id: str, user_id: str, today: date) -> AwayPeriod | None:
    row = conn.execute(
        "SELECT first_day, last_day FROM away_periods WHERE community_id = ? AND user_id = ? "
        "AND first_day <= ? AND last_day >= ? ORDER BY first_day DESC LIMIT 1",
        (community_id, user_id, today.isoformat(), today.isoformat()),
    ).fetchone()
    if row is None:
        return None
    return AwayPeriod(date.fromisoformat(row[0]), date.fromisoformat(row[1]))


def start_away(conn: Sql, community_id: str, user_id: str, period: AwayPeriod) -> None:
    conn.execute(
        "INSERT INTO away_periods (community_id, user_id, first_day, last_day) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (community_id, user_id, first_day) "
        "DO UPDATE SET last_day = excluded.last_day",
        (community_id, user_id, period.first_day.isoformat(), period.last_day.isoformat()),
    )


def delete_away(conn: Sql, community_id: str, user_id: str, first: date) -> None:
    conn.execute(
        "DELETE FROM away_periods WHERE community_id = ? AND user_id = ? AND first_day = ?",
        (community_id, user_id, first.isoformat()),
    )


def shorten_away(conn: Sql, community_id: str, user_id: str, first: date, last: date) -> None:
    conn.execute(
        "UPDATE away_periods SET last_day = ? "
        "WHERE community_id = ? AND user_id = ? AND first_day = ?",
        (last.isoformat(), community_id, user_id, first.isoformat()),
    )
