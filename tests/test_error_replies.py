import discord
import pytest
from discord import app_commands

from bot.discordbot.errors import explain
from bot.errors import UserError


def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
    async def callback(interaction: discord.Interaction) -> None:  # type: ignore[type-arg]
        raise original

    command = app_commands.Command(name="x", description="x", callback=callback)
    return app_commands.CommandInvokeError(command, original)


def test_a_user_error_is_shown_as_it_is() -> None:
    message = "minutes must be a whole number from 1 to 720; you sent 0."
    assert explain(invoke_error(UserError(message))) == message


def test_missing_permission_names_it_in_plain_words() -> None:
    error = app_commands.MissingPermissions(["manage_guild"])
    assert explain(error) == "You need the Manage Server permission for this."


@pytest.mark.parametrize(
    "error",
    [app_commands.NoPrivateMessage(), app_commands.CheckFailure()],
)
def test_refusals_get_a_one_line_answer(error: app_commands.AppCommandError) -> None:
    message = explain(error)
    assert message
    assert "\n" not in message


def test_a_bug_is_not_explained_so_it_gets_an_error_id() -> None:
    assert explain(invoke_error(ZeroDivisionError("division by zero"))) is None
