"""Check-ins and streaks.

A check-in, its day total and the streak it produces are read and written in one write
transaction: concurrent check-ins from the same member queue on the writer and each one sees
the totals the previous one left, so nothing is counted twice or lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiosqlite

from bot.clock import Clock
from bot.db import Database
from bot.domain.accountability import reached_milestones
from bot.domain.days import local_day
from bot.domain.inputs import NOTE_LIMIT, TOPIC_LIMIT, check_day_total, clean_text, parse_minutes
from bot.domain.points import day_points
from bot.domain.streaks import Streak, compute_streak
from bot.services.accountability import away_days, current_away
from bot.services.members import ensure_member, zone_of
from bot.services.totals import add_to_totals, server_zone


@dataclass(frozen=True)
class CheckinResult:
    minutes: int
    topic: str | None
    note: str | None
    day: date
    zone_name: str
    day_minutes: int
    day_sessions: int
    day_points: int
    streak: Streak
    milestones: tuple[str, ...] = ()


@dataclass(frozen=True)
class StreakReport:
    streak: Streak
    today: date
    zone_name: str
    has_checkins: bool
    away_until: date | None = None
    away_days: int = 0


async def study_dates(conn: aiosqlite.Connection, guild_id: int, user_id: int) -> list[date]:
    cursor = await conn.execute(
        "SELECT local_date FROM study_days WHERE guild_id = ? AND user_id = ?",
        (guild_id, user_id),
    )
    return [date.fromisoformat(row[0]) for row in await cursor.fetchall()]


class CheckinService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def check_in(
        self,
        guild_id: int,
        user_id: int,
        display_name: str,
        minutes: object,
        topic: str | None = None,
        note: str | None = None,
        source: str = "command",
    ) -> CheckinResult:
        """Validate and record one study session; raises UserError with the reason if refused."""
        minutes = parse_minutes(minutes)
        topic = clean_text(topic, "topic", TOPIC_LIMIT)
        note = clean_text(note, "note", NOTE_LIMIT, multiline=True)
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, display_name, now.isoformat())
            zone = (await zone_of(conn, guild_id, user_id)).zone
            day = local_day(now, zone)
            cursor = await conn.execute(
                "SELECT minutes, sessions FROM study_days "
                "WHERE guild_id = ? AND user_id = ? AND local_date = ?",
                (guild_id, user_id, day.isoformat()),
            )
            row = await cursor.fetchone()
            so_far, sessions = (row[0], row[1]) if row else (0, 0)
            check_day_total(so_far, minutes)
            await conn.execute(
                "INSERT INTO checkins "
                "(guild_id, user_id, created_at, local_date, minutes, topic, note, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, user_id, now.isoformat(), day.isoformat(), minutes, topic, note, source),
            )
            await conn.execute(
                "INSERT INTO study_days (guild_id, user_id, local_date, minutes, sessions) "
                "VALUES (?, ?, ?, ?, 1) ON CONFLICT (guild_id, user_id, local_date) DO UPDATE "
                "SET minutes = minutes + excluded.minutes, sessions = sessions + 1",
                (guild_id, user_id, day.isoformat(), minutes),
            )
            # Leaderboard periods follow the server's zone, whatever the member's.
            server_day = local_day(now, await server_zone(conn, guild_id))
            await add_to_totals(
                conn,
                guild_id,
                user_id,
                server_day,
                points=day_points(so_far + minutes) - day_points(so_far),
                days=1 if so_far == 0 else 0,
                minutes=minutes,
                sessions=1,
            )
            away = await away_days(conn, guild_id, user_id)
            dates = await study_dates(conn, guild_id, user_id)
            streak = compute_streak(dates, day, away)
            before = (
                compute_streak([d for d in dates if d != day], day, away).current
                if so_far == 0
                else streak.current
            )
            reached = await self._record_milestones(
                conn, guild_id, user_id, now.isoformat(), before, streak.current, minutes
            )
        return CheckinResult(
            minutes=minutes,
            topic=topic,
            note=note,
            day=day,
            zone_name=zone.key,
            day_minutes=so_far + minutes,
            day_sessions=sessions + 1,
            day_points=day_points(so_far + minutes),
            streak=streak,
            milestones=reached,
        )

    async def _record_milestones(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        now: str,
        streak_before: int,
        streak_after: int,
        minutes: int,
    ) -> tuple[str, ...]:
        """Milestones this check-in reached for the first time (each is celebrated once)."""
        cursor = await conn.execute(
            "SELECT minutes FROM member_period_totals "
            "WHERE guild_id = ? AND period = 'all' AND user_id = ?",
            (guild_id, user_id),
        )
        row = await cursor.fetchone()
        total = int(row[0]) if row else minutes
        reached = []
        for milestone in reached_milestones(streak_before, streak_after, total - minutes, total):
            cursor = await conn.execute(
                "INSERT INTO milestones (guild_id, user_id, milestone, reached_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, milestone, now),
            )
            if cursor.rowcount == 1:
                reached.append(milestone)
        return tuple(reached)

    async def streak(self, guild_id: int, user_id: int) -> StreakReport:
        async with self._db.reader() as conn:
            zone = (await zone_of(conn, guild_id, user_id)).zone
            today = local_day(self._clock.now(), zone)
            days = await study_dates(conn, guild_id, user_id)
            away = await away_days(conn, guild_id, user_id)
            current = await current_away(conn, guild_id, user_id, today)
        return StreakReport(
            compute_streak(days, today, away),
            today,
            zone.key,
            has_checkins=bool(days),
            away_until=None if current is None else current.last_day,
            away_days=len([d for d in away if d <= today]),
        )
