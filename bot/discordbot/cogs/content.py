"""/today, /problem and /solved: what to study and practise today."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import server_id
from bot.discordbot.custom_ids import SOLVED_TEMPLATE, solved_button
from bot.discordbot.errors import reply_with_error, within_limit
from bot.discordbot.render import reply
from bot.messages.daily import problem_reply, solved_reply, today_reply
from bot.services.content import ContentService


def solved_button_type(content: ContentService) -> type[discord.ui.DynamicItem[Any]]:
    """The handler of every "Solved" button, whichever day's post it is on."""

    class SolvedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SOLVED_TEMPLATE):
        def __init__(self, problem_id: str, day: date) -> None:
            super().__init__(
                discord.ui.Button(label="Solved", custom_id=solved_button(problem_id, day))
            )
            self.problem_id = problem_id
            self.day = day

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> SolvedButton:
            return cls(match["problem"], date.fromisoformat(match["day"]))

        async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
            # discord.py drops an exception raised here silently, so the refusal is sent here.
            return await within_limit(interaction)

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            try:
                await reply_solved(interaction, content, (self.problem_id, self.day))
            except Exception as error:
                await reply_with_error(interaction, error)

    return SolvedButton


async def reply_solved(
    interaction: discord.Interaction[Any],
    content: ContentService,
    expected: tuple[str, date] | None = None,
) -> None:
    user = interaction.user
    result = await content.solve(server_id(interaction), str(user.id), user.display_name, expected)
    await reply(interaction, solved_reply(user.display_name, result))


class ContentCog(commands.Cog):
    def __init__(self, bot: discord.Client, content: ContentService) -> None:
        self.bot = bot
        self.content = content

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(solved_button_type(self.content))

    @app_commands.command(name="today", description="Today's study prompt from the curriculum")
    @app_commands.guild_only()
    async def today(self, interaction: discord.Interaction[Any]) -> None:
        study = await self.content.today(server_id(interaction))
        active = await self.content.active_curriculum(server_id(interaction))
        await reply(interaction, today_reply(study, len(active.curriculum.days)), ephemeral=True)

    @app_commands.command(name="problem", description="Today's practice problem, hint hidden")
    @app_commands.guild_only()
    async def problem(self, interaction: discord.Interaction[Any]) -> None:
        current = await self.content.current_problem(server_id(interaction))
        await reply(interaction, problem_reply(current), ephemeral=True)

    @app_commands.command(name="solved", description="Mark today's problem as solved")
    @app_commands.guild_only()
    async def solved(self, interaction: discord.Interaction[Any]) -> None:
        await reply_solved(interaction, self.content)
