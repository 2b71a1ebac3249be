"""`studybot run` with two test-only additions, for what a test cannot do from outside.

- `STUDYBOT_TEST_NOW` (an ISO instant with offset): the bot's clock stands still at that
  instant, so a test can "move to tomorrow" by restarting the bot with a later value.
- Three extra commands that fail (`/explode`, `/explode-late`, `/refuse`), to prove the error
  path end to end.

Everything else is the real CLI and bot. Tests start it as `python -m tests.e2e.launcher run`.
"""

import os
import sys
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cli import main
from bot.clock import Clock, SystemClock
from bot.errors import UserError


class FixedClock:
    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("STUDYBOT_TEST_NOW needs an offset, such as +00:00")
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


class FailingCog(commands.Cog):
    @app_commands.command(name="explode", description="Always fails with a bug (test only)")
    async def explode(self, interaction: discord.Interaction[Any]) -> None:
        raise ZeroDivisionError("a bug in a handler")

    @app_commands.command(name="explode-late", description="Defers, then fails (test only)")
    async def explode_late(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise KeyError("a bug after deferring")

    @app_commands.command(name="refuse", description="Refuses bad input (test only)")
    async def refuse(self, interaction: discord.Interaction[Any]) -> None:
        raise UserError("minutes must be a whole number from 1 to 720; you sent 0.")


if __name__ == "__main__":
    now = os.environ.get("STUDYBOT_TEST_NOW")
    clock: Clock = FixedClock(datetime.fromisoformat(now)) if now else SystemClock()
    sys.exit(main(sys.argv[1:], extra_cogs=[lambda bot: FailingCog()], clock=clock))
