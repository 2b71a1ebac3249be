"""/share and its "Useful" button, /portfolio, /plan and the week's review (buttons and form in
direct messages), /reflect and /journal."""

from __future__ import annotations

import re
import secrets
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.checkins import submitted_values
from bot.discordbot.cogs.common import acting_member, server_id
from bot.discordbot.custom_ids import (
    GOAL_TEMPLATE,
    REFLECT_MODAL_PREFIX,
    REVIEW_MODAL_PREFIX,
    REVIEW_TEMPLATE,
    USEFUL_TEMPLATE,
    goal_button,
    review_button,
    useful_button,
)
from bot.discordbot.errors import reply_with_error, within_limit
from bot.discordbot.ids import community_of
from bot.discordbot.render import render, reply
from bot.domain.work import ANSWER_LIMIT, GOALS_LIMIT, LINK_LIMIT, REVIEW_LIMIT, TITLE_LIMIT
from bot.messages.journal import ANSWER_LABEL, REFLECT_TITLE, journal, reflection_saved
from bot.messages.model import Message
from bot.messages.plans import (
    HELPED_LABEL,
    HINDERED_LABEL,
    REVIEW_TITLE,
    goal_marked,
    plan_set,
    plan_shown,
    review_saved,
)
from bot.messages.work import portfolio, share_post
from bot.services.journal import JournalService
from bot.services.plans import PlanService
from bot.services.sharing import SharingService

Kind = Literal["notebook", "repo", "blog", "video", "notes", "other"]


async def update(interaction: discord.Interaction[Any], message: Message) -> None:
    """Redraw the message the pressed button is on."""
    [drawn] = render(message)
    fields = drawn.send_fields()
    fields.pop("allowed_mentions", None)
    await interaction.response.edit_message(**fields)


def useful_button_type(sharing: SharingService) -> type[discord.ui.DynamicItem[Any]]:
    class UsefulButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=USEFUL_TEMPLATE):
        def __init__(self, item_id: int) -> None:
            super().__init__(
                discord.ui.Button(label="Useful", custom_id=useful_button(str(item_id)))
            )
            self.item_id = item_id

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> UsefulButton:
            return cls(int(match["item"]))

        async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
            return await within_limit(interaction)

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            try:
                community_id, user_id, name = acting_member(interaction)
                vote = await sharing.vote(community_id, self.item_id, user_id, name)
                await update(interaction, share_post(vote.item))
            except Exception as error:
                await reply_with_error(interaction, error)

    return UsefulButton


def goal_button_type(plans: PlanService) -> type[discord.ui.DynamicItem[Any]]:
    class GoalButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=GOAL_TEMPLATE):
        def __init__(self, guild_id: str, week: str, position: int) -> None:
            custom_id = goal_button(guild_id, week, str(position))
            super().__init__(discord.ui.Button(label="Done", custom_id=custom_id))
            self.community_id, self.week, self.position = (
                community_of(int(guild_id)),
                week,
                position,
            )

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> GoalButton:
            return cls(match["guild"], match["week"], int(match["position"]))

        async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
            return await within_limit(interaction)

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            try:
                plan = await plans.mark_done(
                    self.community_id, str(interaction.user.id), self.week, self.position
                )
                await reply(interaction, goal_marked(plan), ephemeral=True)
            except Exception as error:
                await reply_with_error(interaction, error)

    return GoalButton


def review_modal(guild_id: str, week: str) -> discord.ui.Modal:
    custom_id = f"{REVIEW_MODAL_PREFIX}{guild_id}:{week}:{secrets.token_hex(6)}"
    modal = discord.ui.Modal(title=f"{REVIEW_TITLE} ({week})", custom_id=custom_id, timeout=None)
    for label, field in ((HELPED_LABEL, "helped"), (HINDERED_LABEL, "hindered")):
        modal.add_item(
            discord.ui.TextInput(
                label=label,
                custom_id=field,
                style=discord.TextStyle.paragraph,
                required=False,
                max_length=REVIEW_LIMIT,
            )
        )
    modal.stop()  # answered in on_interaction by its prefix, before or after a restart
    return modal


def review_button_type() -> type[discord.ui.DynamicItem[Any]]:
    class ReviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REVIEW_TEMPLATE):
        def __init__(self, guild_id: str, week: str) -> None:
            custom_id = review_button(guild_id, week)
            super().__init__(discord.ui.Button(label="Write a review", custom_id=custom_id))
            self.guild_id, self.week = guild_id, week

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> ReviewButton:
            return cls(match["guild"], match["week"])

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            await interaction.response.send_modal(review_modal(self.guild_id, self.week))

    return ReviewButton


