"""The `week_plans` and `plan_goals` tables: a member's goals for a week and their review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True)
class Goal:
    position: int
    text: str
    done: bool


@dataclass(frozen=True)
class WeekPlan:
    week: str
    goals: tuple[Goal, ...]
    reviewed: bool

    @property
    def met(self) -> int:
        return sum(goal.done for goal in self.goals)


@dataclass(frozen=True)
class WeekCounts:
    plans: int
    goals: int
    met: int


def set_plan(
    conn: Sql, community_id: str, user_id: str, week: str, goals: Sequence[str], now: str
) -> None:
    """This week's goals, replacing any set before (and what was marked done of them)."""
    conn.execute(
        "INSERT INTO week_plans (community_id, user_id, week, set_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (community_id, user_id, week) DO UPDATE SET set_at = excluded.set_at",
        (community_id, user_id, week, now),
    )
    conn.execute(
        "DELETE FROM plan_goals WHERE community_id = ? AND user_id = ? AND week = ?",
        (community_id, user_id, week),
    )
    conn.executemany(
        "INSERT INTO plan_goals (community_id, user_id, week, position, goal) "
        "VALUES (?, ?, ?, ?, ?)",
        [(community_id, user_id, week, n, goal) for n, goal in enumerate(goals, start=1)],
    )


def plan_of(conn: Sql, community_id: str, user_id: str, week: str) -> WeekPlan | None:
    head = conn.execute(
        "SELECT reviewed_at FROM week_plans WHERE community_id = ? AND user_id = ? AND week = ?",
        (community_id, user_id, week),
    ).fetchone()
    if head is None:
        return None
    rows = conn.execute(
        "SELECT position, goal, done_at FROM plan_goals WHERE community_id = ? AND user_id = ? "
        "AND week = ? ORDER BY position",
        (community_id, user_id, week),
    ).fetchall()
    goals = tuple(Goal(int(n), str(text), done is not None) for n, text, done in rows)
    return WeekPlan(week, goals, reviewed=head[0] is not None)


def unreviewed_planners(conn: Sql, community_id: str, week: str) -> list[str]:
    """Members with a plan for `week` who have not been sent its review yet."""
    rows = conn.execute(
        "SELECT user_id FROM week_plans WHERE community_id = ? AND week = ? "
        "AND review_sent_at IS NULL ORDER BY user_id",
        (community_id, week),
    ).fetchall()
    return [str(row[0]) for row in rows]


def claim_review(conn: Sql, community_id: str, user_id: str, week: str, now: str) -> bool:
    """True for the one call that may send the week's review message."""
    cursor = conn.execute(
        "UPDATE week_plans SET review_sent_at = ? WHERE community_id = ? AND user_id = ? "
        "AND week = ? AND review_sent_at IS NULL",
        (now, community_id, user_id, week),
    )
    return cursor.rowcount == 1


def mark_done(
    conn: Sql, community_id: str, user_id: str, week: str, position: int, now: str
) -> bool:
    """Marks the goal met; False if there is no such goal."""
    cursor = conn.execute(
        "UPDATE plan_goals SET done_at = coalesce(done_at, ?) WHERE community_id = ? "
        "AND user_id = ? AND week = ? AND position = ?",
        (now, community_id, user_id, week, position),
    )
    return cursor.rowcount == 1


def write_review(
    conn: Sql,
    community_id: str,
    user_id: str,
    week: str,
    helped: str | None,
    hindered: str | None,
    now: str,
) -> bool:
    cursor = conn.execute(
        "UPDATE week_plans SET helped = ?, hindered = ?, reviewed_at = ? "
        "WHERE community_id = ? AND user_id = ? AND week = ?",
        (helped, hindered, now, community_id, user_id, week),
    )
    return cursor.rowcount == 1


def week_counts(conn: Sql, community_id: str, week: str) -> WeekCounts:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM week_plans WHERE community_id = ? AND week = ?), "
        "count(*), count(done_at) FROM plan_goals WHERE community_id = ? AND week = ?",
        (community_id, week, community_id, week),
    ).fetchone()
    plans, goals, met = row if row else (0, 0, 0)
    return WeekCounts(int(plans), int(goals), int(met))
