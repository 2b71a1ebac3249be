"""The `buddy_optins` and `buddy_pairs` tables: who takes part, and each round's groups."""

from __future__ import annotations

from bot.domain.accountability import HISTORY_ROUNDS
from bot.domain.ids import id_order
from bot.store.sql import Sql


def join(conn: Sql, community_id: str, user_id: str, now: str) -> bool:
    cursor = conn.execute(
        "INSERT INTO buddy_optins (community_id, user_id, joined_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (community_id, user_id, now),
    )
    return cursor.rowcount == 1


def leave(conn: Sql, community_id: str, user_id: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM buddy_optins WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    )
    return cursor.rowcount == 1


def opted_in(conn: Sql, community_id: str, user_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM buddy_optins WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchone()
    return row is not None


def members_opted_in(conn: Sql, community_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT user_id FROM buddy_optins WHERE community_id = ?", (community_id,)
    ).fetchall()
    return [row[0] for row in rows]


def round_groups(conn: Sql, community_id: str, round_key: str) -> list[tuple[str, ...]]:
    rows = conn.execute(
        "SELECT grp, user_id FROM buddy_pairs WHERE community_id = ? AND round = ? ORDER BY grp",
        (community_id, round_key),
    ).fetchall()
    groups: dict[int, list[str]] = {}
    for number, user_id in rows:
        groups.setdefault(number, []).append(user_id)
    return [tuple(sorted(group, key=id_order)) for group in groups.values()]


def recent_rounds(conn: Sql, community_id: str, before: str) -> list[list[tuple[str, ...]]]:
    """The groups of the last rounds before `before`, oldest first."""
    rows = conn.execute(
        "SELECT DISTINCT round FROM buddy_pairs WHERE community_id = ? AND round < ? "
        "ORDER BY round DESC LIMIT ?",
        (community_id, before, HISTORY_ROUNDS),
    ).fetchall()
    return [round_groups(conn, community_id, row[0]) for row in reversed(rows)]


def save_round(conn: Sql, community_id: str, round_key: str, groups: list[tuple[str, ...]]) -> None:
    conn.executemany(
        "INSERT INTO buddy_pairs (community_id, round, user_id, grp) VALUES (?, ?, ?, ?)",
        [
            (community_id, round_key, user_id, number)
            for number, group in enumerate(groups)
            for user_id in group
        ],
    )


def latest_buddies(conn: Sql, community_id: str, user_id: str) -> list[tuple[str, str]]:
    """(user id, display name) of the others in the member's group of the latest round."""
    rows = conn.execute(
        "SELECT b.user_id, m.display_name FROM buddy_pairs b "
        "JOIN members m USING (community_id, user_id) "
        "WHERE b.community_id = ? AND b.user_id != ? AND (b.round, b.grp) = ("
        "SELECT round, grp FROM buddy_pairs WHERE community_id = ? AND user_id = ? "
        "ORDER BY round DESC LIMIT 1)",
        (community_id, user_id, community_id, user_id),
    ).fetchall()
    return [(str(buddy), str(name)) for buddy, name in rows]
