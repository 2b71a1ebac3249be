"""/leaderboard: the top 10 for a period, your own place, and the card."""

from __future__ import annotations

import io
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import server_id
from bot.discordbot.embeds import leaderboard_line
from bot.errors import UserError
from bot.render.leaderboard_card import CardRow, render_leaderboard_card
from bot.services.leaderboard import Leaderboard, LeaderboardService

PERIOD_TITLES = {"week": "this week", "month": "this month", "all": "all time"}


def title_of(board: Leaderboard) -> str:
    since = f" (since {board.first_day:%a %d %b})" if board.first_day else ""
    return f"Leaderboard, {PERIOD_TITLES[board.period]}{since}"


def leaderboard_embed(board: Leaderboard) -> discord.Embed:
    lines = "\n".join(leaderboard_line(line) for line in board.lines)
    embed = discord.Embed(
        title=title_of(board),
        description=lines or "No points yet in this period. Check in to open the board!",
        colour=discord.Colour.gold(),
    )
    if board.me is None:
        mine = "You have no points in this period yet."
    else:
        mine = f"You: {leaderboard_line(board.me)}"
    embed.add_field(name="Your place", value=mine, inline=False)
    embed.set_image(url="attachment://leaderboard.png")
    embed.set_footer(text=f"Periods follow the server's time zone ({board.zone_name}).")
    return embed


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
        if period not in PERIOD_TITLES:
            raise UserError("period must be week, month or all.")
        board = await self.leaderboards.leaderboard(community_id, period, str(interaction.user.id))
        card = render_leaderboard_card(
            title_of(board), [CardRow(line.rank, line.name, line.points) for line in board.lines]
        )
        await interaction.response.send_message(
            embed=leaderboard_embed(board),
            file=discord.File(io.BytesIO(card), filename="leaderboard.png"),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
