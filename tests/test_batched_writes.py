"""Batched writes (Database.write_batched) on both engines, and what only PostgreSQL's pipeline
mode needs proving: a failed statement is its own job's even when another job's read brings
its error, a failed commit is every job's, and a dropped connection is found again."""

import asyncio
import sqlite3
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import psycopg
import pytest

from bot.store.database import Database
from bot.store.sql import Sql
from tests import postgres

INTEGRITY = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
Work = Callable[[Sql], Any]


def add(number: int) -> Work:
    def work(conn: Sql) -> int:
        conn.execute(
            "INSERT INTO communities (community_id, created_at, updated_at) "
            "VALUES (?, 'now', 'now')",
            (f"discord:{number}",),
        )
        return number

    return work


def add_and_count(number: int) -> Work:
    """Adds a community and reads how many there are: a read after other jobs' writes."""

    def work(conn: Sql) -> int:
        add(number)(conn)
        row = conn.execute("SELECT count(*) FROM communities").fetchone()
        return int(row[0])

    return work


def add_then_fail(number: int) -> Work:
    def work(conn: Sql) -> None:
        add(number)(conn)
        raise ValueError("refused after writing")

    return work


async def batch(database: Database, works: list[Work]) -> list[Any]:
    """Queued together, so the writer takes them as one batch."""
    return await asyncio.gather(
        *(database.write_batched(work) for work in works), return_exceptions=True
    )


async def communities(database: Database) -> list[str]:
    async with database.reader() as reader:
        rows = await reader.execute("SELECT community_id FROM communities ORDER BY community_id")
    return [row[0] for row in rows.rows]


async def test_a_failed_statement_is_its_jobs_even_when_a_later_jobs_read_brings_it(
    database: Database,
) -> None:
    # On PostgreSQL the duplicate's error arrives with the third job's read, not at its own
    # statement: it must still fail the duplicate alone.
    results = await batch(database, [add(1), add(1), add_and_count(3)])
    assert results[0] == 1
    assert isinstance(results[1], INTEGRITY)
    assert results[2] == 2
    assert await communities(database) == ["discord:1", "discord:3"]


async def test_a_job_that_raises_fails_alone_after_another_jobs_statement_failed(
    database: Database,
) -> None:
    results = await batch(database, [add(1), add(1), add_then_fail(4), add(5)])
    assert results[0] == 1
    assert isinstance(results[1], INTEGRITY)
    assert isinstance(results[2], ValueError)
    assert results[3] == 5
    assert await communities(database) == ["discord:1", "discord:5"]


async def test_a_failing_last_job_keeps_the_others(database: Database) -> None:
    results = await batch(database, [add(1), add(2), add(1)])
    assert results[:2] == [1, 2]
    assert isinstance(results[2], INTEGRITY)
    assert await communities(database) == ["discord:1", "discord:2"]


async def test_a_lone_failing_job_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(ValueError, match="refused"):
        await database.write_batched(add_then_fail(1))

    def add_twice(conn: Sql) -> None:
        add(2)(conn)
        add(2)(conn)

    with pytest.raises(INTEGRITY):
        await database.write_batched(add_twice)
    assert await communities(database) == []
    assert await database.write_batched(add(3)) == 3  # and the writer carries on


async def test_row_counts_and_descriptions_are_those_of_each_statement(database: Database) -> None:
    def work(conn: Sql) -> tuple[list[int], bool, bool, list[Any]]:
        insert = (
            "INSERT INTO communities (community_id, created_at, updated_at) "
            "VALUES (?, 'now', 'now') ON CONFLICT DO NOTHING"
        )
        counts = [conn.execute(insert, ("discord:1",)).rowcount for _ in range(2)]
        written = conn.execute(insert, ("discord:2",))
        read = conn.execute("SELECT community_id FROM communities ORDER BY community_id")
        return counts, written.description is None, read.description is not None, read.fetchall()

    counts, write_has_none, read_has_one, rows = await database.write_batched(work)
    assert counts == [1, 0]
    assert write_has_none
    assert read_has_one
    assert [tuple(row) for row in rows] == [("discord:1",), ("discord:2",)]


