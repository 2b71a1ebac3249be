"""How each refusal of the core is worded: one line, what was wrong and what is accepted.

Services and domain rules raise `UserError(code, **params)`; this is the only place that turns
a code into words. Commands are `Command` pieces, so each adapter spells them its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.domain.inputs import shown
from bot.errors import UserError
from bot.messages.model import Command, Text

MINUTES_ACCEPTED = "a whole number from {low} to {high}"


def _minutes(low: int, high: int, typed: str | None = None, sent: str | None = None) -> Text:
    accepted = MINUTES_ACCEPTED.format(low=low, high=high)
    if typed is not None:
        return (f"Minutes must be {accepted}; you typed {shown(typed, 20)}.",)
    if sent is not None:
        return (f"Minutes must be {accepted}; you sent {shown(sent, 20)[1:-1]}.",)
    return (f"Minutes must be {accepted}.",)


def _control_characters(field: str, multiline: bool) -> Text:
    where = "" if multiline else " or line breaks"
    return (f"The {field} can't contain control characters{where}; please type plain text.",)


def _until_not_a_date(raw: str, example: date) -> Text:
    return (f"until must be a date as YYYY-MM-DD, such as {example}; you sent {shown(raw)}.",)


def _until_out_of_range(day: date, first: date, last: date, longest: int) -> Text:
    return (
        f"until must be a day from today ({first}) through {last} "
        f"(at most {longest} days); you sent {day}.",
    )


def _time(option: str, raw: str) -> Text:
    cut = raw if len(raw) <= 20 else raw[:20] + "…"
    return (
        f"{option} must be a time as HH:MM on a 24-hour clock, such as 09:00 or 18:30; "
        f"you sent {cut!r}.",
    )


def _zone(raw: str) -> Text:
    cut = raw if len(raw) <= 40 else raw[:40] + "…"
    return (
        f"Unknown time zone {cut!r}. Use a name like Europe/Berlin or America/New_York "
        "(start typing and pick one of the suggestions).",
    )


def _no_submission(problem: str, username: str, wait: int) -> Text:
    later = f" I can check again in {wait} s." if wait else ""
    return (
        f"I found no accepted submission of {problem} on LeetCode account {username} since the "
        "post. Submit it there, then use ",
        Command(("solved",)),
        f" again.{later}",
    )


def _asked_too_soon(previous: UserError, wait: int) -> Text:
    return (*refusal_text(previous), f" (I can ask LeetCode again in {wait} s.)")


PHRASES: dict[str, Callable[..., Text]] = {
    # What members type
    "minutes": _minutes,
    "text_control_characters": _control_characters,
    "text_too_long": lambda field, limit, length: (
        f"The {field} can be at most {limit} characters; yours has {length}.",
    ),
    "day_full": lambda total, most, left: (
        f"That would make {total} minutes today, but a day has at most {most} "
        f"(24 hours); you can add at most {left} more minutes today.",
    ),
    "until_not_a_date": _until_not_a_date,
    "until_out_of_range": _until_out_of_range,
    "time": _time,
    "zone": _zone,
    "weekday": lambda option, names: (f"{option} must be one of: {', '.join(names)}.",),
    "pattern": lambda raw, example: (
        "The weekly pattern needs 7 letters, Monday to Sunday, each E (Easy), M (Medium), "
        f"H (Hard) or X (ML implementation), such as {example}; you sent {shown(raw)}.",
    ),
    "problem_source": lambda sources: (f"source must be one of: {', '.join(sources)}.",),
    # Showing work and planning
    "link": lambda sent: (
        f"A link must be a web address starting with http:// or https://, such as "
        f"https://github.com/you/project; you sent {shown(sent)}.",
    ),
    "share_kind": lambda sent, kinds: (
        f"kind must be one of: {', '.join(kinds)}; you sent {shown(sent)}.",
    ),
    "no_goals": lambda: (
        "Write at least one goal; separate up to 5 with ';', such as "
        "'finish chapter 3; two LeetCode mediums'.",
    ),
    "too_many_goals": lambda count, most: (
        f"A week's plan has at most {most} goals, separated by ';'; you wrote {count}.",
    ),
    "share_needs": lambda what: (
        f"A share needs a {what}: ",
        Command(("share",), (("title", "What I built"), ("link", "https://…"))),
        ".",
    ),
    "empty_answer": lambda: ("Write your answer to today's question; it stays private.",),
    "empty_review": lambda: ("Write what helped, what got in the way, or both.",),
    "own_share": lambda: ("That's your own work: votes are for what others shared.",),
    "share_gone": lambda: ("That shared work is no longer here (its author removed their data).",),
    "goal_gone": lambda: ("That goal is no longer in your plan (it was changed since).",),
    # Time away
    "not_away": lambda: (
        "You are not away. (",
        Command(("away",), (("until", "YYYY-MM-DD"),)),
        " starts time away.)",
    ),
    # Problems
    "problem_closed": lambda current: (
        f"That post's problem is closed; the current one is {current} (see ",
        Command(("problem",)),
        ").",
    ),
    "already_solved": lambda problem: (
        f"You already marked {problem} as solved; on to the next one!",
    ),
    "no_submission": _no_submission,
    # Curriculum uploads
    "too_many_commands": lambda limit, seconds: (
        f"Easy there: at most {limit} commands a minute. Try again in {seconds} seconds.",
    ),
    "curriculum_not_toml": lambda filename: (
        f"Upload a .toml file (see docs/content.md); got {filename!r}.",
    ),
    "curriculum_too_big": lambda kib, most_kib: (
        f"That file is {kib} KiB; a curriculum can be at most {most_kib} KiB.",
    ),
    "curriculum_not_utf8": lambda: (
        "That file is not UTF-8 text; save it as UTF-8 and try again.",
    ),
    # LeetCode accounts
    "leetcode_username": lambda username: (
        f"A LeetCode username has 1 to 30 letters, digits, '_' or '-'; you sent {username[:40]!r}.",
    ),
    "leetcode_link_first": lambda: (
        "Start with ",
        Command(("leetcode", "link"), (("username", "…"),)),
        " first.",
    ),
    "leetcode_no_profile": lambda username: (
        f"LeetCode has no public profile named {username}; check the spelling.",
    ),
    "leetcode_code_missing": lambda code, username: (
        f"I could not find {code} in the name or 'about me' of {username}'s public "
        "LeetCode profile yet. Save it there, wait a moment, and press Verify again.",
    ),
    "leetcode_link_changed": lambda: (
        "Your link changed while I was checking; put the new code in your LeetCode "
        "profile and press Verify again.",
    ),
    "leetcode_asked_too_soon": _asked_too_soon,
    "leetcode_unavailable": lambda reason: (
        f"LeetCode did not answer ({reason}); please try again in a minute.",
    ),
}


def refusal_text(error: UserError) -> Text:
    """The member's one line for a refusal; a code without a phrase is a bug and raises."""
    phrase: Callable[..., Text] = PHRASES[error.code]
    params: dict[str, Any] = dict(error.params)
    return phrase(**params)
