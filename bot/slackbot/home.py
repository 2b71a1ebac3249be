"""The member's App Home tab: their streak, today's prompt and problem, their week."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.messages.daily import problem_reply, today_reply
from bot.messages.progress import member_stats, streak_report
from bot.services.catalog import Services
from bot.slackbot.views import home_view


async def home(services: Services, community_id: str, user_id: str, name: str) -> dict[str, Any]:
    report = await services.checkins.streak(community_id, user_id)
    study = await services.content.today(community_id)
    active = await services.content.active_curriculum(community_id)
    problem = await services.content.current_problem(community_id)
    week = await services.stats.member_stats(community_id, user_id, "week")
    settings = await services.communities.get(community_id)
    parts = [
        streak_report(name, report, own=True),
        today_reply(study, len(active.curriculum.days)),
        problem_reply(problem),
        replace(member_stats(name, week, b""), picture=None),
    ]
    return home_view(parts, settings.channel_id)
