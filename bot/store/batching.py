"""Batched writes: a lane is one writer connection and the queue of writes waiting for it.

Writes queued while a batch runs go together in the next one: one transaction, one hop to the
writer thread, each job in its own savepoint (see `run_jobs`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg

from bot.logs import new_error_id
from bot.store.connection import AsyncConnection
from bot.store.postgres import PostgresSql
from bot.store.sql import DatabaseError, Sql

log = logging.getLogger(__name__)

MAX_BATCH = 256
T = TypeVar("T")


@dataclass
class _Job:
    work: Callable[[Sql], Any]
    done: asyncio.Future[Any]


class WriteLane:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.lock = asyncio.Lock()  # a batch, or a `Database.transaction` on lane 0
        self._jobs: asyncio.Queue[_Job] = asyncio.Queue()
        self._in_flight: list[_Job] = []
        self._closing = False
        self._batcher = self._start_batcher()

    async def submit(self, work: Callable[[Sql], T]) -> T:
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put_nowait(_Job(work, done))
        return await done

    async def drain(self) -> None:
        await self._jobs.join()

    async def stop(self) -> None:
        self._closing = True
        self._batcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._batcher

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
                async with self.lock:
                    outcomes = await self.conn.run(
                        run_jobs, self.conn.dialect.begin_write, [j.work for j in jobs]
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


class _Unsettled(Exception):
    """A statement failed in a batch that did not wait after each job: whose, is not known."""


def run_jobs(conn: Sql, begin: str, works: list[Callable[[Sql], Any]]) -> list[tuple[bool, Any]]:
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
