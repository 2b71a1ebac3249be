"""The `shared_items` and `share_votes` tables: work members shared, and "Useful" votes on it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql

KINDS = ("notebook", "repo", "blog", "video", "notes", "other")


@dataclass(frozen=True)
class SharedItem:
    item_id: int
    community_id: str
    user_id: str
    title: str
    link: str
    kind: str
    shared_at: str
    week: str
    votes: int
    author_name: str = ""


_ITEM = (
    "SELECT i.item_id, i.community_id, i.user_id, i.title, i.link, i.kind, i.shared_at, i.week, "
    "(SELECT count(*) FROM share_votes v WHERE v.item_id = i.item_id), m.display_name "
    "FROM shared_items i JOIN members m ON m.community_id = i.community_id "
    "AND m.user_id = i.user_id"
)


def _item(row: tuple[object, ...]) -> SharedItem:
    item_id, community, user, title, link, kind, shared_at, week, votes, name = row
    return SharedItem(
        int(str(item_id)),
        str(community),
        str(user),
        str(title),
        str(link),
        str(kind),
        str(shared_at),
        str(week),
        int(str(votes)),
        str(name),
    )


def add(
    conn: Sql,
    community_id: str,
    user_id: str,
    title: str,
    link: str,
    kind: str,
    now: str,
    week: str,
) -> int:
    row = conn.execute(
        "INSERT INTO shared_items (community_id, user_id, title, link, kind, shared_at, week) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING item_id",
        (community_id, user_id, title, link, kind, now, week),
    ).fetchone()
    assert row is not None  # RETURNING gives the row just inserted
    return int(row[0])


def get(conn: Sql, item_id: int) -> SharedItem | None:
    row = conn.execute(f"{_ITEM} WHERE i.item_id = ?", (item_id,)).fetchone()
    return None if row is None else _item(tuple(row))


def toggle_vote(conn: Sql, item_id: int, community_id: str, user_id: str, now: str) -> bool:
    """Adds the member's vote, or takes it back if they had one; True when it was added."""
    cursor = conn.execute(
        "DELETE FROM share_votes WHERE item_id = ? AND user_id = ?", (item_id, user_id)
    )
    if cursor.rowcount:
        return False
    conn.execute(
        "INSERT INTO share_votes (item_id, community_id, user_id, voted_at) VALUES (?, ?, ?, ?)",
        (item_id, community_id, user_id, now),
    )
    return True


def of_member(conn: Sql, community_id: str, user_id: str, limit: int) -> list[SharedItem]:
    rows = conn.execute(
        f"{_ITEM} WHERE i.community_id = ? AND i.user_id = ? "
        "ORDER BY i.shared_at DESC, i.item_id DESC LIMIT ?",
        (community_id, user_id, limit),
    ).fetchall()
    return [_item(tuple(row)) for row in rows]


def top_of_week(conn: Sql, community_id: str, week: str, limit: int) -> list[SharedItem]:
    """The week's most useful items; ties go to the one shared first."""
    rows = conn.execute(
        f"{_ITEM} WHERE i.community_id = ? AND i.week = ? "
        "ORDER BY 9 DESC, i.shared_at, i.item_id LIMIT ?",
        (community_id, week, limit),
    ).fetchall()
    return [_item(tuple(row)) for row in rows]


def for_export(conn: Sql, community_id: str) -> list[tuple[str, ...]]:
    """(shared_at, member id, member, kind, title, link, useful votes), oldest first."""
    rows = conn.execute(
        f"{_ITEM} WHERE i.community_id = ? ORDER BY i.shared_at, i.item_id", (community_id,)
    ).fetchall()
    return [
        (
            item.shared_at,
            item.user_id,
            item.author_name,
            item.kind,
            item.title,
            item.link,
            str(item.votes),
        )
        for item in map(_item, map(tuple, rows))
    ]
