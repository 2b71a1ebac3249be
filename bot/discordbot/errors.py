"""Turn any failure in an interaction into one short, private line for the member.

Expected refusals (bad input, missing permission) are explained. Anything else gets an error
id: the member sees the id, the log gets the full traceback under the same id.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot.discordbot.render import line
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
    def __init__(self, limit: int, retry_after: float) -> None:
        super().__init__(
            f"Easy there: at most {limit} commands a minute. Try again in "
            f"{max(1, round(retry_after))} seconds."
        )


class RateLimiter:
    """At most `limit` member actions that write, per member and server in any 60 seconds.

    Members are kept in order of their last action, so those idle for a minute fall off the
    front: memory follows the members active in the last minute, not everyone ever seen, and
    each check forgets the idle ones it meets first (work shared out across the checks).
    """

    WINDOW = 60.0

    def __init__(self, limit: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._monotonic = monotonic
        self._recent: OrderedDict[tuple[int, int], deque[float]] = OrderedDict()

    def __len__(self) -> int:
        """How many members the limiter currently remembers."""
        return len(self._recent)

    def check(self, guild_id: int, user_id: int) -> None:
        now = self._monotonic()
        key = (guild_id, user_id)
        recent = self._recent.pop(key, None)
        if recent is None:
            recent = deque()
        self._recent[key] = recent  # now the most recently active
        while recent and now - recent[0] >= self.WINDOW:
            recent.popleft()
        self._forget_idle(now)
        if len(recent) >= self.limit:
            raise TooManyCommands(self.limit, self.WINDOW - (now - recent[0]))
        recent.append(now)

    def _forget_idle(self, now: float) -> None:
        # The front was active longest ago; stop at the first member still inside the window.
        # The member acting now is last, so it is never dropped while others remain.
        while len(self._recent) > 1:
            recent = next(iter(self._recent.values()))
            if recent and now - recent[-1] < self.WINDOW:
                return
            self._recent.popitem(last=False)


def charge(interaction: discord.Interaction[Any]) -> None:
    """Count one member action that writes; raises TooManyCommands over the limit.

    The one place every counted action goes through: slash commands (StudyTree), button
    clicks (MemberView, SolvedButton) and modal submissions (the check-in modal).
    """
    tree = getattr(interaction.client, "tree", None)
    if isinstance(tree, StudyTree) and tree.limiter is not None:
        tree.limiter.check(interaction.guild_id or 0, interaction.user.id)


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
