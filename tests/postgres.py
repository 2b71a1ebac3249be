"""Per-test PostgreSQL databases, made from a migrated template on the server that
`scripts/with-postgres` starts (`make test` runs the suite through it).

Outside `make test` (no STUDYBOT_TEST_POSTGRES_URL), tests on PostgreSQL are skipped, except
in CI, where a missing server is a failure.
"""

from __future__ import annotations

import itertools
import os
import urllib.parse

import psycopg
import pytest

from bot.store.database import Database

URL_VARIABLE = "STUDYBOT_TEST_POSTGRES_URL"
TEMPLATE = "studybot_template"
_names = itertools.count()
_template_ready = False


def server_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{URL_VARIABLE} is not set: run the tests with make test")
        pytest.skip(f"PostgreSQL tests need {URL_VARIABLE} (make test starts a server)")
    return url


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(sql)


async def _make_template() -> None:
    global _template_ready
    if _template_ready:
        return
    _admin(f"DROP DATABASE IF EXISTS {TEMPLATE}")
    _admin(f"CREATE DATABASE {TEMPLATE}")
    db = await Database.open_postgres(with_database(server_url(), TEMPLATE), readers=0)
    await db.close()
    _template_ready = True


async def fresh_database() -> str:
    """The URL of a new database at the latest schema version, for one test."""
    await _make_template()
    name = f"studybot_test_{os.getpid()}_{next(_names)}"
    _admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return with_database(server_url(), name)


def drop(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def empty_database() -> str:
    """The URL of a new database with no tables at all."""
    name = f"studybot_empty_{os.getpid()}_{next(_names)}"
    _admin(f"CREATE DATABASE {name}")
    return with_database(server_url(), name)


def drop_connections(url: str) -> None:
    """End every session on the database, as a server restart would."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
