"""/leetcode link and unlink, and the persistent "Verify" button that proves the account."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import acting_member
from bot.discordbot.errors import MemberView
from bot.discordbot.render import render, reply
from bot.messages.members import leetcode_linked, leetcode_pending, leetcode_unlinked
from bot.services.leetcode import LeetCodeService

VERIFY_BUTTON_ID = "studybot:leetcode-verify"


class VerifyButton(MemberView):
    def __init__(self, leetcode: LeetCodeService) -> None:
        super().__init__(timeout=None)
        self.leetcode = leetcode

    @discord.ui.button(
        label="Verify", style=discord.ButtonStyle.success, custom_id=VERIFY_BUTTON_ID
    )
    async def verify(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        community_id, user_id, _ = acting_member(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        username = await self.leetcode.verify_link(community_id, user_id)
        [followup] = render(leetcode_linked(username))
        await interaction.followup.send(ephemeral=True, **followup.send_fields())


class LeetCodeCog(commands.Cog):
    leetcode_group = app_commands.Group(
        name="leetcode",
        description="Link your LeetCode account for verified solves",
        guild_only=True,
    )

    def __init__(self, bot: discord.Client, leetcode: LeetCodeService) -> None:
        self.bot = bot
        self.leetcode = leetcode

    async def cog_load(self) -> None:
        self.bot.add_view(VerifyButton(self.leetcode))

    @leetcode_group.command(name="link", description="Prove a LeetCode account is yours")
    @app_commands.describe(username="Your LeetCode username")
    async def link(self, interaction: discord.Interaction[Any], username: str) -> None:
        community_id, user_id, name = acting_member(interaction)
        pending = await self.leetcode.start_link(community_id, user_id, name, username)
        [shown] = render(leetcode_pending(pending))
        await interaction.response.send_message(
            ephemeral=True, **shown.send_fields(), view=VerifyButton(self.leetcode)
        )

    @leetcode_group.command(name="unlink", description="Forget your LeetCode account")
    async def unlink(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, _ = acting_member(interaction)
        removed = await self.leetcode.unlink(community_id, user_id)
        await reply(interaction, leetcode_unlinked(removed), ephemeral=True)
