"""The `studybot` command as an organiser runs it (a separate process, a clean environment)."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from bot import __version__
from bot.schema import bundled_migrations

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
    assert "problem: DISCORD_TOKEN is not set" in result.stderr
    assert "commands to sync to every server (global): " in result.stdout
    assert "/help" in result.stdout
    assert "/checkin" in result.stdout


def test_check_passes_with_valid_settings_and_never_creates_the_database(tmp_path: Path) -> None:
    result = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z", STUDYBOT_DEV_GUILD_ID="42")
    assert result.returncode == 0, result.stderr
    assert "does not exist yet" in result.stdout
    assert "commands to sync to server 42" in result.stdout
    assert result.stdout.strip().endswith("ok")
    assert not (tmp_path / "data").exists()


def test_check_finds_a_database_newer_than_the_code(tmp_path: Path) -> None:
    studybot(tmp_path, "migrate")
    with sqlite3.connect(tmp_path / "data" / "studybot.db") as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (7, 'future', 'x', 'later')")
    result = studybot(tmp_path, "check", DISCORD_TOKEN="x.y.z")
    assert result.returncode == 1
    assert "newer than this studybot" in result.stderr
    run = studybot(tmp_path, "migrate")
    assert run.returncode == 1
    assert run.stderr.startswith("studybot: the database is at schema version 7")


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
