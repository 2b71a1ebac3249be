"""/help: what the bot does and every command it has, built from the registered commands."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.ids import community_of
from bot.discordbot.render import DiscordMessage, render, send_rendered
from bot.messages.help import CommandInfo, help_message
from bot.services.communities import CommunitySettings, CommunitySettingsService

# Rendered answers kept, one per distinct schedule; more than the servers a bot usually has.
ANSWERS_KEPT = 1024


def is_admin_command(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> bool:
    root = command.root_parent or command
    permissions = root.default_permissions
    return permissions is not None and permissions.manage_guild


def command_infos(
    commands_: list[app_commands.Command[Any, ..., Any] | app_commands.Group],
) -> list[CommandInfo]:
    """Every leaf command the bot registered, as the help message lists them."""
    infos = []
    for command in commands_:
        if isinstance(command, app_commands.Group):
            infos.extend(command_infos(list(command.commands)))
        else:
            path = tuple(command.qualified_name.split())
            infos.append(CommandInfo(path, command.description, is_admin_command(command)))
    return infos


class HelpCog(commands.Cog):
    def __init__(
        self, tree: app_commands.CommandTree[Any], communities: CommunitySettingsService
    ) -> None:
        self.tree = tree
        self.communities = communities
        # The command list is fixed once the bot runs: read the tree once.
        self._commands: list[CommandInfo] | None = None
        # The answer depends only on the schedule, and rendering it cost a fifth of the bot's
        # time per /help (docs/benchmarks.md): render each schedule's answer once.
        self._answers: dict[CommunitySettings | None, DiscordMessage] = {}

    @app_commands.command(name="help", description="What studybot does and every command it has")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        if self._commands is None:
            self._commands = command_infos(
                [
                    c
                    for c in self.tree.get_commands()
                    if isinstance(c, app_commands.Command | app_commands.Group)
                ]
            )
        settings = None
        if interaction.guild_id is not None:
            settings = await self.communities.get(community_of(interaction.guild_id))
        answer = self._answers.get(settings)
        if answer is None:
            if len(self._answers) >= ANSWERS_KEPT:  # schedules that changed leave old answers
                self._answers.clear()
            [answer] = render(help_message(self._commands, settings))
            self._answers[settings] = answer
        await send_rendered(interaction, answer, ephemeral=True)
