"""PostgreSQL connections that run the store's shared SQL (psycopg 3, synchronous).

The store's statements use sqlite3's `?` placeholders; psycopg's are `%s`, so each statement is
respelled once. Connections are in autocommit mode: the store issues BEGIN and COMMIT itself,
as it does on SQLite, so a statement outside a transaction block commits on its own.

Inside `pipeline()` statements are sent without waiting for their answers: a batch of writes
costs one round trip to the server instead of one each (see Database's batched writer).
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from bot.store.sql import Rows

CONNECT_TIMEOUT_SECONDS = 10


@functools.lru_cache(maxsize=1024)
def respelled(sql: str) -> str:
    """`?` placeholders as psycopg's `%s`; a literal `%` doubled so it stays one."""
    return sql.replace("%", "%%").replace("?", "%s")


OPEN_TRANSACTION = (TransactionStatus.ACTIVE, TransactionStatus.INTRANS, TransactionStatus.INERROR)


def _run(conn: psycopg.Connection[Any], sql: str, parameters: Any) -> psycopg.Cursor[Any]:
    if not parameters:
        return conn.execute(sql)  # not parsed for placeholders: no respelling
    return conn.execute(respelled(sql), parameters)


class _Pipelined:
    """A statement sent in pipeline mode, whose answer is waited for only when it is read.

    psycopg fetches a pending result for fetchone() and the like by itself, but reports -1 rows
    and no description until then: those wait here first, so callers see what sqlite3 gives.
    """

    def __init__(self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline) -> None:
        self._cursor = cursor
        self._pipeline = pipeline

    @property
    def answered(self) -> bool:
        return self._cursor.pgresult is not None

    def _answered(self) -> psycopg.Cursor[Any]:
        if not self.answered:
            self._pipeline.sync()
        return self._cursor

    @property
    def rowcount(self) -> int:
        return self._answered().rowcount

    @property
    def description(self) -> Any:
        return self._answered().description

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return self  # not the cursor's: while rows are read, the cursor must not be used again

    def __next__(self) -> Any:
        return next(self._cursor)

    def close(self) -> None:
        self._cursor.close()


class PostgresSql:
    """One psycopg connection with sqlite3's calling conventions (the `Sql` protocol)."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self._url = url
        self._read_only = read_only
        self._conn = self._connect()
        self._pipeline: psycopg.Pipeline | None = None
        self._first: _Pipelined | None = None  # the first statement in the pipeline
        # The cursor each statement last ran on in pipeline mode, and what it answered to.
        self._cursors: dict[str, tuple[psycopg.Cursor[Any], weakref.ref[_Pipelined]]] = {}

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        if self._read_only:
            conn.execute("SET default_transaction_read_only = on")
            # A read transaction keeps one snapshot, as SQLite's does under WAL.
            conn.execute("SET default_transaction_isolation = 'repeatable read'")
        return conn

    def execute(self, sql: str, parameters: Any = (), /) -> Rows:
        if self._pipeline is not None:
            return self._send(sql, parameters, self._pipeline)
        if self.in_transaction:
            return _run(self._conn, sql, parameters)
        try:
            return _run(self._conn, sql, parameters)
        except psycopg.OperationalError:
            if not (self._conn.broken or self._conn.closed):
                raise
        # The server restarted or dropped the connection while no transaction was open. The
        # store's writes all run inside transactions, so what failed here was a read or the
        # BEGIN of one: it is run again on a new connection instead of failing a member.
        self.reconnect()
        return _run(self._conn, sql, parameters)

    def reconnect(self) -> None:
        self._conn.close()
        self._conn = self._connect()
        self._cursors.clear()

    @property
    def lost(self) -> bool:
        """Whether the connection is gone (the server restarted or dropped it)."""
        return self._conn.broken or self._conn.closed

    @property
    def lost_unanswered(self) -> bool:
        """Whether the connection was lost before the server answered anything of the last
        pipeline: then none of its statements ran."""
        return self.lost and (self._first is None or not self._first.answered)

    def _send(self, sql: str, parameters: Any, pipeline: psycopg.Pipeline) -> _Pipelined:
        # A new psycopg cursor costs more than the statement takes to send: a statement's
        # cursor is used again once nobody can read it any more (its Rows are gone) and its
        # answer is in (else that answer would land on the new run's rows).
        query = respelled(sql) if parameters else sql
        last = self._cursors.get(query)
        if last is not None and last[1]() is None and last[0].pgresult is not None:
            cursor = last[0]
        else:
            cursor = self._conn.cursor()
        # The batched writer runs the same few statements over and over: prepared at their
        # first run rather than psycopg's fifth, they spare a new connection's first burst of
        # check-ins most of its parsing.
        cursor.execute(query, parameters or None, prepare=True)
        rows = _Pipelined(cursor, pipeline)
        self._cursors[query] = (cursor, weakref.ref(rows))
        if self._first is None:
            self._first = rows
        return rows

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Rows:
        cursor = self._conn.cursor()
        cursor.executemany(respelled(sql), list(parameters))
        return cursor if self._pipeline is None else _Pipelined(cursor, self._pipeline)

    @contextlib.contextmanager
    def pipeline(self) -> Iterator[None]:
        """Pipeline mode for the block: each statement is sent at once, and its answer (an
        error too) arrives when a later statement's rows are read, or at `sync()`."""
        if self.lost:  # found so by the last block: no need to wait for the server to say it
            self.reconnect()
        self._first = None
        with self._conn.pipeline() as pipeline:
            self._pipeline = pipeline
            try:
                yield
            finally:
                self._pipeline = None

    def sync(self) -> None:
        """Wait for the answers to every statement sent so far; raises the first error."""
        if self._pipeline is not None:
            self._pipeline.sync()

    def executescript(self, script: str) -> None:
        """Several statements, none with parameters (a migration file)."""
        self._conn.execute(script)

    @property
    def in_transaction(self) -> bool:
        # UNKNOWN (a broken connection) is not a transaction: there is nothing to roll back.
        return self._conn.info.transaction_status in OPEN_TRANSACTION

    def close(self) -> None:
        self._conn.close()
