"""What only PostgreSQL needs proving: several processes' writers at once, and a schema that
matches SQLite's."""

import asyncio
from pathlib import Path

import pytest

from bot.domain.points import day_points
from bot.services.checkins import CheckinService
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from tests import postgres
from tests.conftest import MovableClock

GUILD, ALICE = "discord:1", "10"
PROCESSES = 5


async def test_concurrent_checkins_from_several_writers_stay_exact(clock: MovableClock) -> None:
    # Each Database is one process's writer; under READ COMMITTED the member's row lock keeps
    # their check-ins from reading the same day total and both counting the day.
    url = await postgres.fresh_database()
    writers = [await Database.open_postgres(url, readers=1) for _ in range(PROCESSES)]
    try:
        services = [CheckinService(db, clock) for db in writers]
        results = await asyncio.gather(
            *(services[i % PROCESSES].check_in(GUILD, ALICE, "alice", 10) for i in range(50))
        )
        async with writers[0].reader() as reader:
            days = await reader.execute(
                "SELECT local_date, minutes, sessions FROM study_days WHERE user_id = ?", (ALICE,)
            )
            totals = await reader.execute(
                "SELECT points, days, minutes, sessions FROM member_period_totals "
                "WHERE user_id = ? AND period = 'all'",
                (ALICE,),
            )
        assert days.rows == [("2026-11-21", 500, 50)]
        assert totals.rows == [(day_points(500), 1, 500, 50)]
        assert sorted(r.day_minutes for r in results) == list(range(10, 501, 10))
    finally:
        for db in writers:
            await db.close()
        postgres.drop(url)


async def columns(conn: AsyncConnection) -> dict[str, list[tuple[str, bool]]]:
    """Each table's columns as (name, nullable), in order, on either engine."""
    if conn.dialect.name == "sqlite":
        names = await conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        )
        found = {}
        for (table,) in names.rows:
            info = await conn.execute(f"PRAGMA table_info({table})")
            # A primary key column is NOT NULL on PostgreSQL whether or not it says so.
            found[table] = [(row[1], not row[3] and not row[5]) for row in info.rows]
        return found
    rows = await conn.execute(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    found = {}
    for table, column, nullable in rows.rows:
        found.setdefault(table, []).append((column, nullable == "YES"))
    return found


async def foreign_keys(conn: AsyncConnection) -> set[tuple[str, str, str]]:
    """(table, columns, referenced table) of every foreign key."""
    if conn.dialect.name == "sqlite":
        keys = set()
        for table in await columns(conn):
            rows = await conn.execute(f"PRAGMA foreign_key_list({table})")
            grouped: dict[int, list[tuple[str, str]]] = {}
            for row in rows.rows:
                grouped.setdefault(row[0], []).append((row[3], row[2]))
            for pairs in grouped.values():
                keys.add((table, ",".join(p[0] for p in pairs), pairs[0][1]))
        return keys
    rows = await conn.execute(
        "SELECT c.conrelid::regclass::text, "
        "(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY "
        "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), "
        "c.confrelid::regclass::text FROM pg_constraint c WHERE c.contype = 'f'"
    )
    return {(t, cols, ref) for t, cols, ref in rows.rows}


async def test_both_engines_reach_the_same_version_with_the_same_tables(tmp_path: Path) -> None:
    sqlite_db = await Database.open(tmp_path / "studybot.db")
    url = await postgres.empty_database()
    postgres_db = await Database.open_postgres(url)
    try:
        assert sqlite_db.schema_version == postgres_db.schema_version
        async with sqlite_db.reader() as lite, postgres_db.reader() as pg:
            lite_columns, pg_columns = await columns(lite), await columns(pg)
            assert {t: sorted(c) for t, c in lite_columns.items()} == {
                t: sorted(c) for t, c in pg_columns.items()
            }
            assert await foreign_keys(lite) == await foreign_keys(pg)
    finally:
        await sqlite_db.close()
        await postgres_db.close()
        postgres.drop(url)


async def test_two_processes_migrating_at_once_both_end_at_the_latest_version() -> None:
    url = await postgres.empty_database()
    try:
        first, second = await asyncio.gather(
            Database.open_postgres(url, readers=0), Database.open_postgres(url, readers=0)
        )
        assert first.schema_version == second.schema_version
        applied = len(first.migration.applied) + len(second.migration.applied)
        assert applied == first.schema_version  # each file ran once, in one of them
        await first.close()
        await second.close()
    finally:
        postgres.drop(url)


@pytest.fixture(autouse=True)
def needs_postgres() -> None:
    postgres.server_url()


async def test_the_bot_carries_on_after_the_server_drops_its_connections(
    clock: MovableClock,
) -> None:
    url = await postgres.fresh_database()
    db = await Database.open_postgres(url)
    try:
        checkins = CheckinService(db, clock)
        await checkins.check_in(GUILD, ALICE, "alice", 10)
        postgres.drop_connections(url)  # as a server restart does
        result = await checkins.check_in(GUILD, ALICE, "alice", 15)  # a write
        assert result.day_minutes == 25
        report = await checkins.streak(GUILD, ALICE)  # and reads
        assert report.streak.current == 1
    finally:
        await db.close()
        postgres.drop(url)
