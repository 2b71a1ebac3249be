"""Turn any failure in an interaction into one short, private line for the member.

Expected refusals (bad input, missing permission) are explained. Anything else gets an error
id: the member sees the id, the log gets the full traceback under the same id.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.discordbot.render import line
from bot.domain.limits import RateLimiter
from bot.errors import UserError
from bot.logs import new_error_id
from bot.messages.refusals import refusal_text

log = logging.getLogger(__name__)
MESSAGE_LIMIT = 2000  # Discord refuses longer message content


def _permission_names(permissions: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in permissions)


class Refusal(Exception):
    """A refusal worded by this adapter (Discord-only situations: attachments, channels)."""


def explain(error: BaseException) -> str | None:
    """The reply for an error we expected, or None if it is a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        try:
            return line(refusal_text(error))
        except (KeyError, TypeError):
            return None  # a refusal nobody worded is a bug: the member gets an error id
    if isinstance(error, Refusal | TooManyCommands):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permission_names(error.missing_permissions)} permission for this."
    if isinstance(error, app_commands.BotMissingPermissions):
        names = _permission_names(error.missing_permissions)
        return f"I am missing the {names} permission here; ask an admin to grant it."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works inside a server, not in direct messages."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.TransformerError):
        return f"{error.value!r} is not a valid value for this option."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "This command changed since Discord last loaded it; try again in a minute."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


async def reply_with_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    message = explain(error)
    if message is None:
        error_id = new_error_id()
        command = interaction.command.qualified_name if interaction.command else None
        custom_id = dict(interaction.data or {}).get("custom_id")
        log.error(
            "error id %s: interaction failed (command=%s, custom_id=%s, user=%s, guild=%s)",
            error_id,
            command,
            custom_id,
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        message = (
            f"Something went wrong on our side (error id {error_id}). Please try again; "
            "if it keeps happening, give this id to the server's organisers."
        )
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell user %s about an error", interaction.user.id, exc_info=True)


class TooManyCommands(app_commands.CheckFailure):
    """The member limit's refusal, in the form discord.py's command checks raise."""

    def __init__(self, error: UserError) -> None:
        super().__init__(line(refusal_text(error)))


def charge(interaction: discord.Interaction[Any]) -> None:
    """Count one member action that writes; raises TooManyCommands over the limit.

    The one place every counted action goes through: slash commands (StudyTree), button
    clicks (MemberView, SolvedButton) and modal submissions (the check-in modal).
    """
    tree = getattr(interaction.client, "tree", None)
    if isinstance(tree, StudyTree) and tree.limiter is not None:
        try:
            tree.limiter.check(str(interaction.guild_id or 0), str(interaction.user.id))
        except UserError as error:
            raise TooManyCommands(error) from None


async def within_limit(interaction: discord.Interaction[Any]) -> bool:
    """`charge` for handlers outside a view or the command tree: refuses in the reply."""
    try:
        charge(interaction)
    except TooManyCommands as error:
        await reply_with_error(interaction, error)
        return False
    return True


class MemberView(discord.ui.View):
    """A view whose clicks count against the member's limit, and whose failures get one line.

    A view with buttons that write nothing (opening a modal, cancelling) overrides `writes`.
    """

    def writes(self, interaction: discord.Interaction[Any]) -> bool:
        return True

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if self.writes(interaction):
            charge(interaction)  # a refusal goes to on_error, which tells the member
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: Any
    ) -> None:
        await reply_with_error(interaction, error)


class StudyTree(app_commands.CommandTree[Any]):
    """Owns app-command errors and the per-member rate limit, so no cog needs its own."""

    limiter: RateLimiter | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        # Autocomplete fires on every keystroke; only commands count.
        if interaction.type is discord.InteractionType.application_command:
            charge(interaction)
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await reply_with_error(interaction, error)
