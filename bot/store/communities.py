"""The `communities` table (one row of settings per community): the only code that writes it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.store.sql import Sql

# The settings a service may change; anything else is a programming error, not input.
SETTINGS = frozenset(
    {
        "channel_id",
        "timezone",
        "post_time",
        "leaderboard_day",
        "leaderboard_time",
        "paused",
        "paused_until",
        "problem_source",
        "difficulty_pattern",
    }
)


def ensure_community(conn: Sql, community_id: str, now: str) -> None:
    """Create the server's row, with default settings, if it has none yet."""
    conn.execute(
        "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (community_id) DO NOTHING",
        (community_id, now, now),
    )


def save_settings(conn: Sql, community_id: str, now: str, values: dict[str, object]) -> None:
    """Set some settings of a server, creating its row with defaults for the rest."""
    unknown = set(values) - SETTINGS
    if unknown or not values:
        raise ValueError(f"not a server setting: {sorted(unknown) or 'none given'}")
    names = list(values)
    conn.execute(
        f"INSERT INTO communities (community_id, {', '.join(names)}, created_at, updated_at) "
        f"VALUES (?, {', '.join('?' for _ in names)}, ?, ?) ON CONFLICT (community_id) DO UPDATE "
        "SET "
        + ", ".join(f"{name} = excluded.{name}" for name in names)
        + ", updated_at = excluded.updated_at",
        (community_id, *values.values(), now, now),
    )


SETTINGS_COLUMNS = (
    "community_id, channel_id, timezone, post_time, leaderboard_day, leaderboard_time, paused, "
    "paused_until, difficulty_pattern, problem_source"
)


def settings_row(conn: Sql, community_id: str) -> tuple[object, ...] | None:
    row = conn.execute(
        f"SELECT {SETTINGS_COLUMNS} FROM communities WHERE community_id = ?", (community_id,)
    ).fetchone()
    return None if row is None else tuple(row)


def configured_rows(conn: Sql) -> list[tuple[object, ...]]:
    """The settings of every community with a study channel."""
    rows = conn.execute(
        f"SELECT {SETTINGS_COLUMNS} FROM communities WHERE channel_id IS NOT NULL "
        "ORDER BY community_id"
    ).fetchall()
    return [tuple(row) for row in rows]


def zone(conn: Sql, community_id: str) -> ZoneInfo:
    """The community's zone (UTC until an admin sets one up)."""
    row = conn.execute(
        "SELECT timezone FROM communities WHERE community_id = ?", (community_id,)
    ).fetchone()
    return ZoneInfo(row[0] if row else "UTC")


def exists(conn: Sql, community_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM communities WHERE community_id = ?", (community_id,)
    ).fetchone()
    return row is not None
