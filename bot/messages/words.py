"""Small pieces of wording several messages share."""

from __future__ import annotations


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
