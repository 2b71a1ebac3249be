from pathlib import Path

import pytest

from bot.store.connection import AsyncConnection, connect
from bot.store.database import Database
from bot.store.migrations import Migration, MigrationError, bundled_migrations, migrate

TABLES_0001 = {"guilds", "members", "checkins", "scheduled_posts", "bot_state"}


async def table_names(conn: AsyncConnection) -> set[str]:
    result = await conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in result.rows}


def test_bundled_migrations_are_numbered_from_one_without_gaps() -> None:
    migrations = bundled_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "init"


async def test_fresh_database_gets_every_table(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new.db")
    try:
        assert db.schema_version == len(bundled_migrations())
        assert [m.version for m in db.migration.applied] == list(range(1, db.schema_version + 1))
        async with db.reader() as conn:
            assert await table_names(conn) >= TABLES_0001
    finally:
        await db.close()


async def test_running_again_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    await (await Database.open(path)).close()
    db = await Database.open(path)
    try:
        assert db.migration.applied == ()
        async with db.reader() as conn:
            cursor = await conn.execute("SELECT count(*) FROM schema_migrations")
            assert await cursor.fetchone() == (len(bundled_migrations()),)
    finally:
        await db.close()


async def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    await (await Database.open(path)).close()
    conn = await connect(path)
    await conn.execute(
        "INSERT INTO schema_migrations VALUES (99, 'from_the_future', 'x', '2030-01-01')"
    )
    await conn.close()
    with pytest.raises(MigrationError, match="schema version 99, newer than this studybot"):
        await Database.open(path)


async def test_migration_edited_after_it_was_applied_is_refused(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "edited.db")
    original = [Migration(1, "init", "CREATE TABLE a (x INTEGER);")]
    await migrate(conn, original)
    edited = [Migration(1, "init", "CREATE TABLE a (x INTEGER, y TEXT);")]
    with pytest.raises(MigrationError, match=r"0001_init\.sql was edited after it was applied"):
        await migrate(conn, edited)
    await conn.close()


async def test_a_new_migration_is_applied_on_top(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "grow.db")
    first = Migration(1, "init", "CREATE TABLE a (x INTEGER);")
    await migrate(conn, [first])
    report = await migrate(conn, [first, Migration(2, "more", "ALTER TABLE a ADD COLUMN y;")])
    assert report.version == 2
    assert [m.name for m in report.applied] == ["more"]
    await conn.close()


async def test_failed_migration_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "broken.db")
    first = Migration(1, "init", "CREATE TABLE a (x INTEGER);")
    broken = Migration(2, "broken", "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    await migrate(conn, [first])
    with pytest.raises(MigrationError, match=r"0002_broken\.sql failed: no such table: nowhere"):
        await migrate(conn, [first, broken])
    assert "b" not in await table_names(conn)
    version = await conn.execute("SELECT max(version) FROM schema_migrations")
    assert await version.fetchone() == (1,)
    assert not conn.in_transaction
    await conn.close()


@pytest.mark.parametrize(
    ("migrations", "message"),
    [
        ([Migration(2, "skip", "SELECT 1;")], "expected 0001"),
        ([Migration(1, "a", "SELECT 1;"), Migration(1, "b", "SELECT 1;")], "expected 0002"),
        ([Migration(1, "tx", "BEGIN;\nSELECT 1;\nCOMMIT;")], "must not manage transactions"),
    ],
)
async def test_badly_numbered_or_self_committing_files_are_refused(
    tmp_path: Path, migrations: list[Migration], message: str
) -> None:
    conn = await connect(tmp_path / "bad.db")
    with pytest.raises(MigrationError, match=message):
        await migrate(conn, migrations)
    await conn.close()
