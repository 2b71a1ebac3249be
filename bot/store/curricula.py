"""The `community_curricula` table: a curriculum a community imported, until it resets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True)
class StoredCurriculum:
    source: str
    filename: str
    imported_at: str


def imported(conn: Sql, community_id: str) -> StoredCurriculum | None:
    row = conn.execute(
        "SELECT source, filename, imported_at FROM community_curricula WHERE community_id = ?",
        (community_id,),
    ).fetchone()
    return None if row is None else StoredCurriculum(*row)


def save(
    conn: Sql,
    community_id: str,
    name: str,
    source: str,
    filename: str,
    imported_by: str,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO community_curricula (community_id, name, source, filename, imported_by, "
        "imported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (community_id) DO UPDATE SET "
        "name = excluded.name, source = excluded.source, filename = excluded.filename, "
        "imported_by = excluded.imported_by, imported_at = excluded.imported_at",
        (community_id, name, source, filename, imported_by, now),
    )


def remove(conn: Sql, community_id: str) -> bool:
    cursor = conn.execute("DELETE FROM community_curricula WHERE community_id = ?", (community_id,))
    return cursor.rowcount > 0
