"""The real bot as a separate process: its environment, start, log and stop.

Shared by the end-to-end tests (through their conftest) and by `bench/`, which must not import
a conftest.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.discordbot.ids import community_of
from bot.store.database import Database
from tests.fakediscord import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
STUDYBOT = Path(sys.executable).with_name("studybot")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


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


async def set_up_servers(db: Database, channels: dict[int, int]) -> None:
    """Servers already set up, as `/admin setup` leaves them: guild id -> study channel id, the
    daily post at 09:00 UTC. For tests and benchmarks of many servers at once."""
    now = datetime(2026, 11, 20, tzinfo=UTC).isoformat()
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO communities (community_id, channel_id, timezone, post_time, created_at, "
            "updated_at) VALUES (?, ?, 'UTC', '09:00', ?, ?)",
            [(community_of(guild), str(channel), now, now) for guild, channel in channels.items()],
        )
