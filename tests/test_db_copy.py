"""`studybot db copy --to postgresql://…`, the way from SQLite to PostgreSQL, run as an
organiser would: on a database the previous release wrote, with data in every table."""

from datetime import datetime
from pathlib import Path

from bot.services.checkins import CheckinService
from bot.store.copy import checksum
from bot.store.database import Database
from tests import postgres
from tests.conftest import MovableClock
from tests.test_cli import studybot
from tests.test_upgrade_from_previous_release import (
    EXPECTED,
    assert_every_member_is_as_the_release_left_them,
    old_database,
)


async def test_a_database_from_the_previous_release_moves_to_postgresql_with_nothing_lost(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    old_database(tmp_path / "data" / "studybot.db")
    url = await postgres.empty_database()
    try:
        copied = studybot(tmp_path, "db", "copy", "--to", url)
        assert copied.returncode == 0, copied.stderr
        assert "every table's row count and checksum match" in copied.stdout
        assert "set DATABASE_URL" in copied.stdout
        assert "copied checkins: " in copied.stdout

        db = await Database.open_postgres(url)
        try:
            assert db.migration.applied == ()  # already at this release's schema
            await assert_every_member_is_as_the_release_left_them(db)
            # The group carries on: the next check-in numbers after the copied ones.
            clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
            result = await CheckinService(db, clock).check_in("discord:111", "1", "Ada", 30)
            assert result.streak.current == EXPECTED["members"]["111/1"]["streak"][0] + 1
        finally:
            await db.close()

        again = studybot(tmp_path, "db", "copy", "--to", url)
        assert again.returncode == 1
        assert "is not empty" in again.stderr
        assert "Traceback" not in again.stderr
    finally:
        postgres.drop(url)


def test_db_copy_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    not_postgres = studybot(tmp_path, "db", "copy", "--to", "sqlite:///other.db")
    assert not_postgres.returncode == 2
    assert "--to must be a PostgreSQL URL" in not_postgres.stderr
    missing = studybot(tmp_path, "db", "copy", "--to", "postgresql://127.0.0.1:1/x")
    assert missing.returncode == 1
    assert "there is no SQLite database at data/studybot.db" in missing.stderr


def test_the_checksum_ignores_row_order_and_sees_any_changed_value() -> None:
    rows = [("discord:1", "2", 30, None), ("discord:1", "3", 45, "note")]
    assert checksum(rows) == checksum(list(reversed(rows)))
    assert checksum(rows) != checksum([rows[0], ("discord:1", "3", 46, "note")])
    assert checksum(rows) != checksum([rows[0], ("discord:1", "3", "45", "note")])  # 45 vs "45"
    assert checksum(rows) != checksum([rows[0], ("discord:1", "3", 45, "None")])  # NULL kept
    assert checksum(rows)[0] == 2
