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
    accepted = f"a whole number from {MIN_MINUTES} to {MAX_MINUTES}"
    if isinstance(raw, bool):
        raise UserError(f"Minutes must be {accepted}.")
    if isinstance(raw, str):
        text = raw.strip()
        # Length first: int() of thousands of digits is slow, and Python refuses it.
        if len(text) > 6 or not text.isascii() or not text.isdigit():
            raise UserError(f"Minutes must be {accepted}; you typed {shown(text, 20)}.")
        raw = int(text)
    if not isinstance(raw, int) or not MIN_MINUTES <= raw <= MAX_MINUTES:
        raise UserError(f"Minutes must be {accepted}; you sent {shown(str(raw), 20)[1:-1]}.")
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
        where = "" if multiline else " or line breaks"
        raise UserError(
            f"The {field} can't contain control characters{where}; please type plain text."
        )
    if len(text) > limit:
        raise UserError(f"The {field} can be at most {limit} characters; yours has {len(text)}.")
    return text


def check_day_total(minutes_so_far: int, adding: int) -> None:
    total = minutes_so_far + adding
    if total > MINUTES_PER_DAY:
        left = MINUTES_PER_DAY - minutes_so_far
        raise UserError(
            f"That would make {total} minutes today, but a day has at most {MINUTES_PER_DAY} "
            f"(24 hours); you can add at most {left} more minutes today."
        )
