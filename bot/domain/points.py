"""The points rules, in one place: /help shows them from here and every total uses them."""

from __future__ import annotations

SHOW_UP_POINTS = 10
MINUTES_PER_POINT = 10
COUNTED_MINUTES_PER_DAY = 120
PROBLEM_POINTS = {"Easy": 10, "Medium": 20, "Hard": 30}


def day_points(total_minutes: int) -> int:
    """Points for one study day: 10 for showing up plus 1 per full 10 minutes, up to 120."""
    if total_minutes <= 0:
        return 0
    counted = min(total_minutes, COUNTED_MINUTES_PER_DAY)
    return SHOW_UP_POINTS + counted // MINUTES_PER_POINT


def problem_points(difficulty: str) -> int:
    return PROBLEM_POINTS[difficulty]


def rules_text() -> str:
    easy, medium, hard = (PROBLEM_POINTS[d] for d in ("Easy", "Medium", "Hard"))
    max_day = day_points(COUNTED_MINUTES_PER_DAY)
    return (
        f"Each study day: {SHOW_UP_POINTS} for showing up, plus 1 per full "
        f"{MINUTES_PER_POINT} minutes of that day's total, counting at most "
        f"{COUNTED_MINUTES_PER_DAY} minutes (so at most {max_day} a day). "
        f"The day's problem solved: Easy {easy}, Medium {medium}, Hard {hard} (once per problem)."
    )
