"""The one object that owns the database connections, on SQLite or on PostgreSQL.

One writer connection takes every write of this process in one transaction at a time (on
PostgreSQL, batched writes have a few lanes, see `write_batched`);
separate read-only connections serve reads, so a slow leaderboard query never holds up a
check-in (SQLite's WAL, like PostgreSQL, lets readers and the writer work at the same time).
Each connection runs on a thread of its own (bot/store/connection.py). The engine differs
only in how connections open, how a write begins, and SQLite's checkpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

from bot.store.batching import WriteLane
from bot.store.connection import BUSY_TIMEOUT_MS, AsyncConnection, connect, connect_postgres
from bot.store.migrations import MigrationReport, migrate
from bot.store.sql import DatabaseError as DatabaseError  # raised to callers of Database
from bot.store.sql import Sql, server_of

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 5.0
# Write lanes on PostgreSQL: members' check-ins run side by side (SQLite allows one writer).
POSTGRES_WRITERS = 3
T = TypeVar("T")


class Database:
    def __init__(
        self,
        writers: list[AsyncConnection],
        readers: list[AsyncConnection],
        checkpointer: AsyncConnection | None,
        migration: MigrationReport,
        path: Path | None = None,
    ) -> None:
        """`writers`: one on SQLite; on PostgreSQL, several lanes (see write_batched)."""
        self.path = path  # the SQLite file; None on PostgreSQL
        self._checkpoint_connection = checkpointer
        self.migration = migration
        self._lanes = [WriteLane(conn) for conn in writers]
        self._writer = writers[0]
        self._write_lock = self._lanes[0].lock
        self._all_readers = readers
        self._idle_readers: asyncio.Queue[AsyncConnection] = asyncio.Queue()
        for reader in readers:
            self._idle_readers.put_nowait(reader)
        self._checkpointer = (
            None if checkpointer is None else asyncio.create_task(self._checkpoint_now_and_then())
        )

    @classmethod
    async def open(cls, path: Path, *, readers: int = 2) -> Database:
        """Open the file (creating it and its folder), switch to WAL, and migrate it."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = await connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        try:
            row = await (await writer.execute("PRAGMA journal_mode = WAL")).fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raise DatabaseError(f"cannot switch {path} to WAL mode (got {row})")
            # Checkpoints run in the background (see _checkpoint_now_and_then), never inside
            # the commit of a write that a member is waiting on.
            await writer.execute("PRAGMA wal_autocheckpoint = 0")
            report = await migrate(writer)
            reader_connections = [await connect(path, read_only=True) for _ in range(readers)]
            # Checkpoints get a connection (and thread) of their own: on a reader they would
            # hold one of the few read connections for as long as copying the WAL takes,
            # and a member's /help would wait for it.
            checkpointer = await connect(path)
        except BaseException:
            await writer.close()
            raise
        return cls([writer], reader_connections, checkpointer, report, path)

    @classmethod
    async def open_postgres(
        cls, url: str, *, readers: int = 2, writers: int = POSTGRES_WRITERS
    ) -> Database:
        """Connect to an existing PostgreSQL database and migrate it."""
        where = server_of(url)
        try:
            writer = await connect_postgres(url)
        except Exception as exc:  # psycopg's errors, and a malformed URL's
            raise DatabaseError(f"cannot connect to PostgreSQL at {where}: {exc}") from exc
        opened = [writer]
        try:
            report = await migrate(writer)
            lanes = [writer]
            for _ in range(writers - 1):
                lanes.append(await connect_postgres(url))
                opened.append(lanes[-1])
            reader_connections = []
            for _ in range(readers):
                reader_connections.append(await connect_postgres(url, read_only=True))
                opened.append(reader_connections[-1])
        except BaseException:
            for conn in opened:
                await conn.close()
            raise
        return cls(lanes, reader_connections, None, report)

    @property
    def schema_version(self) -> int:
        return self.migration.version

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed if the block succeeds, rolled back if it raises."""
        async with self._write_lock:
            await self._writer.execute(self._writer.dialect.begin_write)
            try:
                yield self._writer
            except BaseException:
                await self._writer.rollback()
                raise
            await self._writer.commit()

    async def write_batched(self, work: Callable[[Sql], T], key: str = "") -> T:
        """Run `work` in a write transaction shared with other writes queued meanwhile.

        Concurrent writes (a burst of check-ins) commit together in one transaction, run in one
        hop to the writer thread. Each still stands alone: it runs inside its own savepoint,
        so one that raises is rolled back and raises to its caller while the others commit.
        The caller resumes only after the commit, when its write is durable.

        On PostgreSQL, writes go down one of several lanes (connections), chosen by `key`:
        writes with the same key (a member's) always share a lane, so two lanes never wait on
        each other's rows, and members' writes proceed side by side. SQLite has one lane.

        `work` may be run a second time, in a new transaction, after a statement failed on
        PostgreSQL (see batching.run_jobs), so it must do nothing but run its statements and
        return.
        """
        lane = self._lanes[zlib.crc32(key.encode()) % len(self._lanes)]
        return await lane.submit(work)

    async def _checkpoint_now_and_then(self) -> None:
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            try:
                await self.checkpoint()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed; it will be tried again", exc_info=True)

    async def checkpoint(self) -> None:
        """Fold what readers no longer need from SQLite's WAL into the database file."""
        if self._checkpoint_connection is not None:
            await self._checkpoint_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @contextlib.asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncConnection]:
        """A read-only connection of its own for the duration of the block."""
        conn = await self._idle_readers.get()
        try:
            yield conn
        finally:
            if conn.in_transaction:
                await conn.rollback()
            self._idle_readers.put_nowait(conn)

    async def close(self) -> None:
        # Writes already queued (a member waiting on a check-in) still land before closing.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                for lane in self._lanes:
                    await lane.drain()
        for lane in self._lanes:
            await lane.stop()
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpointer
        for lane in self._lanes[1:]:
            await lane.conn.close()
        async with self._write_lock:
            for reader in self._all_readers:
                await reader.close()
            if self._checkpoint_connection is not None:
                await self._checkpoint_connection.close()
                # A clean checkpoint folds the WAL back into the main file, so a copy of the
                # .db file alone (without -wal) is complete after a normal shutdown.
                with contextlib.suppress(sqlite3.Error):
                    await self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            await self._writer.close()


def _copy(source: Path, partial: Path) -> None:
    src = sqlite3.connect(source)
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        src.execute("PRAGMA query_only = ON")
        dst = sqlite3.connect(partial)
        try:
            # pages=-1 copies everything in one step under one read transaction: a
            # consistent snapshot even while the bot keeps writing through WAL.
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()


async def backup(source: Path, destination: Path) -> None:
    """Copy a live database with SQLite's online backup API into `destination`.

    The copy is written beside the destination and renamed into place, so a crash never
    leaves a half-written file under the name you asked for.
    """
    if not source.is_file():
        raise DatabaseError(f"there is no database at {source} to back up")
    if destination.is_dir():
        raise DatabaseError(f"{destination} is a folder; give a file name such as backup.db")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    await asyncio.to_thread(_copy, source, partial)
    os.replace(partial, destination)
