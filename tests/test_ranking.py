import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.ids import id_order
from bot.domain.ranking import period_keys, rank

totals = st.dictionaries(
    st.integers(min_value=1, max_value=10**19).map(str), st.integers(0, 200), max_size=40
)


def test_ties_share_a_place_and_the_next_place_skips() -> None:
    standings = rank([("1", 50), ("10", 40), ("9", 40), ("4", 10), ("5", 0)])
    assert [(s.rank, s.user_id) for s in standings] == [
        (1, "1"),
        (2, "9"),  # ids of digits sort as numbers, as they did when they were numbers
        (2, "10"),
        (4, "4"),
    ]


@given(totals, st.randoms(use_true_random=False))
def test_a_members_rank_never_depends_on_input_order(
    points: dict[str, int], rnd: random.Random
) -> None:
    items = list(points.items())
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert rank(items) == rank(shuffled)


@given(totals)
def test_competition_ranking_rules(points: dict[str, int]) -> None:
    standings = rank(points.items())
    assert all(s.points > 0 for s in standings)
    assert len(standings) == sum(1 for p in points.values() if p > 0)
    for standing in standings:
        ahead = sum(1 for p in points.values() if p > standing.points)
        assert standing.rank == ahead + 1
    # Best first, and ties in a stable (id) order.
    keys = [(-s.points, id_order(s.user_id)) for s in standings]
    assert keys == sorted(keys)


def test_period_keys_use_iso_weeks() -> None:
    assert period_keys(date(2026, 11, 22)) == ("week:2026-W47", "month:2026-11", "all")
    assert period_keys(date(2026, 11, 23))[0] == "week:2026-W48"
    assert period_keys(date(2027, 1, 1))[:2] == ("week:2026-W53", "month:2027-01")
