"""Which curriculum day and which problem a server gets, computed from plain numbers and dates.

The curriculum advances one day per daily post actually sent, so a pause never skips content.
The problem follows a weekly pattern of slots (one letter per weekday, Monday first): E Easy,
M Medium, H Hard, X an ML-implementation problem. Within each slot the server walks a
shuffled order of that slot's problems, seeded by the server and the round, so the choice is
the same every time it is asked for and no problem repeats until the slot's problems are used
up.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date

from bot.errors import UserError

DEFAULT_PATTERN = "EEMMMHX"
SLOTS = {"E": "Easy", "M": "Medium", "H": "Hard", "X": "ML implementation"}
# A Monday, so day offsets line up with the pattern's first letter.
EPOCH = date(2024, 1, 1)


@dataclass(frozen=True)
class CurriculumPosition:
    day_number: int  # "Day N": the daily posts sent so far, this one included
    index: int  # position in the curriculum's list of days
    round: int  # 1 the first time through, 2 after the first restart, ...

    @property
    def starts_again(self) -> bool:
        """This post begins another pass through the curriculum (worth saying so)."""
        return self.round > 1 and self.index == 0


def curriculum_position(day_number: int, length: int) -> CurriculumPosition:
    if day_number < 1 or length < 1:
        raise ValueError("day numbers start at 1 and a curriculum has at least one day")
    round_index, index = divmod(day_number - 1, length)
    return CurriculumPosition(day_number, index, round_index + 1)


def parse_pattern(raw: str) -> str:
    pattern = raw.strip().upper()
    if len(pattern) != 7 or any(letter not in SLOTS for letter in pattern):
        raise UserError("pattern", raw=raw, example=DEFAULT_PATTERN)
    return pattern


def slot_for(day: date, pattern: str) -> str:
    return pattern[day.weekday()]


def slot_occurrence(day: date, pattern: str) -> int:
    """How many days with `day`'s slot came before `day`, counted from EPOCH (may be < 0)."""
    slot = slot_for(day, pattern)
    weeks, rest = divmod((day - EPOCH).days, 7)
    return weeks * pattern.count(slot) + pattern[:rest].count(slot)


def shuffled_order(size: int, seed: str) -> list[int]:
    # sha256 rather than hash(): Python randomises str hashes per process.
    seed_int = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    order = list(range(size))
    random.Random(seed_int).shuffle(order)
    return order


def problem_index(native_community_id: str, day: date, pattern: str, slot_size: int) -> int:
    """Index, within the slot's list of problems, of the problem for this server and day.

    Seeded by the platform's own id ('123', not 'discord:123'), as before ids were scoped.
    """
    if slot_size < 1:
        raise ValueError("a slot needs at least one problem")
    slot = slot_for(day, pattern)
    round_index, position = divmod(slot_occurrence(day, pattern), slot_size)
    return shuffled_order(slot_size, f"{native_community_id}:{slot}:{round_index}")[position]
