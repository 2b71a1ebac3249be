import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.accountability import pair_members, parse_away_until, reached_milestones
from tests.refusals import refused

TODAY = date(2026, 11, 21)
# Discord snowflakes as text, and Slack-style ids, as the platforms give them.
platform_ids = st.integers(1, 10**19).map(str) | st.from_regex(r"U[0-9A-Z]{8,10}", fullmatch=True)
member_sets = st.sets(platform_ids, min_size=2, max_size=40)


@given(member_sets, st.text(max_size=8))
def test_everyone_is_paired_and_nobody_is_alone(members: set[str], seed: str) -> None:
    groups = pair_members(members, [], seed)
    assert sorted(itertools.chain.from_iterable(groups)) == sorted(members)
    sizes = sorted(len(g) for g in groups)
    assert all(size in (2, 3) for size in sizes)
    assert sizes.count(3) == len(members) % 2


@given(member_sets, st.text(max_size=8))
def test_pairing_is_deterministic_for_a_seed(members: set[str], seed: str) -> None:
    assert pair_members(members, [], seed) == pair_members(list(members)[::-1], [], seed)


def all_groupings(people: list[str]) -> list[list[tuple[str, ...]]]:
    """Every way to split people into pairs and (if odd) one group of three."""
    if not people:
        return [[]]
    if len(people) == 3:
        return [[tuple(people)]]
    first, rest = people[0], people[1:]
    found = []
    for partner in rest:
        remaining = [p for p in rest if p != partner]
        found += [[(first, partner), *tail] for tail in all_groupings(remaining)]
    if len(people) % 2:
        for a, b in itertools.combinations(rest, 2):
            remaining = [p for p in rest if p not in (a, b)]
            found += [
                [(first, a, b), *tail] for tail in all_groupings(remaining) if tail or not remaining
            ]
    return found


def pairs_of(groups: list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}


@pytest.mark.parametrize("count", [5, 6, 7, 8, 10, 11, 20, 31])
def test_no_repeat_within_four_rounds_when_the_numbers_allow(count: int) -> None:
    members = [str(n) for n in range(1, count + 1)]
    history: list[list[tuple[str, ...]]] = []
    for week in range(12):
        groups = pair_members(members, history, f"guild-1:week-{week}")
        recent = set().union(*(pairs_of(past) for past in history[-4:]))
        if pairs_of(groups) & recent:
            # A repeat is allowed only when no grouping at all avoids one.
            assert count <= 8, (week, groups)
            assert all(pairs_of(g) & recent for g in all_groupings(members)), (week, groups)
        history.append(groups)


def test_fewer_than_two_members_get_no_pairs() -> None:
    assert pair_members(["5"], [], "s") == []
    assert pair_members([], [], "s") == []


def test_four_members_repeat_only_when_they_must() -> None:
    # Four people have three ways to pair; the fourth round must repeat one pair, not more.
    history: list[list[tuple[str, ...]]] = []
    for week in range(3):
        history.append(pair_members(["1", "2", "3", "4"], history, f"w{week}"))
    assert len({frozenset(g) for r in history for g in r}) == 6  # all six pairs used once
    fourth = pair_members(["1", "2", "3", "4"], history, "w3")
    assert len(fourth) == 2


def test_milestones_fire_when_crossed_once() -> None:
    assert reached_milestones(6, 7, 0, 30) == ["streak-7"]
    assert reached_milestones(7, 8, 0, 30) == []
    assert reached_milestones(29, 30, 5990, 6010) == ["streak-30", "hours-100"]
    assert reached_milestones(0, 1, 6000, 6030) == []


def test_away_dates() -> None:
    assert parse_away_until("2026-11-21", TODAY) == TODAY
    assert parse_away_until("2027-01-19", TODAY) == date(2027, 1, 19)  # 60 days
    with refused("at most 60 days"):
        parse_away_until("2027-01-20", TODAY)
    with refused("today"):
        parse_away_until("2026-11-20", TODAY)
    with refused("YYYY-MM-DD"):
        parse_away_until("next friday", TODAY)
