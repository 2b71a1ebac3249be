"""Start the real bot (`studybot run`, a separate process) against our fake Discord.

A test asks for `fake` (the fake Discord), `guild`, `alice` (a member), `organiser` (Manage
Server) and `start_bot` (a factory that starts the bot and waits until it is ready). Every bot
started here is stopped with SIGTERM at the end, and the test fails if the bot sent Discord
anything its API description does not allow.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest

from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

REPO = Path(__file__).resolve().parents[2]
STUDYBOT = Path(sys.executable).with_name("studybot")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

pytestmark = pytest.mark.e2e


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log_path: Path
    database_path: Path
    stopped: bool = field(default=False)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait_for_log(self, text: str, count: int = 1, within: float = 10.0) -> None:
        """Wait until `text` appears `count` times in the log (the bot reports what it did)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                # Another process writes the file, so there is no event to await: poll it.
                while self.log().count(text) < count and self.process.returncode is None:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        if self.log().count(text) < count:
            raise AssertionError(f"{text!r} did not appear {count} time(s)\n{self.log()}")

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Send `sig` and wait for the exit code (failing if it takes too long)."""
        if self.process.returncode is None:
            self.process.send_signal(sig)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                code = await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"bot did not exit within {STOP_TIMEOUT}s of {sig.name}\n{self.log()}"
            ) from None
        self.stopped = True
        return code


def bot_environment(fake: FakeDiscord, workdir: Path, **overrides: str) -> dict[str, str]:
    """A clean environment: only what the bot needs, so no developer setting leaks in."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": fake.token,
        "DATABASE_URL": f"sqlite:///{workdir / 'studybot.db'}",
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "STUDYBOT_LOG_LEVEL": "DEBUG",
        # Test flows send many commands as one member; the limit has a test of its own.
        "STUDYBOT_COMMANDS_PER_MINUTE": "600",
    }
    env.update(overrides)
    return env


async def spawn(command: list[str], env: dict[str, str], workdir: Path) -> BotProcess:
    log_path = workdir / f"bot-{len(list(workdir.glob('bot-*.log')))}.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=workdir,  # no stray .env from the repository is read
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
        )
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    return BotProcess(process, log_path, database)


async def wait_ready(fake: FakeDiscord, bot: BotProcess) -> None:
    """Wait for READY on the fake's side, failing fast (with the log) if the bot dies first."""
    ready = asyncio.ensure_future(fake.wait_until_ready(timeout=START_TIMEOUT))
    exited = asyncio.ensure_future(bot.process.wait())
    done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
    if exited in done:
        ready.cancel()
        raise AssertionError(f"bot exited with {exited.result()} before ready\n{bot.log()}")
    exited.cancel()
    ready.result()


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


@pytest.fixture
async def start_bot(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[StartBot]:
    started: list[BotProcess] = []

    async def start(
        *args: str, module: str | None = None, wait: bool = True, **env: str
    ) -> BotProcess:
        """Start `studybot run ...` (or `python -m module run ...`); `env` overrides settings."""
        args = args or ("run",)
        command = [sys.executable, "-m", module, *args] if module else [str(STUDYBOT), *args]
        bot = await spawn(command, bot_environment(fake, tmp_path, **env), tmp_path)
        started.append(bot)
        if wait:
            await wait_ready(fake, bot)
        return bot

    yield start
    for bot in started:
        if not bot.stopped and bot.process.returncode is None:
            assert await bot.stop() == 0, bot.log()
