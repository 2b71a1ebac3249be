"""What every cog needs from an interaction: the server it came from, and who acted."""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import UserError


def server_id(interaction: discord.Interaction[Any]) -> int:
    """The server of the interaction; the study group lives there, not in direct messages."""
    if interaction.guild_id is None:
        raise UserError("This works inside a server, where your study group is.")
    return interaction.guild_id


def acting_member(interaction: discord.Interaction[Any]) -> tuple[int, int, str]:
    """(server id, user id, display name) of the member who acted."""
    return server_id(interaction), interaction.user.id, interaction.user.display_name
