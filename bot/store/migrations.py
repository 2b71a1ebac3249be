"""Numbered, forward-only SQL migrations with the schema version kept inside the database.

Files are `NNNN_name.sql` in the `bot.migrations` package (the repository's `migrations/`
folder), one folder per engine with the same numbers: `sqlite/` and `postgres/`. Each file
runs in its own transaction together with the row that records it, so a failed migration
leaves the database at the previous version. A checksum of every applied file is kept:
editing a migration after it ran would make databases disagree about their schema, so the
runner refuses to start instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from bot.store.connection import AsyncConnection
from bot.store.sql import POSTGRES, SQLITE

FILENAME = re.compile(r"(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql")
LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


class MigrationError(Exception):
    """The database and the migration files disagree; the message says how to fix it."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MigrationReport:
    version: int
    applied: tuple[Migration, ...]


# Any fixed number: every studybot process takes this PostgreSQL advisory lock to migrate.
MIGRATION_LOCK = 7_210_001


def bundled_migrations(engine: str = SQLITE.name) -> list[Migration]:
    files = resources.files("bot.migrations").joinpath(engine)
    migrations = []
    for entry in files.iterdir():
        match = FILENAME.fullmatch(entry.name)
        if match is None:
            if entry.name.endswith(".sql"):
                raise MigrationError(f"migration file {entry.name} must be named NNNN_name.sql")
            continue
        sql = entry.read_text(encoding="utf-8")
        migrations.append(Migration(int(match["version"]), match["name"], sql))
    return check_sequence(migrations)


def check_sequence(migrations: list[Migration]) -> list[Migration]:
    ordered = sorted(migrations, key=lambda m: m.version)
    for expected, migration in enumerate(ordered, start=1):
        if migration.version != expected:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name}.sql is out of sequence; "
                f"expected {expected:04d} (versions start at 0001 with no gaps or repeats)"
            )
        if re.search(r"^\s*(BEGIN|COMMIT|ROLLBACK)\b", migration.sql, re.I | re.M):
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name}.sql must not manage "
                "transactions itself; the runner wraps each file in one"
            )
    return ordered


async def applied_checksums(conn: AsyncConnection) -> dict[int, tuple[str, str]]:
    """Version -> (name, checksum) of what the database has applied; empty for a new file."""
    found = await conn.execute(conn.dialect.table_exists, ("schema_migrations",))
    if await found.fetchone() is None:
        return {}
    rows = await conn.execute("SELECT version, name, checksum FROM schema_migrations")
    return {row[0]: (row[1], row[2]) for row in rows.rows}


def pending(migrations: list[Migration], applied: dict[int, tuple[str, str]]) -> list[Migration]:
    """What still has to run; raises if the database is newer or a file was edited."""
    known = {m.version: m for m in migrations}
    newest_known = max(known, default=0)
    for version, (name, checksum) in sorted(applied.items()):
        if version not in known:
            raise MigrationError(
                f"the database is at schema version {max(applied)}, newer than this studybot "
                f"knows (up to {newest_known}); it was upgraded by a newer release. Install that "
                "release again, or restore a backup made before the upgrade."
            )
        if known[version].checksum != checksum:
            raise MigrationError(
                f"migration {version:04d}_{name}.sql was edited after it was applied to this "
                "database; restore the original file and put the change in a new migration."
            )
    return [m for m in migrations if m.version not in applied]


async def migrate(
    conn: AsyncConnection, migrations: list[Migration] | None = None
) -> MigrationReport:
    """Apply every pending migration on `conn` (an autocommit connection)."""
    if migrations is None:
        migrations = bundled_migrations(conn.dialect.name)
    else:
        migrations = check_sequence(migrations)
    if conn.dialect == POSTGRES:
        # Two processes starting at once: the second waits, then finds nothing left to do.
        await conn.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
    try:
        await conn.execute(LEDGER_DDL)
        todo = pending(migrations, await applied_checksums(conn))
        for migration in todo:
            if conn.dialect == POSTGRES:
                await _apply_postgres(conn, migration)
            else:
                await _apply(conn, migration)
    finally:
        if conn.dialect == POSTGRES:
            await conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
    version = migrations[-1].version if migrations else 0
    return MigrationReport(version=version, applied=tuple(todo))


def _label(migration: Migration) -> str:
    return f"{migration.version:04d}_{migration.name}.sql"


async def _apply_postgres(conn: AsyncConnection, migration: Migration) -> None:
    """Run one file and its ledger row in one transaction (PostgreSQL checks foreign keys
    as it goes, and its DDL is transactional)."""
    applied_at = datetime.now(UTC).isoformat(timespec="seconds")
    await conn.execute("BEGIN")
    try:
        await conn.executescript(migration.sql)
        await conn.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
            "VALUES (?, ?, ?, ?)",
            (migration.version, migration.name, migration.checksum, applied_at),
        )
        await conn.commit()
    except Exception as exc:
        await conn.rollback()
        raise MigrationError(f"migration {_label(migration)} failed: {exc}") from exc


async def _apply(conn: AsyncConnection, migration: Migration) -> None:
    """Run one file and its ledger row in one transaction, with foreign keys checked at the end.

    Foreign keys are off while the file runs so that a table rebuild (create, copy, drop,
    rename) can drop a parent without cascade-deleting its children; SQLite ignores the pragma
    inside a transaction, so it is set around it. Before committing, PRAGMA foreign_key_check
    must find no row pointing nowhere, or the whole file is rolled back.
    """
    applied_at = datetime.now(UTC).isoformat(timespec="seconds")
    label = _label(migration)
    # executescript() runs the file plus the version row inside our explicit transaction.
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES "
        f"({migration.version}, '{migration.name}', '{migration.checksum}', '{applied_at}');\n"
    )
    await conn.execute("PRAGMA foreign_keys = OFF")
    try:
        try:
            await conn.executescript(script)
            violations = (await conn.execute("PRAGMA foreign_key_check")).rows
            if violations:
                table, rowid, parent, _ = violations[0]
                raise MigrationError(
                    f"migration {label} left {len(violations)} row(s) pointing at nothing "
                    f"(first: {table} row {rowid} -> {parent}); nothing was changed"
                )
            await conn.commit()
        except Exception as exc:
            if conn.in_transaction:
                await conn.rollback()
            if isinstance(exc, MigrationError):
                raise
            raise MigrationError(f"migration {label} failed: {exc}") from exc
    finally:
        await conn.execute("PRAGMA foreign_keys = ON")
