"""/forgetme: a member deletes everything the bot keeps about them in this server."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import server_id
from bot.discordbot.errors import MemberView
from bot.discordbot.render import block
from bot.messages.members import forget_warning, forgotten, nothing_deleted
from bot.messages.model import Message
from bot.services.members import MemberService
from bot.services.privacy import PrivacyService

FORGET_PREFIX = "sb:forget"


def line_of(message: Message) -> str:
    return block(message.content)


class ConfirmForget(MemberView):
    def __init__(self, privacy: PrivacyService, members: MemberService, user_id: int) -> None:
        super().__init__(timeout=300)
        self.privacy = privacy
        self.members = members
        self.user_id = user_id
        self.confirm.custom_id = f"{FORGET_PREFIX}:yes:{user_id}"
        self.cancel.custom_id = f"{FORGET_PREFIX}:no:{user_id}"

    def writes(self, interaction: discord.Interaction[Any]) -> bool:
        return dict(interaction.data or {}).get("custom_id") == self.confirm.custom_id

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            return False
        return await super().interaction_check(interaction)

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        community_id = server_id(interaction)
        self.members.forget_cached(community_id, str(self.user_id))
        deleted = await self.privacy.forget(community_id, str(self.user_id))
        self.stop()
        await interaction.response.edit_message(content=line_of(forgotten(deleted)), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=line_of(nothing_deleted()), view=None)


class PrivacyCog(commands.Cog):
    def __init__(self, privacy: PrivacyService, members: MemberService) -> None:
        self.privacy = privacy
        self.members = members

    @app_commands.command(name="forgetme", description="Delete all your data in this server")
    @app_commands.guild_only()
    async def forgetme(self, interaction: discord.Interaction[Any]) -> None:
        server_id(interaction)
        await interaction.response.send_message(
            line_of(forget_warning()),
            view=ConfirmForget(self.privacy, self.members, interaction.user.id),
            ephemeral=True,
        )
