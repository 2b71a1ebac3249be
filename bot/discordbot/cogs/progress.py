"""/streak and /stats: how a member is doing, for themselves or for someone else."""

from __future__ import annotations

import io
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.checkins import CheckinButton, format_minutes
from bot.discordbot.cogs.common import server_id
from bot.discordbot.embeds import member_name
from bot.domain.streaks import MAX_FREEZES
from bot.errors import UserError
from bot.render.heatmap import render_heatmap
from bot.services.checkins import CheckinService, StreakReport
from bot.services.stats import PERIODS, MemberStats, StatsService

PERIOD_TITLES = {"week": "This week", "month": "This month", "all": "All time"}


def streak_embed(name: str, report: StreakReport, own: bool) -> discord.Embed:
    streak = report.streak
    embed = discord.Embed(title=f"{member_name(name)}'s streak", colour=discord.Colour.orange())
    embed.add_field(name="Current streak", value=f"Current streak: {streak.current}")
    embed.add_field(name="Best streak", value=f"Best streak: {streak.best}")
    embed.add_field(name="Freezes banked", value=f"{streak.freezes} of {MAX_FREEZES}")
    if streak.today_done:
        today = "Done: checked in today."
    elif report.away_until is not None:
        today = "Away today."
    elif own:
        today = "Not yet: check in before midnight to keep the streak going."
    else:
        today = "Not checked in yet today."
    embed.add_field(name="Today", value=today, inline=False)
    if report.away_until is not None:
        embed.add_field(
            name="Away",
            value=f"Away through {report.away_until}: the streak is on hold, not broken.",
            inline=False,
        )
    if report.away_days:
        embed.add_field(name="Days away", value=str(report.away_days))
    embed.set_footer(
        text=f"Today is {report.today:%a %d %b %Y} in {report.zone_name}. "
        f"Every 7 days in a row earn a freeze, which covers one missed day."
    )
    return embed


def stats_embed(name: str, stats: MemberStats) -> discord.Embed:
    since = "" if stats.start is None else f" (since {stats.start:%a %d %b})"
    embed = discord.Embed(
        title=f"{member_name(name)}: {PERIOD_TITLES[stats.period].lower()}{since}",
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="Days studied", value=str(stats.days_studied))
    embed.add_field(name="Time studied", value=format_minutes(stats.minutes))
    embed.add_field(name="Problems solved", value=str(stats.problems_solved))
    embed.add_field(name="Points", value=str(stats.points))
    if stats.away_days:
        embed.add_field(name="Days away", value=str(stats.away_days))
    embed.set_image(url="attachment://heatmap.png")
    embed.set_footer(text=f"Days follow {stats.zone_name}.")
    return embed


def target_of(
    interaction: discord.Interaction[Any], member: discord.Member | None
) -> tuple[str, str, str]:
    who = member or interaction.user
    return server_id(interaction), str(who.id), who.display_name


class ProgressCog(commands.Cog):
    def __init__(self, checkins: CheckinService, stats: StatsService) -> None:
        self.checkins = checkins
        self.stats = stats

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
            await interaction.response.send_message(
                f"{member_name(name)} has not checked in yet.",
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        embed = streak_embed(name, report, own)
        if own and not report.streak.today_done:
            await interaction.response.send_message(
                embed=embed, view=CheckinButton(), ephemeral=True
            )
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

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
            raise UserError(f"Period must be one of: {', '.join(PERIODS)}.")
        community_id, user_id, name = target_of(interaction, member)
        stats = await self.stats.member_stats(community_id, user_id, period)
        picture = render_heatmap(stats.recent_minutes, stats.today)
        await interaction.response.send_message(
            embed=stats_embed(name, stats),
            file=discord.File(io.BytesIO(picture), filename="heatmap.png"),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