def reflect_modal(question: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(
        title=REFLECT_TITLE, custom_id=REFLECT_MODAL_PREFIX + secrets.token_hex(8), timeout=None
    )
    modal.add_item(discord.ui.TextDisplay(question))
    modal.add_item(
        discord.ui.TextInput(
            label=ANSWER_LABEL,
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=ANSWER_LIMIT,
        )
    )
    modal.stop()
    return modal


class WorkCog(commands.Cog):
    def __init__(
        self,
        bot: discord.Client,
        sharing: SharingService,
        plans: PlanService,
        journal: JournalService,
    ) -> None:
        self.bot = bot
        self.sharing = sharing
        self.plans = plans
        self.journal = journal

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(
            useful_button_type(self.sharing), goal_button_type(self.plans), review_button_type()
        )

    @app_commands.command(name="share", description="Share a piece of your work with the group")
    @app_commands.guild_only()
    @app_commands.describe(
        title=f"What it is (up to {TITLE_LIMIT} characters)",
        link=f"Where it is: an http(s) link (up to {LINK_LIMIT} characters)",
        kind="What kind of work (default: other)",
    )
    async def share(
        self,
        interaction: discord.Interaction[Any],
        title: app_commands.Range[str, 1, TITLE_LIMIT],
        link: app_commands.Range[str, 1, LINK_LIMIT],
        kind: Kind = "other",
    ) -> None:
        community_id, user_id, name = acting_member(interaction)
        item = await self.sharing.share(community_id, user_id, name, title, link, kind)
        await reply(interaction, share_post(item))

    @app_commands.command(name="portfolio", description="Shared work, newest first, with votes")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose work to show (default: yours)")
    async def portfolio(
        self, interaction: discord.Interaction[Any], member: discord.Member | None = None
    ) -> None:
        who = member or interaction.user
        items = await self.sharing.portfolio(server_id(interaction), str(who.id))
        own = who.id == interaction.user.id
        await reply(interaction, portfolio(who.display_name, items, own), ephemeral=True)

    @app_commands.command(name="plan", description="Set up to 5 goals for this week, or see them")
    @app_commands.guild_only()
    @app_commands.describe(goals=f"Up to 5 goals separated by ';' (up to {GOALS_LIMIT} characters)")
    async def plan(
        self,
        interaction: discord.Interaction[Any],
        goals: app_commands.Range[str, 1, GOALS_LIMIT] | None = None,
    ) -> None:
        community_id, user_id, name = acting_member(interaction)
        if goals is None:
            week = await self.plans.this_week(community_id, user_id)
            shown = plan_shown(await self.plans.plan(community_id, user_id, week), week)
            await reply(interaction, shown, ephemeral=True)
            return
        plan = await self.plans.set_plan(community_id, user_id, name, goals)
        await reply(interaction, plan_set(plan), ephemeral=True)

    @app_commands.command(
        name="reflect", description="Answer today's reflection question, privately"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        answer=f"Your answer (up to {ANSWER_LIMIT} characters); none opens a form"
    )
    async def reflect(
        self,
        interaction: discord.Interaction[Any],
        answer: app_commands.Range[str, 1, ANSWER_LIMIT] | None = None,
    ) -> None:
        community_id, user_id, name = acting_member(interaction)
        if answer is None:
            question = await self.journal.question(community_id)
            await interaction.response.send_modal(reflect_modal(question))
            return
        saved = await self.journal.reflect(community_id, user_id, name, answer)
        await reply(interaction, reflection_saved(saved), ephemeral=True)

    @app_commands.command(
        name="journal", description="Your last 10 reflections (only you see them)"
    )
    @app_commands.guild_only()
    async def journal_command(self, interaction: discord.Interaction[Any]) -> None:
        community_id, user_id, _ = acting_member(interaction)
        entries = await self.journal.journal(community_id, user_id)
        await reply(interaction, journal(entries), ephemeral=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if not custom_id.startswith((REVIEW_MODAL_PREFIX, REFLECT_MODAL_PREFIX)):
            return
        if not await within_limit(interaction):
            return
        components = data.get("components")
        values = submitted_values(components if isinstance(components, list) else [])
        try:
            if custom_id.startswith(REVIEW_MODAL_PREFIX):
                guild_id, week, _ = custom_id.removeprefix(REVIEW_MODAL_PREFIX).split(":")
                await self.plans.write_review(
                    community_of(int(guild_id)),
                    str(interaction.user.id),
                    week,
                    values.get("helped"),
                    values.get("hindered"),
                )
                await reply(interaction, review_saved(), ephemeral=True)
            else:
                community_id, user_id, name = acting_member(interaction)
                saved = await self.journal.reflect(
                    community_id, user_id, name, values.get("answer")
                )
                await reply(interaction, reflection_saved(saved), ephemeral=True)
        except Exception as error:
            await reply_with_error(interaction, error)
