"""PostgreSQL connections that run the store's shared SQL (psycopg 3, synchronous).

The store's statements use sqlite3's `?` placeholders; psycopg's are `%s`, so each statement is
respelled once. Connections are in autocommit mode: the store issues BEGIN and COMMIT itself,
as it does on SQLite, so a statement outside a transaction block commits on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
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


def _run(conn: psycopg.Connection[Any], sql: str, parameters: Any) -> Rows:
    if not parameters:
        return conn.execute(sql)  # not parsed for placeholders: no respelling
    return conn.execute(respelled(sql), parameters)


class PostgresSql:
    """One psycopg connection with sqlite3's calling conventions (the `Sql` protocol)."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self._url = url
        self._read_only = read_only
        self._conn = self._connect()

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        if self._read_only:
            conn.execute("SET default_transaction_read_only = on")
            # A read transaction keeps one snapshot, as SQLite's does under WAL.
            conn.execute("SET default_transaction_isolation = 'repeatable read'")
        return conn

    def execute(self, sql: str, parameters: Any = (), /) -> Rows:
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
        self._conn = self._connect()
        return _run(self._conn, sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Rows:
        cursor = self._conn.cursor()
        cursor.executemany(respelled(sql), list(parameters))
        return cursor

    def executescript(self, script: str) -> None:
        """Several statements, none with parameters (a migration file)."""
        self._conn.execute(script)

    @property
    def in_transaction(self) -> bool:
        # UNKNOWN (a broken connection) is not a transaction: there is nothing to roll back.
        return self._conn.info.transaction_status in OPEN_TRANSACTION

    def close(self) -> None:
        self._conn.close()
