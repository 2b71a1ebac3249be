from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.selection import (
    DEFAULT_PATTERN,
    curriculum_position,
    parse_pattern,
    problem_index,
    slot_for,
    slot_occurrence,
)
from tests.refusals import refused

guild_ids = st.integers(min_value=1, max_value=2**63).map(str)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1))
patterns = st.text(alphabet="EMHX", min_size=7, max_size=7)


def test_curriculum_advances_one_day_per_post_and_starts_again() -> None:
    assert [curriculum_position(n, 3).index for n in range(1, 8)] == [0, 1, 2, 0, 1, 2, 0]
    fourth = curriculum_position(4, 3)
    assert (fourth.round, fourth.starts_again) == (2, True)
    assert not curriculum_position(1, 3).starts_again
    assert not curriculum_position(5, 3).starts_again


def test_default_pattern_is_easy_early_hard_saturday_ml_sunday() -> None:
    monday = date(2026, 11, 16)
    week = [slot_for(monday + timedelta(days=i), DEFAULT_PATTERN) for i in range(7)]
    assert week == ["E", "E", "M", "M", "M", "H", "X"]


@given(guild_ids, starts, patterns, st.integers(min_value=1, max_value=40))
def test_no_problem_repeats_until_the_slot_is_used_up(
    community_id: str, start: date, pattern: str, slot_size: int
) -> None:
    # Collect each slot's picks over enough days for every slot to go round twice.
    picks: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for offset in range(7 * 2 * slot_size + 7):
        day = start + timedelta(days=offset)
        occurrence = slot_occurrence(day, pattern)
        picks[slot_for(day, pattern)].append(
            (occurrence, problem_index(community_id, day, pattern, slot_size))
        )
    for slot_picks in picks.values():
        by_round: dict[int, list[int]] = defaultdict(list)
        for occurrence, index in slot_picks:
            by_round[occurrence // slot_size].append(index)
        for indices in by_round.values():
            assert len(indices) == len(set(indices))
            assert all(0 <= i < slot_size for i in indices)


@given(guild_ids, starts, patterns)
def test_the_choice_is_the_same_every_time_for_a_server_and_date(
    community_id: str, day: date, pattern: str
) -> None:
    assert problem_index(community_id, day, pattern, 37) == problem_index(
        community_id, day, pattern, 37
    )


def test_different_servers_get_different_orders() -> None:
    monday = date(2026, 11, 16)
    first = [
        problem_index("1", monday + timedelta(weeks=w), DEFAULT_PATTERN, 50) for w in range(10)
    ]
    second = [
        problem_index("2", monday + timedelta(weeks=w), DEFAULT_PATTERN, 50) for w in range(10)
    ]
    assert first != second


@pytest.mark.parametrize("raw", ["EEMMMH", "EEMMMHXX", "eemmmhz", ""])
def test_bad_patterns_are_refused(raw: str) -> None:
    with refused("needs 7 letters, Monday to Sunday"):
        parse_pattern(raw)


def test_pattern_is_normalised() -> None:
    assert parse_pattern(" eemmmhx ") == "EEMMMHX"
