"""Check-ins and streaks.

A check-in, its day total and the streak it produces are read and written in one write
transaction, run as one function in the writer thread. Concurrent check-ins are batched into
one commit (each in its own savepoint, see Database.write_batched) and applied one after the
other, so each sees the totals the previous one left: nothing is counted twice or lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from bot.clock import Clock
from bot.domain.accountability import reached_milestones
from bot.domain.days import local_day, study_day
from bot.domain.inputs import NOTE_LIMIT, TOPIC_LIMIT, check_day_total, clean_text, parse_minutes
from bot.domain.points import day_points
from bot.domain.streaks import Streak, compute_streak
from bot.domain.work import parse_link
from bot.services.members import zone_of
from bot.store import away, members, milestones, study_days, totals
from bot.store.database import Database
from bot.store.sql import Sql
from bot.store.study_days import Session


@dataclass(frozen=True)
class CheckinResult:
    minutes: int
    topic: str | None
    note: str | None
    day: date
    zone_name: str
    # The member's local date; another than `day` only just after a change of zone.
    local_date: date
    day_minutes: int
    day_sessions: int
    day_points: int
    streak: Streak
    milestones: tuple[str, ...] = ()
    link: str | None = None


@dataclass(frozen=True)
class StreakReport:
    streak: Streak
    today: date
    zone_name: str
    has_checkins: bool
    away_until: date | None = None
    away_days: int = 0


@dataclass(frozen=True)
class CheckinRequest:
    community_id: str
    user_id: str
    display_name: str
    minutes: int
    topic: str | None
    note: str | None
    source: str
    now: datetime
    link: str | None = None


def record_checkin(conn: Sql, request: CheckinRequest) -> CheckinResult:
    """The whole check-in, inside one (batched) write transaction in the writer thread.

    Everything is read at once, after the member's row (locked on PostgreSQL) and before the
    writes, whose effect on what was read is added here: on PostgreSQL the writes then go out
    in pipeline mode without a round trip each.
    """
    community_id, user_id, now = request.community_id, request.user_id, request.now
    member = community_id, user_id, request.display_name, now.isoformat()
    members.ensure_member_of_known_community(conn, *member)
    state = study_days.before_checkin(conn, community_id, user_id)
    if state is None:  # the community's first check-in: its row first, then the member's
        members.ensure_member(conn, *member)
        state = study_days.before_checkin(conn, community_id, user_id)
        if state is None:
            raise RuntimeError(f"no row for {community_id} just after making it")
    zones = state.zone
    zone = zones.zone
    day = study_day(now, zone, state.latest, state.before)
    so_far, sessions = state.day_so_far(day)
    check_day_total(so_far, request.minutes)
    study_days.add_session(
        conn,
        Session(
            community_id,
            user_id,
            day,
            request.minutes,
            request.topic,
            request.note,
            request.source,
            now,
            zone.key,
            request.link,
        ),
    )
    total_today = so_far + request.minutes
    # Leaderboard periods follow the server's zone, whatever the member's.
    totals.add_to_totals(
        conn,
        community_id,
        user_id,
        local_day(now, zones.server),
        points=day_points(total_today) - day_points(so_far),
        days=1 if so_far == 0 else 0,
        minutes=request.minutes,
        sessions=1,
    )
    before_today = state.history.study_days
    dates = before_today if day in before_today else [*before_today, day]
    away = state.history.away_days
    streak = compute_streak(dates, day, away_days=away)
    before = (
        compute_streak(before_today, day, away_days=away).current if so_far == 0 else streak.current
    )
    all_time = (state.all_time_minutes or 0) + request.minutes
    return CheckinResult(
        minutes=request.minutes,
        topic=request.topic,
        note=request.note,
        day=day,
        zone_name=zone.key,
        local_date=local_day(now, zone),
        day_minutes=total_today,
        day_sessions=sessions + 1,
        day_points=day_points(total_today),
        streak=streak,
        milestones=record_milestones(conn, request, before, streak.current, all_time),
        link=request.link,
    )


def record_milestones(
    conn: Sql, request: CheckinRequest, streak_before: int, streak_after: int, total: int
) -> tuple[str, ...]:
    """Milestones this check-in reached for the first time (each is celebrated once).

    `total` is the member's all-time minutes with this check-in's.
    """
    reached = []
    before_minutes = total - request.minutes
    for milestone in reached_milestones(streak_before, streak_after, before_minutes, total):
        now = request.now.isoformat()
        if milestones.record(conn, request.community_id, request.user_id, milestone, now):
            reached.append(milestone)
    return tuple(reached)


class CheckinService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def check_in(
        self,
        community_id: str,
        user_id: str,
        display_name: str,
        minutes: object,
        topic: str | None = None,
        note: str | None = None,
        source: str = "command",
        link: str | None = None,
    ) -> CheckinResult:
        """Validate and record one study session; raises UserError with the reason if refused."""
        request = CheckinRequest(
            community_id=community_id,
            user_id=user_id,
            display_name=display_name,
            minutes=parse_minutes(minutes),
            topic=clean_text(topic, "topic", TOPIC_LIMIT),
            note=clean_text(note, "note", NOTE_LIMIT, multiline=True),
            source=source,
            now=self._clock.now(),
            link=parse_link(link),
        )
        # Keyed by member: on PostgreSQL one member's check-ins share a lane, others run beside.
        work = partial(record_checkin, request=request)
        return await self._db.write_batched(work, key=f"{community_id}/{user_id}")

    async def streak(self, community_id: str, user_id: str) -> StreakReport:
        async with self._db.reader() as conn:
            zone = (await zone_of(conn, community_id, user_id)).zone
            recent = await conn.run(study_days.latest_study_days, community_id, user_id)
            # The day a check-in now would count for, so a zone change never hides a day.
            today = study_day(self._clock.now(), zone, *recent)
            history = await conn.run(study_days.study_history, community_id, user_id)
            current = await conn.run(away.current_away, community_id, user_id, today)
        days, away_days = history.study_days, history.away_days
        return StreakReport(
            compute_streak(days, today, away_days=away_days),
            today,
            zone.key,
            has_checkins=bool(days),
            away_until=None if current is None else current.last_day,
            away_days=len([d for d in away_days if d <= today]),
        )
