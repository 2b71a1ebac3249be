import re
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.discordbot.errors import Refusal, explain
from bot.errors import UserError
from bot.messages.refusals import PHRASES


def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
    async def callback(interaction: discord.Interaction[Any]) -> None:
        raise original

    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name="x", description="x", callback=callback
    )
    return app_commands.CommandInvokeError(command, original)


def test_a_refusal_is_worded_in_discord_command_syntax() -> None:
    assert explain(invoke_error(UserError("minutes", low=1, high=720, sent="0"))) == (
        "Minutes must be a whole number from 1 to 720; you sent 0."
    )
    assert explain(invoke_error(UserError("not_away"))) == (
        "You are not away. (/away until:YYYY-MM-DD starts time away.)"
    )
    assert explain(Refusal("Pick a text channel of this server that I can see.")) == (
        "Pick a text channel of this server that I can see."
    )


def test_a_refusal_nobody_worded_is_treated_as_a_bug() -> None:
    assert explain(invoke_error(UserError("no_such_code"))) is None
    assert explain(invoke_error(UserError("minutes", wrong_parameter=1))) is None


def test_every_code_the_core_raises_has_a_phrase() -> None:
    raised = set()
    for path in (Path(__file__).parent.parent / "bot").rglob("*.py"):
        raised |= set(re.findall(r'UserError\(\s*"([a-z_]+)"', path.read_text()))
    assert raised
    assert raised <= set(PHRASES), raised - set(PHRASES)


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
