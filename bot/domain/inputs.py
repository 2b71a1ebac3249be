"""Validation of what members type. Each refusal is one line: what was wrong, what is accepted."""

from __future__ import annotations

import unicodedata

from bot.errors import UserError

MIN_MINUTES = 1
MAX_MINUTES = 720
MINUTES_PER_DAY = 24 * 60
TOPIC_LIMIT = 100
NOTE_LIMIT = 1000


def shown(text: str, limit: int = 40) -> str:
    """What a member typed, quoted and cut short, for echoing in a reply."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_minutes(raw: object) -> int:
    """Minutes from a command option (an int) or a modal field (text)."""
    limits = {"low": MIN_MINUTES, "high": MAX_MINUTES}
    if isinstance(raw, bool):
        raise UserError("minutes", **limits)
    if isinstance(raw, str):
        text = raw.strip()
        # Length first: int() of thousands of digits is slow, and Python refuses it.
        if len(text) > 6 or not text.isascii() or not text.isdigit():
            raise UserError("minutes", typed=text, **limits)
        raw = int(text)
    if not isinstance(raw, int) or not MIN_MINUTES <= raw <= MAX_MINUTES:
        raise UserError("minutes", sent=str(raw), **limits)
    return raw


def clean_text(raw: str | None, field: str, limit: int, *, multiline: bool = False) -> str | None:
    """Trimmed text, or None when empty; refuses text that is too long or has control codes."""
    if raw is None:
        return None
    text = raw.replace("\r\n", "\n").strip()
    if not text:
        return None
    allowed = {"\n"} if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise UserError("text_control_characters", field=field, multiline=multiline)
    if len(text) > limit:
        raise UserError("text_too_long", field=field, limit=limit, length=len(text))
    return text


def check_day_total(minutes_so_far: int, adding: int) -> None:
    total = minutes_so_far + adding
    if total > MINUTES_PER_DAY:
        left = MINUTES_PER_DAY - minutes_so_far
        raise UserError("day_full", total=total, most=MINUTES_PER_DAY, left=left)
