"""Leaderboards and the weekly summary, read from the per-period totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import Clock
from bot.domain.days import local_day, week_start
from bot.domain.ranking import competition_rank, period_key, rank
from bot.domain.streaks import compute_streak
from bot.services.totals import server_zone
from bot.store import queries
from bot.store.connection import AsyncConnection
from bot.store.database import Database

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


TOP_QUERY = (
    "SELECT t.user_id, t.points, t.days, t.minutes, m.display_name, t.solves, "
    "t.verified_solves "
    "FROM member_period_totals t JOIN members m USING (community_id, user_id) "
    "WHERE t.community_id = ? AND t.period = ? AND t.points > 0 "
    "ORDER BY t.points DESC, length(t.user_id), t.user_id LIMIT ?"
)


async def top_lines(conn: AsyncConnection, community_id: str, key: str) -> list[Line]:
    cursor = await conn.execute(TOP_QUERY, (community_id, key, TOP))
    rows = {row[0]: row for row in await cursor.fetchall()}
    return [
        Line(
            s.rank, s.user_id, rows[s.user_id][4], s.points, rows[s.user_id][2], rows[s.user_id][3]
        )
        for s in rank((user_id, row[1]) for user_id, row in rows.items())
    ]


async def own_line(conn: AsyncConnection, community_id: str, key: str, user_id: str) -> Line | None:
    cursor = await conn.execute(
        "SELECT t.points, t.days, t.minutes, m.display_name, t.solves, t.verified_solves "
        "FROM member_period_totals t "
        "JOIN members m USING (community_id, user_id) "
        "WHERE t.community_id = ? AND t.period = ? AND t.user_id = ? AND t.points > 0",
        (community_id, key, user_id),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    points, days, minutes, name, solves, verified = row
    cursor = await conn.execute(
        "SELECT count(*) FROM member_period_totals WHERE community_id = ? AND period = ? "
        "AND points > ?",
        (community_id, key, points),
    )
    ahead = await cursor.fetchone()
    place = competition_rank(ahead[0] if ahead else 0)
    return Line(place, user_id, name, points, days, minutes, solves, verified)


def first_day_of(period: str, day: date) -> date | None:
    return {"week": week_start(day), "month": day.replace(day=1), "all": None}[period]


class LeaderboardService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def leaderboard(self, community_id: str, period: str, user_id: str) -> Leaderboard:
        async with self._db.reader() as conn:
            zone = await server_zone(conn, community_id)
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
            zone = await server_zone(conn, community_id)
            lines = await top_lines(conn, community_id, key)
            cursor = await conn.execute(
                "SELECT count(*), coalesce(sum(minutes), 0), coalesce(sum(solves), 0), "
                "coalesce(sum(sessions), 0) FROM member_period_totals "
                "WHERE community_id = ? AND period = ? AND points > 0",
                (community_id, key),
            )
            active, minutes, solves, checkins = await cursor.fetchone() or (0, 0, 0, 0)
            cursor = await conn.execute(
                "SELECT m.display_name FROM study_days d JOIN members m USING (community_id, "
                "user_id) "
                "WHERE d.community_id = ? AND d.local_date BETWEEN ? AND ? "
                "GROUP BY d.user_id HAVING count(*) = 7 ORDER BY m.display_name",
                (community_id, first_day.isoformat(), last_day.isoformat()),
            )
            every_day = [row[0] for row in await cursor.fetchall()]
            streaks = await self._longest_streaks(conn, community_id, key, last_day)
            cursor = await conn.execute(
                "SELECT m.display_name, cur.points - prev.points AS gain "
                "FROM member_period_totals cur "
                "JOIN member_period_totals prev ON prev.community_id = cur.community_id "
                "AND prev.user_id = cur.user_id AND prev.period = ? "
                "JOIN members m ON m.community_id = cur.community_id AND m.user_id = cur.user_id "
                "WHERE cur.community_id = ? AND cur.period = ? AND prev.points > 0 "
                "AND cur.points > prev.points ORDER BY gain DESC, length(cur.user_id), "
                "cur.user_id LIMIT 1",
                (previous, community_id, key),
            )
            improved = await cursor.fetchone()
        return WeeklySummary(
            key=key,
            first_day=first_day,
            zone_name=zone.key,
            lines=lines,
            active_members=active,
            minutes=minutes,
            solves=solves,
            checkins=checkins,
            streaks=streaks,
            every_day=every_day,
            most_improved=None if improved is None else (improved[0], improved[1]),
        )

    async def _longest_streaks(
        self, conn: AsyncConnection, community_id: str, key: str, as_of: date
    ) -> list[tuple[str, int]]:
        """Current streaks at the end of the week, for the members active in it."""
        cursor = await conn.execute(
            "SELECT d.user_id, m.display_name, d.local_date FROM study_days d "
            "JOIN members m USING (community_id, user_id) "
            "JOIN member_period_totals t ON t.community_id = d.community_id AND t.user_id = "
            "d.user_id "
            "AND t.period = ? AND t.points > 0 WHERE d.community_id = ? AND d.local_date <= ?",
            (key, community_id, as_of.isoformat()),
        )
        days: dict[str, tuple[str, list[date]]] = {}
        for user_id, name, local_date in await cursor.fetchall():
            days.setdefault(user_id, (name, []))[1].append(date.fromisoformat(local_date))
        away = await conn.run(queries.away_days_of_community, community_id)
        streaks = [
            (name, compute_streak(dates, as_of, away_days=away.get(user_id, ())).current, user_id)
            for user_id, (name, dates) in days.items()
        ]
        best = sorted((s for s in streaks if s[1] > 0), key=lambda s: (-s[1], s[2]))
        return [(name, length) for name, length, _ in best[:STREAKS_SHOWN]]
