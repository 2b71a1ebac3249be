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
