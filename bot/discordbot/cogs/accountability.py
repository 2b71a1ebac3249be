"""/remind, /away, /back and /buddy: the group noticing each other."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import acting_member
from bot.discordbot.render import reply
from bot.messages.accountability import away_started, reminder_set, welcome_back
from bot.messages.members import buddy_joined, buddy_left, buddy_shown
from bot.services.accountability import AccountabilityService


class AccountabilityCog(commands.Cog):
    buddy = app_commands.Group(
        name="buddy", description="A weekly study buddy to keep each other going", guild_only=True
    )

    def __init__(self, accountability: AccountabilityService) -> None:
        self.accountability = accountability

    @app_commands.command(name="remind", description="A daily reminder if you have not checked in")
    @app_commands.guild_only()
    @app_commands.describe(time="HH:MM in your time zone (24-hour clock), or off")
    async def remind(self, interaction: discord.Interaction[Any], time: str) -> None:
        community_id, user_id, name = acting_member(interaction)
        at = await self.accountability.set_reminder(community_id, user_id, name, time)
        await reply(interaction, reminder_set(at), ephemeral=True)

    @app_commands.command(name="away", description="Time away: no reminders, streak kept")
    @app_commands.guild_only()
    @app_commands.describe(until="Last day away, YYYY-MM-DD (today through that day, 60 at most)")
    async def away(self, interaction: discord.Interaction[Any], until: str) -> None:
        community_id, user_id, name = acting_member(interaction)
        period = await self.accountability.go_away(community_id, user_id, name, until)
        await reply(interaction, away_started(period.first_day, period.last_day), ephemeral=True)

    @app_commands.command(name="back", description="End your time away; today is a normal day")
    @app_commands.guild_only()
    async def back(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, _ = acting_member(interaction)
        await self.accountability.come_back(community_id, user_id)
        await reply(interaction, welcome_back(), ephemeral=True)

    @buddy.command(name="join", description="Get a study buddy every week")
    async def buddy_join(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, name = acting_member(interaction)
        joined = await self.accountability.join_buddies(community_id, user_id, name)
        await reply(interaction, buddy_joined(joined), ephemeral=True)

    @buddy.command(name="leave", description="Stop getting a weekly study buddy")
    async def buddy_leave(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, _ = acting_member(interaction)
        left = await self.accountability.leave_buddies(community_id, user_id)
        await reply(interaction, buddy_left(left), ephemeral=True)

    @buddy.command(name="show", description="Your study buddy this week and their streak")
    async def buddy_show(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, _ = acting_member(interaction)
        opted_in, buddies = await self.accountability.my_buddies(community_id, user_id)
        await reply(interaction, buddy_shown(opted_in, buddies), ephemeral=True)
