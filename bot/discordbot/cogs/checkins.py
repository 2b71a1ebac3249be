"""/checkin, the persistent "Check in" button, and the check-in modal.

The modal is never kept in discord.py's in-memory store (a restart would forget it, and a
fixed id would let two members' modals clobber each other). Each opening gets a unique id
with a known prefix, and every submission is handled here by that prefix, before or after a
restart alike.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.common import acting_member, server_id
from bot.discordbot.custom_ids import CHECKIN_BUTTON, CHECKIN_MODAL_PREFIX
from bot.discordbot.errors import MemberView, reply_with_error, within_limit
from bot.discordbot.render import reply
from bot.domain.inputs import MAX_MINUTES, MIN_MINUTES, NOTE_LIMIT, TOPIC_LIMIT
from bot.domain.work import LINK_LIMIT
from bot.messages.progress import checkin_reply
from bot.services.checkins import CheckinService

log = logging.getLogger(__name__)


def checkin_modal() -> discord.ui.Modal:
    modal = discord.ui.Modal(
        title="Check in", custom_id=CHECKIN_MODAL_PREFIX + secrets.token_hex(8), timeout=None
    )
    modal.add_item(
        discord.ui.TextInput(
            label=f"Minutes studied ({MIN_MINUTES}-{MAX_MINUTES})",
            custom_id="minutes",
            placeholder="45",
            max_length=3,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Topic (optional)",
            custom_id="topic",
            placeholder="pandas window functions",
            required=False,
            max_length=TOPIC_LIMIT,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Note for the group (optional)",
            custom_id="note",
            style=discord.TextStyle.paragraph,
            placeholder="What did you build, derive or learn?",
            required=False,
            max_length=NOTE_LIMIT,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Link to your work (optional)",
            custom_id="link",
            placeholder="https://github.com/you/project",
            required=False,
            max_length=LINK_LIMIT,
        )
    )
    # Stopped before sending, so discord.py does not keep it: submissions come to on_interaction.
    modal.stop()
    return modal


def submitted_values(components: list[dict[str, Any]]) -> dict[str, str]:
    """custom_id -> value of every text input, in action rows or labels at any depth."""
    values: dict[str, str] = {}
    for component in components:
        if "value" in component and "custom_id" in component:
            values[component["custom_id"]] = str(component["value"])
        children = list(component.get("components", []))
        if "component" in component:
            children.append(component["component"])
        values.update(submitted_values(children))
    return values


class CheckinButton(MemberView):
    """The "Check in" button any message can carry; registered once, works after restarts."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def writes(self, interaction: discord.Interaction[Any]) -> bool:
        return False  # it only opens the modal; the submission is what counts

    @discord.ui.button(
        label="Check in", emoji="✅", style=discord.ButtonStyle.success, custom_id=CHECKIN_BUTTON
    )
    async def open_modal(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        server_id(interaction)
        await interaction.response.send_modal(checkin_modal())


class CheckinCog(commands.Cog):
    def __init__(self, bot: discord.Client, checkins: CheckinService) -> None:
        self.bot = bot
        self.checkins = checkins

    async def cog_load(self) -> None:
        self.bot.add_view(CheckinButton())

    @app_commands.command(name="checkin", description="Log a study session and keep your streak")
    @app_commands.guild_only()
    @app_commands.describe(
        minutes=f"Minutes you studied ({MIN_MINUTES}-{MAX_MINUTES})",
        topic=f"What you studied (up to {TOPIC_LIMIT} characters)",
        note=f"What you did or learned, shown to the group (up to {NOTE_LIMIT} characters)",
        link=f"A link to what you made: an http(s) URL (up to {LINK_LIMIT} characters)",
    )
    async def checkin(
        self,
        interaction: discord.Interaction[Any],
        minutes: app_commands.Range[int, MIN_MINUTES, MAX_MINUTES],
        topic: app_commands.Range[str, 1, TOPIC_LIMIT] | None = None,
        note: app_commands.Range[str, 1, NOTE_LIMIT] | None = None,
        link: app_commands.Range[str, 1, LINK_LIMIT] | None = None,
    ) -> None:
        await self.record(interaction, minutes, topic, note, source="command", link=link)

    async def record(
        self,
        interaction: discord.Interaction[Any],
        minutes: object,
        topic: str | None,
        note: str | None,
        source: str,
        link: str | None = None,
    ) -> None:
        community_id, user_id, name = acting_member(interaction)
        result = await self.checkins.check_in(
            community_id, user_id, name, minutes, topic, note, source, link
        )
        await reply(interaction, checkin_reply(name, result))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data = dict(interaction.data or {})
        if not str(data.get("custom_id", "")).startswith(CHECKIN_MODAL_PREFIX):
            return
        if not await within_limit(interaction):
            return
        try:
            components = data.get("components")
            values = submitted_values(components if isinstance(components, list) else [])
            await self.record(
                interaction,
                values.get("minutes", ""),
                values.get("topic"),
                values.get("note"),
                source="button",
                link=values.get("link"),
            )
        except Exception as error:
            await reply_with_error(interaction, error)
