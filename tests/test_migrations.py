from pathlib import Path

import pytest

from bot.store.connection import AsyncConnection, connect
from bot.store.database import Database
from bot.store.migrations import Migration, MigrationError, bundled_migrations, migrate

TABLES_NOW = {"communities", "members", "checkins", "scheduled_posts", "bot_state"}


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
            tables = await table_names(conn)
            assert tables >= TABLES_NOW
            assert not tables & {"guilds", "guild_curricula"}  # renamed by 0008
            assert not [name for name in tables if name.startswith("new_")]
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


PARENT_AND_CHILD = Migration(
    1,
    "init",
    "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n"
    "INSERT INTO parent VALUES (1), (2);\n"
    "INSERT INTO child VALUES (1), (2), (2);",
)


async def test_a_table_rebuild_keeps_the_children_of_a_dropped_parent(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "rebuild.db")
    rebuild = Migration(
        2,
        "rebuild",
        "CREATE TABLE new_parent (id TEXT PRIMARY KEY);\n"
        "INSERT INTO new_parent SELECT CAST(id AS TEXT) FROM parent;\n"
        "DROP TABLE parent;\n"
        "ALTER TABLE new_parent RENAME TO parent;",
    )
    await migrate(conn, [PARENT_AND_CHILD, rebuild])
    # With foreign keys on, DROP TABLE parent would have cascade-deleted all three children.
    children = await conn.execute("SELECT count(*) FROM child")
    assert await children.fetchone() == (3,)
    enforced = await conn.execute("PRAGMA foreign_keys")
    assert await enforced.fetchone() == (1,)
    await conn.close()


async def test_a_migration_that_orphans_rows_is_rolled_back(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "orphans.db")
    await migrate(conn, [PARENT_AND_CHILD])
    orphaning = Migration(2, "orphaning", "DELETE FROM parent WHERE id = 2;")
    with pytest.raises(MigrationError, match=r"0002_orphaning\.sql left 2 row\(s\) pointing"):
        await migrate(conn, [PARENT_AND_CHILD, orphaning])
    parents = await conn.execute("SELECT id FROM parent ORDER BY id")
    assert await parents.fetchall() == [(1,), (2,)]
    version = await conn.execute("SELECT max(version) FROM schema_migrations")
    assert await version.fetchone() == (1,)
    assert not conn.in_transaction
    enforced = await conn.execute("PRAGMA foreign_keys")
    assert await enforced.fetchone() == (1,)
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
