"""The one object that owns the database connections, on SQLite or on PostgreSQL.

One writer connection takes every write of this process in one transaction at a time;
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
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg

from bot.logs import new_error_id
from bot.store.connection import BUSY_TIMEOUT_MS, AsyncConnection, connect, connect_postgres
from bot.store.migrations import MigrationReport, migrate
from bot.store.postgres import PostgresSql
from bot.store.sql import Sql, server_of

log = logging.getLogger(__name__)

MAX_BATCH = 256
CHECKPOINT_SECONDS = 5.0
T = TypeVar("T")


@dataclass
class _Job:
    work: Callable[[Sql], Any]
    done: asyncio.Future[Any]


class DatabaseError(Exception):
    """The database cannot be used; the message says which file and why."""


class Database:
    def __init__(
        self,
        writer: AsyncConnection,
        readers: list[AsyncConnection],
        checkpointer: AsyncConnection | None,
        migration: MigrationReport,
        path: Path | None = None,
    ) -> None:
        self.path = path  # the SQLite file; None on PostgreSQL
        self._checkpoint_connection = checkpointer
        self.migration = migration
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._all_readers = readers
        self._idle_readers: asyncio.Queue[AsyncConnection] = asyncio.Queue()
        for reader in readers:
            self._idle_readers.put_nowait(reader)
        self._jobs: asyncio.Queue[_Job] = asyncio.Queue()
        self._in_flight: list[_Job] = []
        self._closing = False
        self._batcher = self._start_batcher()
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
        return cls(writer, reader_connections, checkpointer, report, path)

    @classmethod
    async def open_postgres(cls, url: str, *, readers: int = 2) -> Database:
        """Connect to an existing PostgreSQL database and migrate it."""
        where = server_of(url)
        try:
            writer = await connect_postgres(url)
        except Exception as exc:  # psycopg's errors, and a malformed URL's
            raise DatabaseError(f"cannot connect to PostgreSQL at {where}: {exc}") from exc
        opened = [writer]
        try:
            report = await migrate(writer)
            reader_connections = []
            for _ in range(readers):
                reader_connections.append(await connect_postgres(url, read_only=True))
                opened.append(reader_connections[-1])
        except BaseException:
            for conn in opened:
                await conn.close()
            raise
        return cls(writer, reader_connections, None, report)

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

    async def write_batched(self, work: Callable[[Sql], T]) -> T:
        """Run `work` in a write transaction shared with other writes queued meanwhile.

        Concurrent writes (a burst of check-ins) commit together in one transaction, run in one
        hop to the writer thread. Each still stands alone: it runs inside its own savepoint,
        so one that raises is rolled back and raises to its caller while the others commit.
        The caller resumes only after the commit, when its write is durable.

        `work` may be run a second time, in a new transaction, after a statement failed on
        PostgreSQL (see _run_jobs), so it must do nothing but run its statements and return.
        """
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put_nowait(_Job(work, done))
        return await done

    def _start_batcher(self) -> asyncio.Task[None]:
        task = asyncio.create_task(self._run_batches(), name="database writer")
        task.add_done_callback(self._batcher_stopped)
        return task

    def _batcher_stopped(self, task: asyncio.Task[None]) -> None:
        """If the writer loop dies, its waiting callers fail at once and a new loop starts."""
        if self._closing or task.cancelled():
            return
        error_id = new_error_id()
        log.error(
            "the database writer stopped (error %s); failing its pending writes and restarting it",
            error_id,
            exc_info=task.exception(),
        )
        failure = DatabaseError(f"the database writer stopped (error {error_id}); try again")
        waiting = self._in_flight
        self._in_flight = []
        while not self._jobs.empty():
            waiting.append(self._jobs.get_nowait())
        for job in waiting:
            self._jobs.task_done()
            if not job.done.done():
                job.done.set_exception(failure)
        self._batcher = self._start_batcher()

    async def _run_batches(self) -> None:
        while True:
            jobs = [await self._jobs.get()]
            while not self._jobs.empty() and len(jobs) < MAX_BATCH:
                jobs.append(self._jobs.get_nowait())
            self._in_flight = jobs
            try:
                async with self._write_lock:
                    outcomes = await self._writer.run(
                        _run_jobs, self._writer.dialect.begin_write, [j.work for j in jobs]
                    )
            except Exception as exc:  # the batch itself failed (disk full, ...): fail every job
                outcomes = [(False, exc)] * len(jobs)
            self._in_flight = []
            for job, (ok, value) in zip(jobs, outcomes, strict=True):
                self._jobs.task_done()
                if job.done.done():
                    continue
                if ok:
                    job.done.set_result(value)
                else:
                    job.done.set_exception(value)

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
                await self._jobs.join()
        self._closing = True
        for task in (self._batcher, self._checkpointer):
            if task is None:
                continue
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
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


class _Unsettled(Exception):
    """A statement failed in a batch that did not wait after each job: whose, is not known."""


def _run_jobs(conn: Sql, begin: str, works: list[Callable[[Sql], Any]]) -> list[tuple[bool, Any]]:
    """In the writer thread: one transaction, and one savepoint per job when there are several.

    On PostgreSQL the batch runs in pipeline mode: statements go out without waiting for their
    answers, and only reads wait; the BEGIN goes with the first job's statements and the
    COMMIT with the last job's. A failed statement shows at the next wait, perhaps another
    job's: the batch is then undone and run again (its jobs too) waiting after each job, so
    the failing job fails alone.
    """
    if not isinstance(conn, PostgresSql):
        return _run_batch(conn, None, begin, works)
    wait_each = len(works) == 1  # a lone job's wait is the commit's
    reconnected = False
    while True:
        try:
            return _run_batch(conn, conn, begin, works, wait_each=wait_each)
        except _Unsettled:
            wait_each = True
        except Exception:
            if reconnected or not conn.lost_unanswered:
                raise
            # The server had dropped the connection (a restart) before it answered the BEGIN,
            # so nothing of the batch reached it: all of it runs again on a new connection, as
            # a read does (PostgresSql.execute).
            conn.reconnect()
            reconnected = True


def _run_batch(
    conn: Sql,
    pipelined: PostgresSql | None,
    begin: str,
    works: list[Callable[[Sql], Any]],
    *,
    wait_each: bool = True,
) -> list[tuple[bool, Any]]:
    """The batch in one transaction; `pipelined` is the connection, on PostgreSQL."""
    savepoints = len(works) > 1
    outcomes: list[tuple[bool, Any]] = []
    try:
        with contextlib.nullcontext() if pipelined is None else pipelined.pipeline():
            conn.execute(begin)
            for number, work in enumerate(works, 1):
                commits = pipelined is not None and number == len(works)
                commit_sent = False
                if savepoints:
                    conn.execute("SAVEPOINT job")
                try:
                    value = work(conn)
                    if savepoints:
                        conn.execute("RELEASE job")
                    if commits:
                        conn.execute("COMMIT")
                        commit_sent = True
                    if pipelined is not None and (commits or wait_each):
                        pipelined.sync()
                except Exception as exc:
                    if pipelined is not None:
                        # (The transaction's state is known again after that wait.)
                        if pipelined.lost or (commit_sent and not conn.in_transaction):
                            raise  # the connection or the commit failed, and so every job
                        _settle_failed(pipelined, exc, waited=wait_each)
                    outcomes.append((False, exc))
                    if not savepoints:
                        # The only job: nothing else to keep, so no savepoint was needed.
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        return outcomes
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                    if commits:
                        conn.execute("COMMIT")  # the other jobs', skipped with the failed one
                else:
                    outcomes.append((True, value))
            if pipelined is None:
                conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _settle_failed(conn: PostgresSql, exc: Exception, *, waited: bool) -> None:
    """Wait for what a job that raised `exc` still had in flight; raises _Unsettled when the
    failure may be an earlier job's, whose statements were not waited for."""
    try:
        conn.sync()
    except Exception as pending:
        if not waited:
            raise _Unsettled from pending
        return  # the job's own statements, which failed with it
    if not waited and isinstance(exc, psycopg.Error):
        raise _Unsettled from exc  # a read of this job's can bring an earlier one's error


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
