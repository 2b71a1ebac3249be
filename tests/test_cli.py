"""The `studybot` command as an organiser runs it (a separate process, a clean environment)."""

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot import __version__
from bot.instance_lock import held
from bot.store.migrations import bundled_migrations
from tests import postgres

LATEST = len(bundled_migrations())

STUDYBOT = Path(sys.executable).with_name("studybot")


def studybot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STUDYBOT), *args],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version(tmp_path: Path) -> None:
    result = studybot(tmp_path, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"studybot {__version__}")


def test_migrate_creates_the_database_and_prints_the_version(tmp_path: Path) -> None:
    first = studybot(tmp_path, "migrate")
    assert first.returncode == 0, first.stderr
    assert "applied 0001_init.sql" in first.stdout
    assert f"schema version {LATEST}" in first.stdout
    again = studybot(tmp_path, "migrate")
    assert "applied" not in again.stdout
    assert (tmp_path / "data" / "studybot.db").is_file()


def test_check_reports_a_missing_token_and_exits_1(tmp_path: Path) -> None:
    result = studybot(tmp_path, "check")
    assert result.returncode == 1
    assert "problem: no chat platform is configured: set DISCORD_TOKEN" in result.stderr
    assert "SLACK_BOT_TOKEN and SLACK_APP_TOKEN to run on Slack" in result.stderr
    assert "Discord: not configured" in result.stdout
    assert "Slack: not configured" in result.stdout
    assert "commands to sync to every server (global): " in result.stdout
    assert "/help" in result.stdout
    assert "/checkin" in result.stdout


def test_check_reports_each_platform(tmp_path: Path) -> None:
    both = studybot(
        tmp_path, "check", DISCORD_TOKEN="x.y.z", SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1"
    )
    assert both.returncode == 0, both.stderr
    assert "Discord: DISCORD_TOKEN set" in both.stdout
    assert "Slack: SLACK_BOT_TOKEN and SLACK_APP_TOKEN set (Socket Mode)" in both.stdout
    half = studybot(tmp_path, "check", SLACK_BOT_TOKEN="xoxb-1")
    assert half.returncode == 1
    assert "SLACK_APP_TOKEN is not set" in half.stderr
    wrong = studybot(tmp_path, "check", SLACK_BOT_TOKEN="xapp-1", SLACK_APP_TOKEN="xapp-1")
    assert wrong.returncode == 2
    assert "SLACK_BOT_TOKEN must be the token Slack shows, starting with xoxb-" in wrong.stderr
    assert "xapp-1" not in wrong.stderr


def test_check_passes_with_valid_settings_and_never_creates_the_database(tmp_path: Path) -> None:
    result = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z", STUDYBOT_DEV_GUILD_ID="42")
    assert result.returncode == 0, result.stderr
    assert "does not exist yet" in result.stdout
    assert "commands to sync to server 42" in result.stdout
    assert result.stdout.strip().endswith("ok")
    assert not (tmp_path / "data").exists()
    assert "Discord shards: every shard in this process, at Discord's recommended count" in (
        result.stdout
    )


def test_check_finds_a_database_newer_than_the_code(tmp_path: Path) -> None:
    studybot(tmp_path, "migrate")
    with sqlite3.connect(tmp_path / "data" / "studybot.db") as conn:
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'future', 'x', 'later')", (LATEST + 1,)
        )
    result = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z")
    assert result.returncode == 1
    assert "newer than this studybot" in result.stderr
    run = studybot(tmp_path, "migrate")
    assert run.returncode == 1
    assert run.stderr.startswith(f"studybot: the database is at schema version {LATEST + 1}")


def test_backup_writes_a_usable_copy(tmp_path: Path) -> None:
    studybot(tmp_path, "migrate")
    result = studybot(tmp_path, "backup", "backups/today.db")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "backups" / "today.db") as conn:
        assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone() == (LATEST,)


def test_backup_without_a_database_exits_1_with_a_reason(tmp_path: Path) -> None:
    result = studybot(tmp_path, "backup", "copy.db")
    assert result.returncode == 1
    assert "there is no database at data/studybot.db" in result.stderr


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


UNWRITABLE = "sqlite:////proc/studybot-nope/studybot.db"  # not even root can write there


