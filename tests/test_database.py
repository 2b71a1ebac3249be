import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from bot.store.connection import AsyncConnection
from bot.store.database import Database, DatabaseError, backup
from bot.store.migrations import bundled_migrations
from bot.store.sql import Sql
from tests.conftest import file_of

# What each engine raises: the bot catches neither, so the tests accept both.
INTEGRITY = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
READ_ONLY = (sqlite3.OperationalError, psycopg.errors.ReadOnlySqlTransaction)


async def pragma(conn: AsyncConnection, name: str) -> object:
    row = await (await conn.execute(f"PRAGMA {name}")).fetchone()
    assert row is not None
    return row[0]


async def add_community(conn: AsyncConnection, number: int) -> None:
    await conn.execute(
        "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, 'now', 'now')",
        (f"discord:{number}",),
    )


def add(number: int) -> Callable[[Sql], int]:
    """A batched write that adds community `discord:<number>` and returns the number."""

    def work(conn: Sql) -> int:
        conn.execute(
            "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, 'now', "
            "'now')",
            (f"discord:{number}",),
        )
        return number

    return work


async def test_every_connection_has_the_safety_pragmas(sqlite_database: Database) -> None:
    database = sqlite_database
    async with database.transaction() as writer:
        assert await pragma(writer, "journal_mode") == "wal"
        assert await pragma(writer, "foreign_keys") == 1
        assert await pragma(writer, "synchronous") == 1  # NORMAL
        assert await pragma(writer, "busy_timeout") == 5000
    async with database.reader() as reader:
        assert await pragma(reader, "foreign_keys") == 1
        assert await pragma(reader, "query_only") == 1


async def test_readers_cannot_write(database: Database) -> None:
    async with database.reader() as reader:
        with pytest.raises(READ_ONLY, match=r"readonly|read-only"):
            await reader.execute("INSERT INTO bot_state VALUES ('k', 'v')")


async def test_a_failed_transaction_is_rolled_back(database: Database) -> None:
    async def add_then_fail() -> None:
        async with database.transaction() as conn:
            await add_community(conn, 1)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await add_then_fail()
    async with database.reader() as reader:
        cursor = await reader.execute("SELECT count(*) FROM communities")
        assert await cursor.fetchone() == (0,)


async def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(INTEGRITY, match=r"FOREIGN KEY|foreign key"):
        async with database.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (community_id, user_id, created_at) VALUES ('discord:404', "
                "'1', 'now')"
            )


async def test_an_open_read_does_not_stall_a_write(database: Database) -> None:
    async with database.transaction() as conn:
        for number in range(1, 51):
            await add_community(conn, number)
    async with database.reader() as reader:
        await reader.execute("BEGIN")
        before = await reader.execute("SELECT community_id FROM communities ORDER BY community_id")
        # The read transaction is now open and holds its snapshot.
        async with asyncio.timeout(2):
            async with database.transaction() as writer:
                await add_community(writer, 999)
        after = await reader.execute("SELECT community_id FROM communities ORDER BY community_id")
    # The reader kept its snapshot: it does not see the row written meanwhile.
    assert await before.fetchone() == ("discord:1",)
    assert len(before.rows) == 50
    assert after.rows == before.rows


async def test_concurrent_transactions_are_serialised(database: Database) -> None:
    async def write(number: int) -> None:
        async with database.transaction() as conn:
            await add_community(conn, number)

    await asyncio.gather(*(write(g) for g in range(1, 101)))
    async with database.reader() as reader:
        cursor = await reader.execute("SELECT count(*) FROM communities")
        assert await cursor.fetchone() == (100,)


async def test_backup_is_consistent_while_the_bot_writes(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "live.db")
    stop = asyncio.Event()

    async def keep_writing() -> int:
        written = 0
        while not stop.is_set():
            async with db.transaction() as conn:
                # Two rows per transaction: a torn copy would show an odd count.
                await add_community(conn, 2 * written + 1)
                await add_community(conn, 2 * written + 2)
            written += 1
        return written

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0)
    destination = tmp_path / "backups" / "copy.db"
    await backup(file_of(db), destination)
    stop.set()
    written = await writer
    await db.close()

    copy = sqlite3.connect(destination)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (count,) = copy.execute("SELECT count(*) FROM communities").fetchone()
    assert count % 2 == 0
    assert count <= 2 * written
    (version,) = copy.execute("SELECT max(version) FROM schema_migrations").fetchone()
    assert version == len(bundled_migrations())
    copy.close()
    assert not destination.with_name("copy.db.partial").exists()


async def test_backup_of_a_missing_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="there is no database at"):
        await backup(tmp_path / "nope.db", tmp_path / "copy.db")


async def test_batched_writes_commit_together_and_fail_alone(database: Database) -> None:
    results = await asyncio.gather(
        *(database.write_batched(add(g)) for g in (1, 2, 2, 3)),
        return_exceptions=True,
    )
    assert results[0] == 1
    assert results[3] == 3
    assert isinstance(results[2], INTEGRITY)  # the duplicate fails on its own
    async with database.reader() as reader:
        cursor = await reader.execute("SELECT community_id FROM communities ORDER BY community_id")
        assert await cursor.fetchall() == [("discord:1",), ("discord:2",), ("discord:3",)]


async def test_queued_writes_land_before_the_database_closes(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "closing.db")

    def work(conn: Sql) -> None:
        conn.execute("INSERT INTO bot_state VALUES ('k', 'v')")

    pending = asyncio.ensure_future(db.write_batched(work))
    await asyncio.sleep(0)
    await db.close()
    await pending
    with sqlite3.connect(tmp_path / "closing.db") as conn:
        assert conn.execute("SELECT value FROM bot_state").fetchone() == ("v",)


class WriterCrash(BaseException):
    """Not an Exception: escapes the per-job savepoint and kills the writer loop."""


async def test_a_dead_writer_fails_its_waiting_writes_and_restarts(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(conn: Sql) -> None:
        raise WriterCrash

    async with asyncio.timeout(5):
        results = await asyncio.gather(
            database.write_batched(crash), database.write_batched(add(1)), return_exceptions=True
        )
    assert [type(r) for r in results] == [DatabaseError, DatabaseError]
    assert "the database writer stopped" in caplog.text
    async with asyncio.timeout(5):
        assert await database.write_batched(add(2)) == 2
    async with database.reader() as reader:
        cursor = await reader.execute("SELECT community_id FROM communities")
        assert await cursor.fetchall() == [("discord:2",)]


async def test_a_checkpoint_never_waits_for_a_read_connection(tmp_path: Path) -> None:
    # It used to borrow a reader: with every reader busy it waited, and while it ran a
    # member's read waited for it.
    db = await Database.open(tmp_path / "one-reader.db", readers=1)
    try:
        async with db.transaction() as conn:
            await add_community(conn, 1)
        async with db.reader():
            async with asyncio.timeout(2):
                await db.checkpoint()
    finally:
        await db.close()
