"""Running the real `studybot run` on Slack against the fake Slack, for the Slack e2e tests.

The process gets only Slack's tokens (no DISCORD_TOKEN) unless a test adds Discord's, and its
clock is a file the test moves (see tests/e2e/launcher.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CATCH_UP, BotClock
from tests.e2e.process import REPO, BotProcess, spawn
from tests.fakeslack import FakeSlack

StartSlack = Callable[..., Awaitable[BotProcess]]


def slack_environment(fake: FakeSlack, workdir: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot on Slack alone; `settings` add to it or override it."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_APP_TOKEN": fake.app_token,
        "SLACK_API_BASE_URL": fake.api_base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'studybot.db'}",
        "STUDYBOT_LOG_LEVEL": "DEBUG",
    } | settings


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    yield server
    await server.close()


@pytest.fixture
def slack_clock(tmp_path: Path) -> BotClock:
    clock = BotClock(tmp_path / "now.txt")
    clock.set("2026-12-02T10:00:00+00:00")
    return clock


async def stop(fake: FakeSlack, process: BotProcess) -> None:
    """Every envelope acked, then a clean stop with no traceback anywhere in the log."""
    for envelope in list(fake.acks):
        await fake.wait_ack(envelope)
    if process.process.returncode is None:
        assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()


@pytest.fixture
async def start_slack(
    slack: FakeSlack, slack_clock: BotClock, tmp_path: Path
) -> AsyncIterator[StartSlack]:
    running: list[BotProcess] = []

    async def start(**env: str) -> BotProcess:
        command = [sys.executable, "-m", "tests.e2e.launcher", "run"]
        environment = slack_environment(
            slack, tmp_path, STUDYBOT_TEST_CLOCK_FILE=str(slack_clock.path), **env
        )
        process = await spawn(command, environment, tmp_path)
        running.append(process)
        await process.wait_for_log(CATCH_UP)  # connected, and the start-up catch-up has run
        return process

    yield start
    for process in running:
        await stop(slack, process)


@pytest.fixture
async def slack_bot(start_slack: StartSlack) -> BotProcess:
    return await start_slack()


def text_of(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks", [])) + str(reply.get("text", ""))


def rows(bot: BotProcess, query: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(bot.database_path) as conn:
        return conn.execute(query, args).fetchall()
