"""/streak and /stats: how a member is doing, for themselves or for someone else."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import server_id
from bot.discordbot.errors import Refusal
from bot.discordbot.render import reply
from bot.messages.daily import check_in_button
from bot.messages.progress import member_stats, not_checked_in_yet, streak_report
from bot.render.heatmap import render_heatmap
from bot.services.checkins import CheckinService
from bot.services.plans import PlanService
from bot.services.stats import PERIODS, StatsService


def target_of(
    interaction: discord.Interaction[Any], member: discord.Member | None
) -> tuple[str, str, str]:
    who = member or interaction.user
    return server_id(interaction), str(who.id), who.display_name


class ProgressCog(commands.Cog):
    def __init__(self, checkins: CheckinService, stats: StatsService, plans: PlanService) -> None:
        self.checkins = checkins
        self.stats = stats
        self.plans = plans

    @app_commands.command(name="streak", description="Your streak (or another member's)")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose streak to show (default: yours)")
    async def streak(
        self, interaction: discord.Interaction[Any], member: discord.Member | None = None
    ) -> None:
        community_id, user_id, name = target_of(interaction, member)
        own = user_id == str(interaction.user.id)
        report = await self.checkins.streak(community_id, user_id)
        if not report.has_checkins and not own:
            await reply(interaction, not_checked_in_yet(name), ephemeral=True)
            return
        message = streak_report(name, report, own)
        if own and not report.streak.today_done:
            message = replace(message, buttons=(check_in_button(),))
        await reply(interaction, message, ephemeral=True)

    @app_commands.command(
        name="stats", description="Days, time, problems and points, with a heatmap"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        member="Whose stats to show (default: yours)", period="Which period (default: week)"
    )
    async def stats_command(
        self,
        interaction: discord.Interaction[Any],
        member: discord.Member | None = None,
        period: Literal["week", "month", "all"] = "week",
    ) -> None:
        if period not in PERIODS:
            raise Refusal(f"Period must be one of: {', '.join(PERIODS)}.")
        community_id, user_id, name = target_of(interaction, member)
        stats = await self.stats.member_stats(community_id, user_id, period)
        picture = render_heatmap(stats.recent_minutes, stats.today)
        # Goals are the member's own business: shown on their own stats only.
        own = user_id == str(interaction.user.id)
        plans = await self.plans.this_and_last_week(community_id, user_id) if own else None
        await reply(interaction, member_stats(name, stats, picture, plans), ephemeral=True)
