"""/help: what the bot does and every command it has, built from the registered commands."""

from __future__ import annotations

import copy
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.ids import community_of
from bot.domain.points import rules_text
from bot.services.communities import CommunitySettings, CommunitySettingsService

INTRO = (
    "studybot keeps this study group going: a daily study prompt from an ML-engineering "
    "curriculum and a practice problem, check-ins that build streaks, and a weekly leaderboard."
)
DAYS_TEXT = (
    "A check-in counts on your local date: your zone if you set one with /timezone, else the "
    "server's. Your streak is the number of days in a row with a check-in; today only counts "
    "once you check in, and it never breaks before your midnight. Every 7 days in a row earn "
    "a freeze (2 at most) that covers one missed day."
)
FIELD_LIMIT = 1024


def schedule_text(settings: CommunitySettings) -> str:
    if settings.channel_id is None:
        return "Not set up yet: an admin runs /admin setup to choose the channel and times."
    text = (
        f"Daily post at {settings.post_time:%H:%M} ({settings.zone.key}) in "
        f"<#{settings.channel_id}>."
    )
    if settings.paused:
        until = f" through {settings.paused_until}" if settings.paused_until else ""
        text += f" Paused{until}."
    return text


def is_admin_command(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> bool:
    root = command.root_parent or command
    permissions = root.default_permissions
    return permissions is not None and permissions.manage_guild


def command_lines(
    commands_: list[app_commands.Command[Any, ..., Any] | app_commands.Group],
) -> list[tuple[bool, str]]:
    """(is_admin, "/name: description") for every leaf command, in alphabetical order."""
    lines = []
    for command in commands_:
        if isinstance(command, app_commands.Group):
            lines.extend(command_lines(list(command.commands)))
        else:
            lines.append(
                (is_admin_command(command), f"`/{command.qualified_name}`: {command.description}")
            )
    return sorted(lines, key=lambda item: item[1])


def chunk_field(lines: list[str]) -> list[str]:
    """Split lines into embed field values that respect Discord's 1,024-character limit."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > FIELD_LIMIT and current:
            chunks.append(current)
            candidate = line
        current = candidate[:FIELD_LIMIT]
    if current:
        chunks.append(current)
    return chunks


def help_embed(
    commands_: list[app_commands.Command[Any, ..., Any] | app_commands.Group],
) -> discord.Embed:
    embed = discord.Embed(title="studybot help", description=INTRO, colour=discord.Colour.blurple())
    embed.add_field(name="Your days", value=DAYS_TEXT, inline=False)
    embed.add_field(name="Points", value=rules_text(), inline=False)
    lines = command_lines(commands_)
    sections = (
        ("Commands for members", [text for admin, text in lines if not admin]),
        ("Commands for admins (Manage Server)", [text for admin, text in lines if admin]),
    )
    for title, section_lines in sections:
        for index, value in enumerate(chunk_field(section_lines)):
            embed.add_field(
                name=title if index == 0 else f"{title} (cont.)", value=value, inline=False
            )
    return embed


class HelpCog(commands.Cog):
    def __init__(
        self, tree: app_commands.CommandTree[Any], communities: CommunitySettingsService
    ) -> None:
        self.tree = tree
        self.communities = communities
        # The command list is fixed once the bot runs: build that part of the reply once.
        self._commands_part: dict[str, Any] | None = None

    @app_commands.command(name="help", description="What studybot does and every command it has")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        if self._commands_part is None:
            commands_ = [
                c
                for c in self.tree.get_commands()
                if isinstance(c, app_commands.Command | app_commands.Group)
            ]
            self._commands_part = dict(help_embed(commands_).to_dict())
        embed = discord.Embed.from_dict(copy.deepcopy(self._commands_part))
        if interaction.guild_id is not None:
            settings = await self.communities.get(community_of(interaction.guild_id))
            embed.insert_field_at(0, name="Schedule", value=schedule_text(settings), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)
