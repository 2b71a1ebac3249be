"""`studybot run` plus one test-only cog whose commands fail, to prove the error path end to end.

The tests start it as `python -m tests.e2e.failing_bot run`: the real CLI and bot, with three
extra commands that the shipped bot does not have.
"""

import sys
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cli import main
from bot.errors import UserError


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
    sys.exit(main(sys.argv[1:], extra_cogs=[lambda bot: FailingCog()]))
