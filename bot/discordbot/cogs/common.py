"""What every cog needs from an interaction: the community it came from, and who acted."""

from __future__ import annotations

from typing import Any

import discord

from bot.discordbot.errors import Refusal
from bot.discordbot.ids import community_of


def server_id(interaction: discord.Interaction[Any]) -> str:
    """The community of the interaction; the study group lives in a server, not in DMs."""
    if interaction.guild_id is None:
        raise Refusal("This works inside a server, where your study group is.")
    return community_of(interaction.guild_id)


def acting_member(interaction: discord.Interaction[Any]) -> tuple[str, str, str]:
    """(community id, user id, display name) of the member who acted."""
    return server_id(interaction), str(interaction.user.id), interaction.user.display_name