def test_run_without_a_network_is_one_line_that_says_what_to_check(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/v10"
    result = studybot(tmp_path, "run", DISCORD_TOKEN="x.y.z", DISCORD_API_BASE_URL=api)
    assert result.returncode == 1
    line = last_line(result)
    assert line.startswith(f"studybot: cannot reach Discord at {api} (Cannot connect to host")
    assert line.endswith(
        "Check this machine's internet connection (and DISCORD_API_BASE_URL, if you set it), "
        "then start studybot again."
    )


def test_run_with_an_unwritable_database_folder_stops_before_connecting(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/v10"
    result = studybot(
        tmp_path, "run", DISCORD_TOKEN="x.y.z", DISCORD_API_BASE_URL=api, DATABASE_URL=UNWRITABLE
    )
    assert result.returncode == 1
    assert last_line(result) == (
        "studybot: cannot write in /proc (No such file or directory), so the database "
        "/proc/studybot-nope/studybot.db cannot be kept there; set DATABASE_URL to a path in a "
        "folder this user can write to"
    )
    assert "logging in" not in result.stderr
    assert "Event loop is closed" not in result.stderr


def test_a_file_where_the_database_folder_should_be_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file, not a folder")
    result = studybot(tmp_path, "migrate")
    assert result.returncode == 1
    assert last_line(result) == (
        "studybot: data is a file where a folder should be; move it away or set DATABASE_URL "
        "to a path in a folder"
    )


def test_check_tests_that_the_database_folder_is_writable(tmp_path: Path) -> None:
    result = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z", DATABASE_URL=UNWRITABLE)
    assert result.returncode == 1
    assert "problem: cannot write in /proc (No such file or directory)" in result.stderr
    assert result.stdout.strip().endswith("1 problem(s) found")


def test_backup_to_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    studybot(tmp_path, "migrate")
    result = studybot(tmp_path, "backup", "/proc/nope/x.db")
    assert result.returncode == 1
    line = last_line(result)
    assert line.startswith("studybot: the backup of data/studybot.db to /proc/nope/x.db failed (")
    assert line.endswith(
        "give a destination in a folder this user can write to, such as backups/studybot.db"
    )


def test_migrate_and_check_see_a_running_studybot(tmp_path: Path) -> None:
    database = tmp_path / "data" / "studybot.db"
    with held(database, datetime(2026, 11, 21, 9, 0, tzinfo=UTC)):
        migrate = studybot(tmp_path, "migrate")
        check = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z")
    assert migrate.returncode == 1
    assert last_line(migrate) == (
        f"studybot: another studybot (pid {os.getpid()}, host {socket.gethostname()}, started "
        "2026-11-21T09:00:00+00:00) is already using data/studybot.db; stop it first"
    )
    assert check.returncode == 0, check.stderr
    assert f"database: in use by a running studybot (pid {os.getpid()}," in check.stdout
    assert studybot(tmp_path, "migrate").returncode == 0  # released with the holder


BROKEN_RUN = """
import sys
import bot.app
import bot.cli

def broken(*args, **kwargs):
    raise ZeroDivisionError("a bug while building the bot")

bot.app.StudyBot = broken
sys.exit(bot.cli.main(["run"]))
"""


def test_an_unexpected_error_is_logged_under_an_id_and_ends_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BROKEN_RUN],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DISCORD_TOKEN": "x.y.z"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    *log, line = result.stderr.strip().splitlines()
    found = re.fullmatch(
        r"studybot: run stopped on an unexpected error \(ZeroDivisionError, error id "
        r"([0-9a-f]{8})\); the log above has the details\. Please report it with that log\.",
        line,
    )
    assert found, line
    logged = "\n".join(log)
    assert f"ERROR    studybot: error id {found[1]}: studybot run stopped" in logged
    assert "Traceback" in logged  # the details are in the log, for whoever reads it
    assert "ZeroDivisionError: a bug while building the bot" in logged
    assert "x.y.z" not in result.stderr


def test_slack_manifest_is_json_for_socket_mode_and_the_study_command(tmp_path: Path) -> None:
    result = studybot(tmp_path, "slack", "manifest")
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    [command] = manifest["features"]["slash_commands"]
    assert (command["command"], command["should_escape"]) == ("/study", True)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "channels:history",
        "groups:history",
        "files:write",
    }


async def test_migrate_check_and_backup_on_postgresql(tmp_path: Path) -> None:
    url = await postgres.empty_database()
    try:
        check = studybot(tmp_path, "check", DATABASE_URL=url, DISCORD_TOKEN="x.y.z")
        assert f"{LATEST} migration(s) pending" in check.stdout, check.stderr
        assert "@" not in check.stdout  # the URL is shown without user or password
        migrated = studybot(tmp_path, "migrate", DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
        assert "applied 0001_init.sql" in migrated.stdout
        assert f"schema version {LATEST}" in migrated.stdout
        again = studybot(
            tmp_path,
            "check",
            DATABASE_URL=url,
            DISCORD_TOKEN="x.y.z",
            STUDYBOT_SHARD_COUNT="4",
            STUDYBOT_SHARD_IDS="2-3",
        )
        assert "0 migration(s) pending" in again.stdout
        assert (
            "Discord shards: 2, 3 of 4 in this process, the rest in others; Slack and the work "
            "for everyone run with shard 0" in again.stdout
        )
        backup = studybot(tmp_path, "backup", "copy.db", DATABASE_URL=url)
        assert backup.returncode == 2
        assert "pg_dump" in backup.stderr
        assert not (tmp_path / "data").exists()  # no SQLite file was made on the side
    finally:
        postgres.drop(url)


def test_an_unreachable_postgresql_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://studybot:s3cret@127.0.0.1:{port}/studybot"
    result = studybot(tmp_path, "migrate", DATABASE_URL=url)
    assert result.returncode == 1
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}/studybot" in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