async def test_one_statement_run_twice_before_either_is_read(database: Database) -> None:
    await batch(database, [add(1), add(2), add(3)])
    query = "SELECT community_id FROM communities WHERE community_id <> ? ORDER BY community_id"

    def work(conn: Sql) -> tuple[list[str], list[str], list[str]]:
        first = conn.execute(query, ("discord:1",))
        second = conn.execute(query, ("discord:2",))
        lazily = []
        for row in conn.execute(query, ("discord:3",)):
            conn.execute(query, ("discord:9",)).fetchall()  # while the other is being read
            lazily.append(row[0])
        return [r[0] for r in first.fetchall()], [r[0] for r in second.fetchall()], lazily

    first, second, lazily = await database.write_batched(work)
    assert first == ["discord:2", "discord:3"]
    assert second == ["discord:1", "discord:3"]
    assert lazily == ["discord:1", "discord:2"]


async def test_each_job_runs_once_when_nothing_fails(database: Database) -> None:
    calls: list[int] = []

    def counted(number: int) -> Work:
        def work(conn: Sql) -> int:
            calls.append(number)
            return int(add_and_count(number)(conn))

        return work

    assert await batch(database, [counted(n) for n in range(1, 6)]) == [1, 2, 3, 4, 5]
    assert sorted(calls) == [1, 2, 3, 4, 5]


@pytest.fixture
async def postgres_database() -> AsyncIterator[tuple[Database, str]]:
    url = await postgres.fresh_database()
    db = await Database.open_postgres(url)
    try:
        yield db, url
    finally:
        await db.close()
        postgres.drop(url)


async def test_a_failed_commit_fails_every_job_of_its_batch(
    postgres_database: tuple[Database, str],
) -> None:
    database, url = postgres_database
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("CREATE TABLE deferred (k INTEGER UNIQUE DEFERRABLE INITIALLY DEFERRED)")

    def insert(conn: Sql) -> None:
        conn.execute("INSERT INTO deferred VALUES (1)")

    results = await batch(database, [insert, insert])  # each statement passes; the commit fails
    assert all(isinstance(r, psycopg.errors.UniqueViolation) for r in results)

    def insert_twice(conn: Sql) -> None:
        insert(conn)
        insert(conn)

    with pytest.raises(psycopg.errors.UniqueViolation):
        await database.write_batched(insert_twice)  # a lone job's commit, too
    async with database.reader() as reader:
        assert (await reader.execute("SELECT count(*) FROM deferred")).rows == [(0,)]
    assert await database.write_batched(add(1)) == 1


async def test_a_batch_right_after_the_server_dropped_the_connection_still_lands(
    postgres_database: tuple[Database, str],
) -> None:
    database, url = postgres_database
    assert await database.write_batched(add(1)) == 1
    postgres.drop_connections(url)
    assert await batch(database, [add(2), add_and_count(3), add(4)]) == [2, 3, 4]
    postgres.drop_connections(url)
    await asyncio.sleep(0.2)  # closed for sure now: still the writer learns it only by sending
    assert await batch(database, [add(5), add(6)]) == [5, 6]
    assert len(await communities(database)) == 6


def lane_of(key: str, lanes: int) -> int:
    return zlib.crc32(key.encode()) % lanes


async def test_on_postgresql_writes_of_different_members_do_not_wait_for_each_other() -> None:
    url = await postgres.fresh_database()
    db = await Database.open_postgres(url, readers=0, writers=3)
    try:
        slow_key = "discord:1/alice"
        other = next(
            k
            for k in (f"discord:1/m{i}" for i in range(50))
            if lane_of(k, 3) != lane_of(slow_key, 3)
        )
        same = next(
            k
            for k in (f"discord:1/s{i}" for i in range(50))
            if lane_of(k, 3) == lane_of(slow_key, 3)
        )
        finished: list[str] = []

        def sleeping(conn: Sql) -> None:
            conn.execute("SELECT pg_sleep(0.5)").fetchone()

        async def write(name: str, key: str, work: Callable[[Sql], None]) -> None:
            await db.write_batched(work, key=key)
            finished.append(name)

        # Queued in this order: the slow write first, in its lane.
        await asyncio.gather(
            write("slow", slow_key, sleeping),
            write("other lane", other, lambda conn: None),
            write("same lane", same, lambda conn: None),
        )
        assert finished == ["other lane", "slow", "same lane"]
    finally:
        await db.close()
        postgres.drop(url)
