"""/timezone, and recording every member at their first interaction."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.discordbot.cogs.common import acting_member
from bot.discordbot.ids import community_of
from bot.discordbot.render import reply
from bot.domain.zones import suggest_zones
from bot.messages.members import timezone_set
from bot.services.members import MemberService

log = logging.getLogger(__name__)


def is_forgetting(interaction: discord.Interaction[Any]) -> bool:
    """A member asking to be forgotten must not be recorded again by that very request."""
    data = dict(interaction.data or {})
    command = interaction.command.qualified_name if interaction.command else data.get("name")
    return command == "forgetme" or str(data.get("custom_id", "")).startswith("sb:forget")


class MembersCog(commands.Cog):
    def __init__(self, members: MemberService, clock: Clock) -> None:
        self.members = members
        self.clock = clock

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # The bot has no member-list intent, so members become known when they first use it.
        if interaction.guild_id is None or is_forgetting(interaction):
            return
        try:
            await self.members.remember(
                community_of(interaction.guild_id),
                str(interaction.user.id),
                interaction.user.display_name,
            )
        except Exception:
            log.exception("could not record member %s", interaction.user.id)

    @app_commands.command(
        name="timezone", description="Set your time zone, so days end at your midnight"
    )
    @app_commands.guild_only()
    @app_commands.describe(zone="Your IANA time zone, such as Europe/Berlin (start typing)")
    async def timezone(self, interaction: discord.Interaction[Any], zone: str) -> None:
        community_id, user_id, name = acting_member(interaction)
        chosen = await self.members.set_timezone(community_id, user_id, name, zone)
        await reply(interaction, timezone_set(chosen, self.clock.now()), ephemeral=True)

    @timezone.autocomplete("zone")
    async def zone_suggestions(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in suggest_zones(current)]
