"""The custom ids of the bot's buttons and modals.

Messages already posted carry these ids for as long as Discord keeps them, so they never
change: `studybot:checkin` and `sb:solved:<day>:<problem>` answer clicks on daily posts sent
by every earlier release.
"""

from __future__ import annotations

from datetime import date

CHECKIN_BUTTON = "studybot:checkin"
CHECKIN_MODAL_PREFIX = "studybot:checkin-modal:"
SOLVED_TEMPLATE = r"sb:solved:(?P<day>\d{4}-\d{2}-\d{2}):(?P<problem>[a-z0-9-]+)"


def solved_button(problem_id: str, day: date) -> str:
    return f"sb:solved:{day.isoformat()}:{problem_id}"


# Show your work, plan and reflect. Goals and reviews are answered in direct messages, so
# their ids carry the server.
USEFUL_TEMPLATE = r"sb:useful:(?P<item>\d+)"
GOAL_TEMPLATE = r"sb:goal:(?P<guild>\d+):(?P<week>\d{4}-W\d{2}):(?P<position>[1-5])"
REVIEW_TEMPLATE = r"sb:review:(?P<guild>\d+):(?P<week>\d{4}-W\d{2})"
REVIEW_MODAL_PREFIX = "sb:review-modal:"  # then guild:week:random
REFLECT_MODAL_PREFIX = "sb:reflect-modal:"  # then random


def useful_button(item_id: str) -> str:
    return f"sb:useful:{item_id}"


def goal_button(guild_id: str, week: str, position: str) -> str:
    return f"sb:goal:{guild_id}:{week}:{position}"


def review_button(guild_id: str, week: str) -> str:
    return f"sb:review:{guild_id}:{week}"
