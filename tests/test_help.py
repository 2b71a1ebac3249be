from typing import Any

import discord
from discord import app_commands

from bot.discordbot.cogs.help import command_infos
from bot.discordbot.render import FIELD_LIMIT, embeds_of, field_values
from bot.messages.help import help_message
from bot.messages.model import Field


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
    infos = command_infos([command("streak", "Your streak"), command("help", "This list"), admin])
    [embed] = embeds_of(help_message(infos, None))
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Commands for members"] == "`/help`: This list\n`/streak`: Your streak"
    assert fields["Commands for admins (Manage Server)"] == (
        "`/admin setup`: Choose the channel and times"
    )
    assert "Schedule" not in fields  # outside a server there is no schedule to show


def test_long_fields_are_split_between_lines_under_the_field_limit() -> None:
    lines = [f"`/command{i}`: " + "x" * 90 for i in range(40)]
    values = field_values(Field("Commands", tuple((line,) for line in lines)))
    assert len(values) > 1
    assert all(len(value) <= FIELD_LIMIT for value in values)
    assert "\n".join(values).split("\n") == lines
