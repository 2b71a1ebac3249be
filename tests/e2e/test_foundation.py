"""The foundation end to end: the real `studybot run` process against the fake Discord."""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import StartBot
from tests.e2e.process import REPO, STUDYBOT, bot_environment
from tests.fakediscord import FakeDiscord, FakeMember

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


async def test_bot_starts_syncs_its_commands_and_answers_help(
    fake: FakeDiscord, start_bot: StartBot, alice: FakeMember
) -> None:
    bot = await start_bot()
    [sync] = await fake.wait_for_command_sync()
    assert sync.guild_id is None  # global: no dev server configured
    assert "help" in sync.names

    reply = await alice.slash("help")
    assert reply.ephemeral
    assert "Commands for members" in reply.text
    assert "`/help`" in reply.text

    [identify] = fake.identifies
    assert identify["intents"] & PRIVILEGED_INTENTS == 0
    assert await bot.stop() == 0
    log = bot.log()
    assert "shut down cleanly" in log
    assert fake.token not in log


async def test_dev_guild_gets_the_commands_instead_of_everyone(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    guild = fake.add_guild("Dev server")
    await start_bot(STUDYBOT_DEV_GUILD_ID=str(guild.id))
    [sync] = await fake.wait_for_command_sync()
    assert sync.guild_id == guild.id
    assert "help" in sync.names


async def test_unchanged_commands_are_not_synced_again_after_a_restart(
    fake: FakeDiscord, start_bot: StartBot, alice: FakeMember
) -> None:
    first = await start_bot()
    await fake.wait_for_command_sync()
    assert await first.stop() == 0
    second = await start_bot()
    reply = await alice.slash("help")
    assert "Commands for members" in reply.text
    assert len(fake.command_syncs) == 1
    assert "commands unchanged since the last sync" in second.log()


async def test_resync_flag_syncs_even_when_unchanged(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    first = await start_bot()
    await fake.wait_for_command_sync()
    assert await first.stop() == 0
    await start_bot("run", "--resync")
    await fake.wait_for_command_sync(count=2)
    assert len(fake.command_syncs) == 2


async def test_a_failing_handler_gives_a_private_error_with_an_id_that_is_in_the_log(
    fake: FakeDiscord, start_bot: StartBot, alice: FakeMember
) -> None:
    bot = await start_bot(module="tests.e2e.launcher")

    reply = await alice.slash("explode")
    assert reply.ephemeral
    match = re.search(r"error id ([0-9a-f]{8})", reply.text)
    assert match, reply.text
    assert "Traceback" not in reply.text
    assert "ZeroDivisionError" not in reply.text

    late = await alice.slash("explode-late")
    final = await late.final()
    late_match = re.search(r"error id ([0-9a-f]{8})", final.text)
    assert late_match, final.text
    assert late_match.group(1) != match.group(1)

    refused = await alice.slash("refuse")
    assert refused.ephemeral
    assert refused.text == "Minutes must be a whole number from 1 to 720; you sent 0."

    assert await bot.stop() == 0
    log = bot.log()
    for error_id, exception in (
        (match.group(1), "ZeroDivisionError"),
        (late_match.group(1), "KeyError"),
    ):
        entry = log[log.index(f"error id {error_id}") :]
        assert "Traceback" in entry
        assert exception in entry
    assert "Minutes must be a whole number" not in log  # a refusal is not an error


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_the_bot_cleanly_with_exit_code_zero(
    fake: FakeDiscord, start_bot: StartBot, sig: signal.Signals
) -> None:
    bot = await start_bot()
    await fake.wait_for_command_sync()
    assert await bot.stop(sig) == 0
    assert f"received {sig.name}, shutting down" in bot.log()
    # The database was closed properly: the WAL was folded back into the main file.
    assert not Path(f"{bot.database_path}-wal").exists() or (
        Path(f"{bot.database_path}-wal").stat().st_size == 0
    )


async def test_a_rejected_token_exits_2_with_an_explanation(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot(wait=False, DISCORD_TOKEN="not-the-right-token")
    assert await asyncio.wait_for(bot.process.wait(), timeout=30) == 2
    assert "Discord rejected DISCORD_TOKEN" in bot.log()
    assert "not-the-right-token" not in bot.log()


async def test_migrations_run_at_start_up(fake: FakeDiscord, start_bot: StartBot) -> None:
    bot = await start_bot()
    await fake.wait_for_command_sync()
    with sqlite3.connect(bot.database_path) as conn:
        (version,) = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    assert version >= 1


def test_missing_token_exits_2_with_one_clear_paragraph(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(STUDYBOT), "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    message = result.stderr.strip()
    assert message.startswith("studybot: no chat platform is configured: set DISCORD_TOKEN")
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN" in message  # one line that names both
    assert "discord.com/developers/applications" in message
    assert "api.slack.com/apps" in message
    assert "README" in message
    assert "\n" not in message
    assert not (tmp_path / "data").exists()  # nothing was created before the refusal


def test_make_run_without_a_token_exits_2_with_the_explanation(tmp_path: Path) -> None:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DISCORD_TOKEN": "",  # wins over any .env a developer keeps in the repository
        "SLACK_BOT_TOKEN": "",
        "SLACK_APP_TOKEN": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2
    assert "studybot: no chat platform is configured" in result.stderr
    assert "README" in result.stderr


async def test_a_bad_setting_stops_the_bot_naming_the_setting(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = bot_environment(fake, tmp_path, STUDYBOT_LOG_LEVEL="chatty")
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert stderr.decode().strip() == (
        "studybot: STUDYBOT_LOG_LEVEL is 'chatty'; accepted: DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )
