"""`studybot db copy --to postgresql://…`: move a SQLite database into an empty PostgreSQL one.

Both are first migrated to this release's schema, so their tables match column for column.
Every table is copied in one PostgreSQL transaction (nothing half-copied is left behind), then
each is checked on both sides: the same number of rows and the same checksum over its rows.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bot.store.database import Database
from bot.store.sql import server_of

LEDGER = "schema_migrations"  # each side keeps its own: migrated, not copied
# Parents before the tables whose foreign keys point at them.
FIRST = ("communities", "members", "shared_items", "week_plans")
# The columns PostgreSQL numbers itself (SQLite's INTEGER PRIMARY KEY).
IDENTITIES = (("checkins", "checkin_id"), ("shared_items", "item_id"))


class CopyRefused(Exception):
    """The copy cannot go ahead, or did not check out; the message says why."""


@dataclass(frozen=True)
class TableCopied:
    name: str
    rows: int


def tables_in_order(conn: sqlite3.Connection) -> list[str]:
    names = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        )
    }
    names.discard(LEDGER)
    return [t for t in FIRST if t in names] + sorted(names - set(FIRST))


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def checksum(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    """Row count and a digest that does not depend on row order (the engines sort text
    differently): the sum of every row's own SHA-256."""
    count, total = 0, 0
    for row in rows:
        text = "\x1f".join("\\N" if value is None else repr(value) for value in row)
        total += int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
        count += 1
    return count, format(total % 2**256, "064x")


def _copy(source: Path, url: str) -> list[TableCopied]:
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with psycopg.connect(url) as pg:  # one transaction: committed only if all goes well
            tables = tables_in_order(lite)
            for table in tables:
                (rows,) = pg.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,)
                if rows:
                    raise CopyRefused(
                        f"the PostgreSQL database at {server_of(url)} is not empty ({table} has "
                        f"{rows} rows); copy into a new, empty database"
                    )
            copied = []
            for table in tables:
                columns = columns_of(lite, table)
                listed = ", ".join(f'"{c}"' for c in columns)
                count = 0
                with pg.cursor().copy(f'COPY "{table}" ({listed}) FROM STDIN') as copy:
                    for row in lite.execute(f'SELECT {listed} FROM "{table}"'):
                        copy.write_row(row)
                        count += 1
                copied.append(TableCopied(table, count))
            # Explicit ids were copied; new rows must number after them.
            for table, column in IDENTITIES:
                pg.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"coalesce(max({column}), 0) + 1, false) FROM {table}"
                )
            for table in tables:
                listed = ", ".join(f'"{c}"' for c in columns_of(lite, table))
                expected = checksum(lite.execute(f'SELECT {listed} FROM "{table}"'))
                found = checksum(pg.execute(f'SELECT {listed} FROM "{table}"'))
                if expected != found:
                    raise CopyRefused(
                        f"{table} does not match after the copy ({expected[0]} rows in SQLite, "
                        f"{found[0]} in PostgreSQL, or a value differs); nothing was kept"
                    )
        return copied
    finally:
        lite.close()


async def copy_to_postgres(source: Path, url: str) -> list[TableCopied]:
    if not source.is_file():
        raise CopyRefused(f"there is no SQLite database at {source} to copy")
    # Both at this release's schema first, so their tables match column for column.
    for opened in (
        await Database.open(source, readers=0),
        await Database.open_postgres(url, readers=0),
    ):
        await opened.close()
    return await asyncio.to_thread(_copy, source, url)
