"""Pure rules for time away, study-buddy pairing and milestones."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from bot.domain.days import parse_until
from bot.domain.ids import id_order

MAX_AWAY_DAYS = 60
STREAK_MILESTONES = (7, 30, 100, 365)
HOUR_MILESTONES = (100,)
HISTORY_ROUNDS = 4
PAIRING_ATTEMPTS = 300


def parse_away_until(raw: str, today: date) -> date:
    """`until` for /away: today through that date, inclusive, at most 60 days."""
    return parse_until(raw, today, MAX_AWAY_DAYS)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def reached_milestones(
    streak_before: int, streak_after: int, minutes_before: int, minutes_after: int
) -> list[str]:
    """Milestones crossed by one check-in: 'streak-7' ... and 'hours-100'."""
    reached = [f"streak-{n}" for n in STREAK_MILESTONES if streak_before < n <= streak_after]
    reached += [f"hours-{h}" for h in HOUR_MILESTONES if minutes_before < h * 60 <= minutes_after]
    return reached


def seeded_random(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))


def _groups(order: Sequence[str]) -> list[tuple[str, ...]]:
    groups = [tuple(order[i : i + 2]) for i in range(0, len(order) - len(order) % 2, 2)]
    if len(order) % 2:
        if groups:
            groups[-1] = (*groups[-1], order[-1])  # the odd one out makes a group of three
        else:
            groups = [(order[-1],)]
    return groups


def _repeats(groups: Iterable[tuple[str, ...]], recent: set[frozenset[str]]) -> int:
    count = 0
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                count += frozenset((a, b)) in recent
    return count


SEARCH_STEPS = 20_000


def _search_without_repeats(
    order: list[str], recent: set[frozenset[str]]
) -> list[tuple[str, ...]] | None:
    """Backtracking over groupings with no recent pair; None if none found within the budget."""
    steps = 0

    def fresh(group: tuple[str, ...]) -> bool:
        return _repeats([group], recent) == 0

    def solve(rest: list[str]) -> list[tuple[str, ...]] | None:
        nonlocal steps
        steps += 1
        if steps > SEARCH_STEPS:
            return None
        if not rest:
            return []
        if len(rest) == 3:
            return [tuple(rest)] if fresh(tuple(rest)) else None
        first, others = rest[0], rest[1:]
        for partner in others:
            if not fresh((first, partner)):
                continue
            remaining = [p for p in others if p != partner]
            found = solve(remaining)
            if found is not None:
                return [(first, partner), *found]
        return None

    return solve(order)


def pair_members(
    members: Iterable[str], recent_rounds: Sequence[Iterable[tuple[str, ...]]], seed: str
) -> list[tuple[str, ...]]:
    """Random pairs (one group of three if the count is odd) avoiding recent pairs if possible.

    Deterministic for a seed. Tries many shuffles and keeps the one with the fewest pairs
    repeated from the last HISTORY_ROUNDS rounds, stopping at the first with none.
    """
    people = sorted(set(members), key=id_order)
    if len(people) < 2:
        return []
    recent = {
        frozenset((a, b))
        for round_groups in recent_rounds[-HISTORY_ROUNDS:]
        for group in round_groups
        for i, a in enumerate(group)
        for b in group[i + 1 :]
    }
    rng = seeded_random(seed)
    order = people[:]
    rng.shuffle(order)
    found = _search_without_repeats(order, recent)
    if found is not None:
        return [tuple(sorted(group, key=id_order)) for group in found]
    best: list[tuple[str, ...]] = []
    best_repeats = -1
    for _ in range(PAIRING_ATTEMPTS):
        order = people[:]
        rng.shuffle(order)
        groups = _groups(order)
        repeats = _repeats(groups, recent)
        if best_repeats < 0 or repeats < best_repeats:
            best, best_repeats = groups, repeats
        if repeats == 0:
            break
    return [tuple(sorted(group, key=id_order)) for group in best]
