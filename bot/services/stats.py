"""Personal totals for a period, and the minutes per day that the heatmap shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import Clock
from bot.domain.days import local_day, period_start, week_start
from bot.domain.points import day_points
from bot.services.members import zone_of
from bot.store import solves, study_days
from bot.store.away import away_days
from bot.store.database import Database

HEATMAP_WEEKS = 12
PERIODS = ("week", "month", "all")


@dataclass(frozen=True)
class MemberStats:
    period: str
    start: date | None
    today: date
    zone_name: str
    days_studied: int
    minutes: int
    problems_solved: int
    points: int
    away_days: int
    # Minutes per local day over the last HEATMAP_WEEKS weeks (days without study are absent).
    recent_minutes: dict[date, int]


def heatmap_first_day(today: date) -> date:
    return week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1)


class StatsService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def member_stats(self, community_id: str, user_id: str, period: str) -> MemberStats:
        if period not in PERIODS:
            raise ValueError(f"unknown period {period!r}")
        async with self._db.reader() as conn:
            zone = (await zone_of(conn, community_id, user_id)).zone
            today = local_day(self._clock.now(), zone)
            start = period_start(period, today)
            since = (start or date.min).isoformat()
            first = min(start or date.min, heatmap_first_day(today))
            days = await conn.run(study_days.minutes_by_day, community_id, user_id, first, today)
            solved, solve_points = await conn.run(
                solves.solved_between, community_id, user_id, since, today.isoformat()
            )
            away = {d for d in await conn.run(away_days, community_id, user_id) if d <= today}
        in_period = {d: m for d, m in days.items() if start is None or d >= start}
        first_heatmap_day = heatmap_first_day(today)
        return MemberStats(
            period=period,
            start=start,
            today=today,
            zone_name=zone.key,
            days_studied=len(in_period),
            minutes=sum(in_period.values()),
            problems_solved=solved,
            points=sum(day_points(m) for m in in_period.values()) + solve_points,
            away_days=len([d for d in away if start is None or d >= start]),
            recent_minutes={d: m for d, m in days.items() if d >= first_heatmap_day},
        )
