"""Streaks: consecutive local study days, with freezes and away days.

A streak counts consecutive local days with at least one check-in, ending today, or yesterday
if today has none yet (a day that is not over never breaks it). Every 7th day of a streak earns
a freeze (at most 2 banked); a missed day is bridged by spending one. Away days neither break
nor extend a streak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_FREEZE = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    freezes: int
    today_done: bool
    freezes_used: int


def compute_streak(study_days: Iterable[date], today: date, *, away_days: Iterable[date]) -> Streak:
    """Walk the calendar from the first study day to today, applying the rules day by day.

    `away_days` has no default on purpose: a reader that forgot them would break the streak of
    a member who was away, so every caller says which days were away (perhaps none).
    """
    studied = {d for d in study_days if d <= today}
    away = set(away_days)
    if not studied:
        return Streak(current=0, best=0, freezes=0, today_done=False, freezes_used=0)
    current = best = freezes = used = 0
    day = min(studied)
    while day <= today:
        if day in studied:
            current += 1
            best = max(best, current)
            if current % DAYS_PER_FREEZE == 0:
                freezes = min(MAX_FREEZES, freezes + 1)
        elif day in away or day == today:
            pass
        elif freezes > 0 and current > 0:
            freezes -= 1
            used += 1
        else:
            current = 0
            freezes = 0
        day += timedelta(days=1)
    return Streak(current, best, freezes, today_done=today in studied, freezes_used=used)
