"""What members type to show their work and plan their week: links, share kinds, goals."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from bot.domain.inputs import clean_text
from bot.errors import UserError

LINK_LIMIT = 300
TITLE_LIMIT = 100
GOALS_LIMIT = 500
MOST_GOALS = 5
ANSWER_LIMIT = 1000
REVIEW_LIMIT = 1000
KINDS = ("notebook", "repo", "blog", "video", "notes", "other")
MARKUP_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in '[]()<>`|"*~'})


def parse_link(raw: str | None) -> str | None:
    """An http(s) URL with a host, at most 300 characters; None when nothing was typed."""
    text = clean_text(raw, "link", LINK_LIMIT)
    if text is None:
        return None
    if any(ch.isspace() for ch in text):
        raise UserError("link", sent=text)
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise UserError("link", sent=text) from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise UserError("link", sent=text)
    # Percent-encoded, these mean the same to the site, and no chat can read them as markup
    # that would show other text in place of the link (a masked link) or end it early.
    return text.translate(MARKUP_ESCAPES)


def parse_kind(raw: str | None) -> str:
    kind = (raw or "other").strip().lower()
    if kind not in KINDS:
        raise UserError("share_kind", sent=kind, kinds=KINDS)
    return kind


def parse_goals(raw: str) -> list[str]:
    """Up to 5 goals separated by ';', each non-empty."""
    text = clean_text(raw, "goals", GOALS_LIMIT)
    goals = [goal.strip() for goal in (text or "").split(";") if goal.strip()]
    if not goals:
        raise UserError("no_goals")
    if len(goals) > MOST_GOALS:
        raise UserError("too_many_goals", count=len(goals), most=MOST_GOALS)
    return goals


def week_of(day: date) -> str:
    """The ISO week a community-local day is in, as 2026-W49 (the leaderboard's weeks)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def previous_week(week: str) -> str:
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return week_of(monday - timedelta(days=7))
