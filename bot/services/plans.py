"""Planning the week: up to 5 goals, and on leaderboard day a private review of how it went."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from bot.clock import Clock
from bot.domain.days import local_day
from bot.domain.inputs import clean_text
from bot.domain.work import REVIEW_LIMIT, parse_goals, previous_week, week_of
from bot.errors import UserError
from bot.messages.plans import week_review
from bot.services.members import ensure_member, iso, zone_of
from bot.services.ports import ChatPort
from bot.store import away, plans
from bot.store.database import Database
from bot.store.plans import WeekCounts, WeekPlan

log = logging.getLogger(__name__)


class PlanService:
    def __init__(self, db: Database, clock: Clock, chat: ChatPort) -> None:
        self._db = db
        self._clock = clock
        self._chat = chat

    async def this_week(self, community_id: str, user_id: str) -> str:
        """The community's ISO week today, as 2026-W49."""
        async with self._db.reader() as conn:
            zone = (await zone_of(conn, community_id, user_id)).server
        return week_of(local_day(self._clock.now(), zone))

    async def set_plan(self, community_id: str, user_id: str, name: str, raw: str) -> WeekPlan:
        goals = parse_goals(raw)
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, iso(self._clock))
            zone = (await zone_of(conn, community_id, user_id)).server
            week = week_of(local_day(self._clock.now(), zone))
            await conn.run(plans.set_plan, community_id, user_id, week, goals, iso(self._clock))
            plan = await conn.run(plans.plan_of, community_id, user_id, week)
        assert plan is not None  # just set
        return plan

    async def plan(self, community_id: str, user_id: str, week: str) -> WeekPlan | None:
        async with self._db.reader() as conn:
            return await conn.run(plans.plan_of, community_id, user_id, week)

    async def this_and_last_week(
        self, community_id: str, user_id: str
    ) -> tuple[WeekPlan | None, WeekPlan | None]:
        week = await self.this_week(community_id, user_id)
        return await self.plan(community_id, user_id, week), await self.plan(
            community_id, user_id, previous_week(week)
        )

    async def mark_done(
        self, community_id: str, user_id: str, week: str, position: int
    ) -> WeekPlan:
        async with self._db.transaction() as conn:
            found = await conn.run(
                plans.mark_done, community_id, user_id, week, position, iso(self._clock)
            )
            plan = await conn.run(plans.plan_of, community_id, user_id, week)
        if not found or plan is None:
            raise UserError("goal_gone")
        return plan

    async def write_review(
        self,
        community_id: str,
        user_id: str,
        week: str,
        helped: str | None,
        hindered: str | None,
    ) -> None:
        helped = clean_text(helped, "what helped", REVIEW_LIMIT, multiline=True)
        hindered = clean_text(hindered, "what got in the way", REVIEW_LIMIT, multiline=True)
        if helped is None and hindered is None:
            raise UserError("empty_review")
        async with self._db.transaction() as conn:
            found = await conn.run(
                plans.write_review,
                community_id,
                user_id,
                week,
                helped,
                hindered,
                iso(self._clock),
            )
        if not found:
            raise UserError("goal_gone")

    async def week_counts(self, community_id: str, week: str) -> WeekCounts:
        async with self._db.reader() as conn:
            return await conn.run(plans.week_counts, community_id, week)

    async def send_reviews(self, community_id: str, week: str, first_day: date) -> int:
        """One "Your week in review" message to each member who planned `week`, unless they
        were away all of it; each is claimed first, so none goes twice."""
        days = {first_day + timedelta(days=n) for n in range(7)}
        async with self._db.reader() as conn:
            planners = await conn.run(plans.unreviewed_planners, community_id, week)
        sent = 0
        for user_id in planners:
            async with self._db.transaction() as conn:
                if days <= await conn.run(away.away_days, community_id, user_id):
                    continue
                if not await conn.run(
                    plans.claim_review, community_id, user_id, week, iso(self._clock)
                ):
                    continue
                plan = await conn.run(plans.plan_of, community_id, user_id, week)
            if plan is None:
                continue
            result = await self._chat.direct(community_id, user_id, week_review(community_id, plan))
            if result.ok:
                sent += 1
            else:
                log.info(
                    "week review for %s in %s not delivered: %s",
                    user_id,
                    community_id,
                    result.detail,
                )
        return sent
