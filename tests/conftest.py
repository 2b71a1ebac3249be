from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store.database import Database
from tests import postgres


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The bot's database, once on each engine: every test that uses it runs on both."""
    if request.param == "sqlite":
        db = await Database.open(tmp_path / "studybot.db")
        try:
            yield db
        finally:
            await db.close()
        return
    url = await postgres.fresh_database()
    db = await Database.open_postgres(url)
    try:
        yield db
    finally:
        await db.close()
        postgres.drop(url)


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    """For tests of what only SQLite has: its file, its backups, reading it directly."""
    db = await Database.open(tmp_path / "studybot.db")
    try:
        yield db
    finally:
        await db.close()


class MovableClock:
    """A clock tests set and move by hand; services read it instead of the system time."""

    def __init__(self, now: datetime) -> None:
        self.instant = now

    def now(self) -> datetime:
        return self.instant

    def move(self, **delta: float) -> None:
        self.instant += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 11, 21, 10, 0, tzinfo=UTC))


def file_of(database: Database) -> Path:
    """The SQLite file behind a database a test opened on SQLite."""
    assert database.path is not None, "this test needs the database on SQLite"
    return database.path
