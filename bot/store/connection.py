"""An asyncio face on one database connection (sqlite3's or PostgreSQL's), on a thread of its own.

sqlite3 connections must stay on one thread, and every call on either engine blocks, so each
connection gets a single-thread executor and the event loop only awaits it. `run` sends a whole
function of the plain connection in one hop (the batched writer and the shared queries use
it); `execute` runs one statement and brings its rows back with it.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.store.postgres import PostgresSql
from bot.store.sql import POSTGRES, SQLITE, Dialect, Sql

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5_000
Params = Sequence[object] | dict[str, object]


@dataclass(frozen=True)
class Result:
    """What a statement produced, already read from SQLite (rows are small here)."""

    rows: list[tuple[Any, ...]]
    rowcount: int

    async def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows


def _execute(conn: Sql, sql: str, params: Params) -> Result:
    cursor = conn.execute(sql, params)
    try:
        rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        return Result(rows, cursor.rowcount)
    finally:
        cursor.close()


def _executemany(conn: Sql, sql: str, rows: list[Params]) -> Result:
    cursor = conn.executemany(sql, rows)
    try:
        return Result([], cursor.rowcount)
    finally:
        cursor.close()


def _executescript(conn: sqlite3.Connection | PostgresSql, script: str) -> None:
    conn.executescript(script)


class AsyncConnection:
    def __init__(
        self, conn: sqlite3.Connection | PostgresSql, thread: ThreadPoolExecutor, dialect: Dialect
    ) -> None:
        self._conn = conn
        self._thread = thread
        self.dialect = dialect

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(connection, *args)` on this connection's thread (the connection is a `Sql`)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, fn, self._conn, *args)

    async def execute(self, sql: str, params: Params = ()) -> Result:
        return await self.run(_execute, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Result:
        return await self.run(_executemany, sql, list(rows))

    async def executescript(self, script: str) -> None:
        await self.run(_executescript, script)

    async def commit(self) -> None:
        await self.execute("COMMIT")

    async def rollback(self) -> None:
        if self.in_transaction:
            await self.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def close(self) -> None:
        try:
            await self.run(_close)
        finally:
            self._thread.shutdown(wait=False)


def _close(conn: sqlite3.Connection | PostgresSql) -> None:
    conn.close()


def _open(path: Path, read_only: bool) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so no statement ever runs in a
    # transaction that Python's sqlite3 module opened behind our back.
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


async def connect(path: Path, *, read_only: bool = False) -> AsyncConnection:
    """Open one connection, on its own thread, with the pragmas every connection needs."""
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
    try:
        conn = await asyncio.get_running_loop().run_in_executor(thread, _open, path, read_only)
    except BaseException:
        thread.shutdown(wait=False)
        raise
    return AsyncConnection(conn, thread, SQLITE)


async def connect_postgres(url: str, *, read_only: bool = False) -> AsyncConnection:
    """Open one PostgreSQL connection, on its own thread."""
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postgres")
    try:
        conn = await asyncio.get_running_loop().run_in_executor(
            thread, functools.partial(PostgresSql, url, read_only=read_only)
        )
    except BaseException:
        thread.shutdown(wait=False)
        raise
    return AsyncConnection(conn, thread, POSTGRES)
