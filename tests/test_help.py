from typing import Any

import discord
from discord import app_commands

from bot.discordbot.cogs.help import FIELD_LIMIT, chunk_field, help_embed


async def _noop(interaction: discord.Interaction[Any]) -> None:
    raise AssertionError("never invoked here")


def command(name: str, description: str) -> app_commands.Command[Any, ..., Any]:
    return app_commands.Command(name=name, description=description, callback=_noop)


def test_help_groups_commands_for_members_and_admins() -> None:
    admin = app_commands.Group(
        name="admin",
        description="Server setup",
        default_permissions=discord.Permissions(manage_guild=True),
    )
    admin.add_command(command("setup", "Choose the channel and times"))
    embed = help_embed([command("streak", "Your streak"), command("help", "This list"), admin])
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Commands for members"] == "`/help`: This list\n`/streak`: Your streak"
    assert fields["Commands for admins (Manage Server)"] == (
        "`/admin setup`: Choose the channel and times"
    )


def test_long_sections_are_split_under_the_field_limit() -> None:
    lines = [f"`/command{i}`: " + "x" * 90 for i in range(40)]
    chunks = chunk_field(lines)
    assert len(chunks) > 1
    assert all(len(chunk) <= FIELD_LIMIT for chunk in chunks)
    assert "\n".join(chunks).split("\n") == lines
