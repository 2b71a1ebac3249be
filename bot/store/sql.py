"""What the store's SQL functions need of a connection: sqlite3's, or PostgreSQL's through
bot/store/postgres.py.

Every function in bot/store runs statements written once, in the subset of SQL both engines
accept, with `?` placeholders, on whatever connection it is given.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol


class Rows(Protocol):
    """A statement's cursor: its rows and how many rows it changed."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...  # None for a statement that returns no rows

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def close(self) -> None: ...


class Sql(Protocol):
    def execute(self, sql: str, parameters: Any = (), /) -> Rows: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Rows: ...

    @property
    def in_transaction(self) -> bool: ...


@dataclass(frozen=True)
class Dialect:
    """What differs between the engines outside the shared SQL."""

    name: str  # also the folder of its migrations: migrations/<name>/
    begin_write: str
    table_exists: str  # one ? placeholder: the table's name


SQLITE = Dialect(
    "sqlite",
    # IMMEDIATE takes the write lock at once, so a transaction never fails half-way for it.
    begin_write="BEGIN IMMEDIATE",
    table_exists="SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
)
POSTGRES = Dialect(
    "postgres",
    begin_write="BEGIN",
    table_exists=(
        "SELECT 1 FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_name = ?"
    ),
)


def server_of(url: str) -> str:
    """A PostgreSQL URL as messages show it: host, port and database, never the password."""
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or "localhost"
    try:
        port = f":{parsed.port}" if parsed.port else ""
    except ValueError:  # not a number: shown as nothing rather than failing the message
        port = ""
    return f"{host}{port}{parsed.path or '/'}"


class DatabaseError(Exception):
    """The database cannot be used; the message says which file or server, and why."""
