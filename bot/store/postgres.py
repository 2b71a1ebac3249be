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

    def _usable(self) -> psycopg.Connection[Any]:
        # A server restart or a dropped connection breaks it; between transactions nothing
        # is lost by opening a new one, so the next statement reconnects instead of failing.
        if self._conn.broken or self._conn.closed:
            self._conn = self._connect()
        return self._conn

    def execute(self, sql: str, parameters: Any = (), /) -> Rows:
        conn = self._usable() if not self.in_transaction else self._conn
        if not parameters:
            return conn.execute(sql)  # not parsed for placeholders: no respelling
        return conn.execute(respelled(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Rows:
        cursor = self._conn.cursor()
        cursor.executemany(respelled(sql), list(parameters))
        return cursor

    def executescript(self, script: str) -> None:
        """Several statements, none with parameters (a migration file)."""
        self._usable().execute(script)

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()
