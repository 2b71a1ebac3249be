"""Leaderboard ranking: competition ranking, so equal points share a place (1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.ids import id_order


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: str
    points: int


def rank(totals: Iterable[tuple[str, int]]) -> list[Standing]:
    """(user_id, points) -> standings, best first; ties in id order so the list is stable.

    Members with no points in the period are not listed.
    """
    ordered = sorted(
        ((u, p) for u, p in totals if p > 0), key=lambda item: (-item[1], id_order(item[0]))
    )
    standings: list[Standing] = []
    for position, (user_id, points) in enumerate(ordered, start=1):
        shared = standings and standings[-1].points == points
        standings.append(Standing(standings[-1].rank if shared else position, user_id, points))
    return standings


def competition_rank(points_ahead: int) -> int:
    """A member's place when `points_ahead` members have strictly more points."""
    return points_ahead + 1


def period_keys(server_day: date) -> tuple[str, str, str]:
    """The leaderboard periods a server-local date belongs to: its ISO week, month, all time."""
    year, week, _ = server_day.isocalendar()
    return (f"week:{year}-W{week:02d}", f"month:{server_day:%Y-%m}", "all")


def period_key(period: str, server_day: date) -> str:
    week, month, everything = period_keys(server_day)
    return {"week": week, "month": month, "all": everything}[period]
