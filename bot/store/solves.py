"""The `solves` table: a problem solved, once per member; points are fixed when recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.store.sql import Sql


@dataclass(frozen=True)
class Solve:
    community_id: str
    user_id: str
    problem_id: str
    day: date
    difficulty: str
    points: int
    verified: bool
    now: str


def already_solved(conn: Sql, community_id: str, user_id: str, problem_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM solves WHERE community_id = ? AND user_id = ? AND problem_id = ?",
        (community_id, user_id, problem_id),
    ).fetchone()
    return row is not None


def record(conn: Sql, solve: Solve) -> bool:
    """False when the member had already solved it (the first solve keeps its points)."""
    cursor = conn.execute(
        "INSERT INTO solves (community_id, user_id, problem_id, local_date, difficulty, "
        "points, verified, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (community_id, user_id, problem_id) DO NOTHING",
        (
            solve.community_id,
            solve.user_id,
            solve.problem_id,
            solve.day.isoformat(),
            solve.difficulty,
            solve.points,
            int(solve.verified),
            solve.now,
        ),
    )
    return cursor.rowcount == 1


def solved_between(
    conn: Sql, community_id: str, user_id: str, first: str, last: str
) -> tuple[int, int]:
    """(problems solved, their points) from `first` to `last` (ISO dates, inclusive)."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(points), 0) FROM solves "
        "WHERE community_id = ? AND user_id = ? AND local_date >= ? AND local_date <= ?",
        (community_id, user_id, first, last),
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
