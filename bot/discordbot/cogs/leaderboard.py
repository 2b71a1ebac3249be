"""/leaderboard: the top 10 for a period, your own place, and the card."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import server_id
from bot.discordbot.errors import Refusal
from bot.discordbot.render import reply
from bot.messages.leaderboards import leaderboard, leaderboard_title
from bot.render.leaderboard_card import CardRow, render_leaderboard_card
from bot.services.leaderboard import LeaderboardService

PERIODS = ("week", "month", "all")


class LeaderboardCog(commands.Cog):
    def __init__(self, leaderboards: LeaderboardService) -> None:
        self.leaderboards = leaderboards

    @app_commands.command(name="leaderboard", description="The top 10 and your own place")
    @app_commands.guild_only()
    @app_commands.describe(period="Which period (default: this week)")
    async def leaderboard(
        self,
        interaction: discord.Interaction[Any],
        period: Literal["week", "month", "all"] = "week",
    ) -> None:
        community_id = server_id(interaction)
        if period not in PERIODS:
            raise Refusal("period must be week, month or all.")
        board = await self.leaderboards.leaderboard(community_id, period, str(interaction.user.id))
        card = render_leaderboard_card(
            leaderboard_title(board),
            [CardRow(line.rank, line.name, line.points) for line in board.lines],
        )
        await reply(interaction, leaderboard(board, card), ephemeral=True)
