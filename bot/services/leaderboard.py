"""Leaderboards and the weekly summary, read from the per-period totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import Clock
from bot.domain.days import local_day, week_start
from bot.domain.ranking import competition_rank, period_key, rank
from bot.domain.streaks import compute_streak
from bot.store import communities, study_days, totals
from bot.store.away import away_days_of_community
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from bot.store.totals import TotalsRow

TOP = 10
STREAKS_SHOWN = 3


@dataclass(frozen=True)
class Line:
    rank: int
    user_id: str
    name: str
    points: int
    days: int
    minutes: int
    solves: int = 0
    verified_solves: int = 0


@dataclass(frozen=True)
class Leaderboard:
    period: str
    key: str
    first_day: date | None
    zone_name: str
    lines: list[Line]
    me: Line | None


@dataclass(frozen=True)
class WeeklySummary:
    key: str
    first_day: date
    zone_name: str
    lines: list[Line]
    active_members: int
    minutes: int
    solves: int
    checkins: int
    streaks: list[tuple[str, int]]
    every_day: list[str]
    most_improved: tuple[str, int] | None


def line_of(place: int, row: TotalsRow) -> Line:
    return Line(
        place,
        row.user_id,
        row.name,
        row.points,
        row.days,
        row.minutes,
        row.solves,
        row.verified_solves,
    )


async def top_lines(conn: AsyncConnection, community_id: str, key: str) -> list[Line]:
    rows = {row.user_id: row for row in await conn.run(totals.top, community_id, key, TOP)}
    standings = rank((row.user_id, row.points) for row in rows.values())
    return [line_of(s.rank, rows[s.user_id]) for s in standings]


async def own_line(conn: AsyncConnection, community_id: str, key: str, user_id: str) -> Line | None:
    row = await conn.run(totals.of_member, community_id, key, user_id)
    if row is None:
        return None
    ahead = await conn.run(totals.members_ahead, community_id, key, row.points)
    return line_of(competition_rank(ahead), row)


def first_day_of(period: str, day: date) -> date | None:
    return {"week": week_start(day), "month": day.replace(day=1), "all": None}[period]


class LeaderboardService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def leaderboard(self, community_id: str, period: str, user_id: str) -> Leaderboard:
        async with self._db.reader() as conn:
            zone = await conn.run(communities.zone, community_id)
            today = local_day(self._clock.now(), zone)
            key = period_key(period, today)
            lines = await top_lines(conn, community_id, key)
            me = await own_line(conn, community_id, key, user_id)
        return Leaderboard(period, key, first_day_of(period, today), zone.key, lines, me)

    async def weekly_summary(self, community_id: str, first_day: date) -> WeeklySummary:
        """Everything the weekly post says about the week starting on `first_day` (Monday)."""
        key = period_key("week", first_day)
        previous = period_key("week", first_day - timedelta(days=7))
        last_day = first_day + timedelta(days=6)
        async with self._db.reader() as conn:
            zone = await conn.run(communities.zone, community_id)
            lines = await top_lines(conn, community_id, key)
            activity = await conn.run(totals.activity, community_id, key)
            every_day = await conn.run(study_days.every_day_of, community_id, first_day, last_day)
            streaks = await self._longest_streaks(conn, community_id, key, last_day)
            improved = await conn.run(totals.most_improved, community_id, key, previous)
        return WeeklySummary(
            key=key,
            first_day=first_day,
            zone_name=zone.key,
            lines=lines,
            active_members=activity.active_members,
            minutes=activity.minutes,
            solves=activity.solves,
            checkins=activity.sessions,
            streaks=streaks,
            every_day=every_day,
            most_improved=improved,
        )

    async def _longest_streaks(
        self, conn: AsyncConnection, community_id: str, key: str, as_of: date
    ) -> list[tuple[str, int]]:
        """Current streaks at the end of the week, for the members active in it."""
        days = await conn.run(study_days.study_dates_of_scorers, community_id, key, as_of)
        away = await conn.run(away_days_of_community, community_id)
        streaks = [
            (name, compute_streak(dates, as_of, away_days=away.get(user_id, ())).current, user_id)
            for user_id, (name, dates) in days.items()
        ]
        best = sorted((s for s in streaks if s[1] > 0), key=lambda s: (-s[1], s[2]))
        return [(name, length) for name, length, _ in best[:STREAKS_SHOWN]]
