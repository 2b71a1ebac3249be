"""`studybot run` with test-only additions, for what a test cannot do from outside.

- `STUDYBOT_TEST_NOW` (an ISO instant with offset): the bot's clock stands still at that
  instant, so a test can "move to tomorrow" by restarting the bot with a later value.
- `STUDYBOT_TEST_CLOCK_FILE`: the clock reads the instant from that file at every call, so a
  test moves the time of a running bot; SIGUSR1 then makes the bot check what is due, as
  its scheduler does when a post time comes.
- `STUDYBOT_TEST_RETRY_SECONDS`: the wait between retries of a post the platform refused
  with a 5xx, instead of minutes.
- Three extra Discord commands that fail (`/explode`, `/explode-late`, `/refuse`), to prove
  the error path end to end.

Everything else is the real CLI and bot. Tests start it as `python -m tests.e2e.launcher run`.
"""

import asyncio
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import App, ExtraCog
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


class FileClock:
    def __init__(self, path: Path) -> None:
        self.path = path

    def now(self) -> datetime:
        return FixedClock(datetime.fromisoformat(self.path.read_text().strip())).now()


class Ticks:
    """On SIGUSR1, run what a scheduler job runs when a post time comes.

    The scheduler itself starts paused: it fires on the machine's real time, which a test with
    a moved clock does not follow. Its jobs are still built, so their next run times show.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self.running: set[asyncio.Task[object]] = set()
        start = app.scheduler.start
        app.scheduler.start = lambda *args, **kwargs: start(paused=True)
        if seconds := os.environ.get("STUDYBOT_TEST_RETRY_SECONDS"):
            # Outage tests cannot wait the real minutes between retries.
            app.services.poster.retry_delays = (float(seconds),) * 20
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, self.tick)

    def tick(self) -> None:
        task = asyncio.create_task(self.app.services.schedules.catch_up())
        self.running.add(task)
        task.add_done_callback(self.running.discard)


def install_ticks(app: App) -> None:
    Ticks(app)  # kept alive by the signal handler it installs


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
        raise UserError("minutes", low=1, high=720, sent="0")


def test_clock() -> Clock:
    if path := os.environ.get("STUDYBOT_TEST_CLOCK_FILE"):
        return FileClock(Path(path))
    if now := os.environ.get("STUDYBOT_TEST_NOW"):
        return FixedClock(datetime.fromisoformat(now))
    return SystemClock()


if __name__ == "__main__":
    cogs: list[ExtraCog] = [lambda app: FailingCog()]
    sys.exit(main(sys.argv[1:], extra_cogs=cogs, hooks=[install_ticks], clock=test_clock()))
