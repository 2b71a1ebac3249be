"""The `leetcode_links` and `leetcode_daily` tables: linked accounts and the cached daily."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True)
class DailyRow:
    slug: str
    title: str
    difficulty: str
    url: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    username: str
    code: str
    verified_at: str | None


def cached_daily(conn: Sql, utc_date: str) -> DailyRow | None:
    row = conn.execute(
        "SELECT slug, title, difficulty, url, topics FROM leetcode_daily WHERE utc_date = ?",
        (utc_date,),
    ).fetchone()
    if row is None:
        return None
    slug, title, difficulty, url, topics = row
    return DailyRow(slug, title, difficulty, url, tuple(t for t in topics.split(", ") if t))


def cache_daily(conn: Sql, utc_date: str, daily: DailyRow, now: str) -> None:
    conn.execute(
        "INSERT INTO leetcode_daily (utc_date, slug, title, difficulty, url, topics, "
        "fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            utc_date,
            daily.slug,
            daily.title,
            daily.difficulty,
            daily.url,
            ", ".join(daily.topics),
            now,
        ),
    )


def start_link(
    conn: Sql, community_id: str, user_id: str, username: str, code: str, now: str
) -> None:
    conn.execute(
        "INSERT INTO leetcode_links (community_id, user_id, username, code, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (community_id, user_id) DO UPDATE SET "
        "username = excluded.username, code = excluded.code, "
        "created_at = excluded.created_at, verified_at = NULL",
        (community_id, user_id, username, code, now),
    )


def link_of(conn: Sql, community_id: str, user_id: str) -> Link | None:
    row = conn.execute(
        "SELECT username, code, verified_at FROM leetcode_links "
        "WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    ).fetchone()
    return None if row is None else Link(*row)


def mark_verified(conn: Sql, community_id: str, user_id: str, link: Link, now: str) -> bool:
    """Only the pair LeetCode was asked about: a re-link meanwhile must not inherit it."""
    cursor = conn.execute(
        "UPDATE leetcode_links SET verified_at = ? WHERE community_id = ? AND user_id = ? "
        "AND username = ? AND code = ?",
        (now, community_id, user_id, link.username, link.code),
    )
    return cursor.rowcount == 1


def unlink(conn: Sql, community_id: str, user_id: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM leetcode_links WHERE community_id = ? AND user_id = ?",
        (community_id, user_id),
    )
    return cursor.rowcount == 1


def verified_username(conn: Sql, community_id: str, user_id: str) -> str | None:
    row = conn.execute(
        "SELECT username FROM leetcode_links WHERE community_id = ? AND user_id = ? "
        "AND verified_at IS NOT NULL",
        (community_id, user_id),
    ).fetchone()
    return None if row is None else str(row[0])
