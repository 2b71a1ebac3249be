"""Start the real bot (`studybot run`, a separate process) against our fake Discord.

A test asks for `fake` (the fake Discord), `guild`, `alice` (a member), `organiser` (Manage
Server) and `start_bot` (a factory that starts the bot and waits until it is ready). Every bot
started here is stopped with SIGTERM at the end, and the test fails if the bot sent Discord
anything its API description does not allow.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import discord
import pytest

from tests import postgres
from tests.e2e.process import STUDYBOT, BotProcess, bot_environment, spawn, wait_ready
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

pytestmark = pytest.mark.e2e


StartBot = Callable[..., Awaitable[BotProcess]]
LAUNCHER = "tests.e2e.launcher"
CATCH_UP = "catch-up done"


class BotClock:
    """The running bot's clock: a file the launcher reads at every call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def set(self, instant: str) -> None:
        self.path.write_text(instant)


@pytest.fixture
def clock(tmp_path: Path) -> BotClock:
    return BotClock(tmp_path / "now.txt")


async def start(start_bot: StartBot, clock: BotClock, **env: str) -> BotProcess:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_CLOCK_FILE=str(clock.path), **env)
    await bot.wait_for_log(CATCH_UP)  # the start-up catch-up has run
    return bot


async def tick(bot: BotProcess) -> None:
    """What the scheduler does when a post time comes: check what is due, and post it."""
    done = bot.log().count(CATCH_UP)
    bot.process.send_signal(signal.SIGUSR1)
    await bot.wait_for_log(CATCH_UP, count=done + 1)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
    assert server.problems == [], "the bot sent requests Discord would reject"


@pytest.fixture
def guild(fake: FakeDiscord) -> FakeGuild:
    """The study group's server, with its #study channel; it exists before the bot connects."""
    return fake.add_guild("ML Study Group")


@pytest.fixture
def alice(guild: FakeGuild) -> FakeMember:
    return guild.add_member("alice")


@pytest.fixture
def organiser(guild: FakeGuild) -> FakeMember:
    return guild.add_member("organiser", permissions=discord.Permissions(manage_guild=True).value)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[str | None]:
    """The DATABASE_URL the bot gets: None for the SQLite file of every e2e test, or a new
    PostgreSQL database for tests marked both_engines (their PostgreSQL run)."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    url = await postgres.fresh_database()
    yield url
    postgres.drop(url)


@pytest.fixture
async def start_bot(
    fake: FakeDiscord, tmp_path: Path, engine: str | None
) -> AsyncIterator[StartBot]:
    started: list[BotProcess] = []
    database = {} if engine is None else {"DATABASE_URL": engine}

    async def start(
        *args: str, module: str | None = None, wait: bool = True, **env: str
    ) -> BotProcess:
        """Start `studybot run ...` (or `python -m module run ...`); `env` overrides settings."""
        args = args or ("run",)
        command = [sys.executable, "-m", module, *args] if module else [str(STUDYBOT), *args]
        bot = await spawn(command, bot_environment(fake, tmp_path, **database, **env), tmp_path)
        started.append(bot)
        if wait:
            await wait_ready(fake, bot)
        return bot

    yield start
    for bot in started:
        if not bot.stopped and bot.process.returncode is None:
            assert await bot.stop() == 0, bot.log()
