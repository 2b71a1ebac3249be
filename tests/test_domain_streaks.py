from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.days import local_day
from bot.domain.points import day_points
from bot.domain.streaks import MAX_FREEZES, compute_streak

TODAY = date(2026, 11, 21)
offsets = st.integers(min_value=0, max_value=120)
day_sets = st.sets(offsets, max_size=60).map(lambda s: {TODAY - timedelta(days=o) for o in s})


def days_back(*offsets_back: int) -> list[date]:
    return [TODAY - timedelta(days=o) for o in offsets_back]


def test_streak_ending_today_and_ending_yesterday() -> None:
    assert compute_streak(days_back(0, 1, 2), TODAY, away_days=()).current == 3
    yesterday = compute_streak(days_back(1, 2), TODAY, away_days=())
    assert (yesterday.current, yesterday.today_done) == (2, False)
    assert compute_streak(days_back(2, 3), TODAY, away_days=()).current == 0


def test_best_streak_is_kept_after_a_break() -> None:
    streak = compute_streak(days_back(0, 5, 6, 7, 8), TODAY, away_days=())
    assert (streak.current, streak.best) == (1, 4)


def test_seven_days_earn_a_freeze_that_bridges_one_missed_day() -> None:
    # Seven days in a row, one missed, then today.
    streak = compute_streak(days_back(*range(2, 9), 0), TODAY, away_days=())
    assert streak.current == 8
    assert (streak.freezes, streak.freezes_used) == (0, 1)


def test_a_freeze_does_not_bridge_two_missed_days() -> None:
    streak = compute_streak(days_back(*range(3, 10), 0), TODAY, away_days=())
    assert streak.current == 1


def test_freezes_bank_at_most_two() -> None:
    assert compute_streak(days_back(*range(0, 35)), TODAY, away_days=()).freezes == MAX_FREEZES


def test_away_days_neither_break_nor_extend() -> None:
    streak = compute_streak(days_back(0, 4, 5), TODAY, away_days=days_back(1, 2, 3))
    assert streak.current == 3


def test_points_for_a_day() -> None:
    assert [day_points(m) for m in (0, 1, 9, 10, 59, 120, 500)] == [0, 10, 10, 11, 15, 22, 22]


@given(day_sets, st.randoms(use_true_random=False))
def test_order_of_checkins_never_changes_the_result(days: set[date], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(days)
    rnd.shuffle(shuffled)
    assert compute_streak(shuffled, TODAY, away_days=()) == compute_streak(
        sorted(days), TODAY, away_days=()
    )


@given(day_sets, offsets)
def test_adding_a_checkin_never_lowers_the_best_streak(days: set[date], extra: int) -> None:
    before = compute_streak(days, TODAY, away_days=()).best
    after = compute_streak(days | {TODAY - timedelta(days=extra)}, TODAY, away_days=()).best
    assert after >= before


@given(day_sets)
def test_a_day_not_yet_over_never_breaks_a_streak(days: set[date]) -> None:
    # Today without a check-in yet keeps yesterday's streak alive: checking in now adds one.
    without_today = days - {TODAY}
    waiting = compute_streak(without_today, TODAY, away_days=())
    done = compute_streak(without_today | {TODAY}, TODAY, away_days=())
    assert done.current == waiting.current + 1
    assert not waiting.today_done


@given(st.integers(min_value=7, max_value=13))
def test_one_freeze_bridges_exactly_one_missed_day_and_is_spent(run: int) -> None:
    # `run` days ending two days ago (one freeze earned), yesterday missed, today studied.
    days = days_back(*range(2, 2 + run), 0)
    bridged = compute_streak(days, TODAY, away_days=())
    assert bridged.current == run + 1
    assert bridged.freezes_used == 1
    # Missing two days in a row needs two freezes; with one the streak restarts.
    restarted = compute_streak(days_back(*range(3, 3 + run), 0), TODAY, away_days=())
    assert restarted.current == 1


@given(st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney"]))
def test_checkins_on_both_sides_of_a_dst_change_count_as_the_right_days(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    # Walk every hour of 2026 and check the local day against wall-clock arithmetic.
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant.year == 2026:
        local = instant.astimezone(zone)
        assert local_day(instant, zone) == date(local.year, local.month, local.day)
        instant += timedelta(hours=1)


def test_dst_transition_examples() -> None:
    london = ZoneInfo("Europe/London")
    # 2026-03-29 01:00 UTC clocks go forward; 00:30 UTC is still 00:30 local on the 29th.
    assert local_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), london) == date(2026, 3, 28)
    assert local_day(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), london) == date(2026, 3, 29)
    # 2026-10-25: 23:30 UTC on the 24th is 00:30 BST on the 25th.
    assert local_day(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), london) == date(2026, 10, 25)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)))
def test_far_apart_zones_put_the_same_instant_on_different_days(naive: datetime) -> None:
    instant = naive.replace(tzinfo=UTC)
    auckland = local_day(instant, ZoneInfo("Pacific/Auckland"))
    los_angeles = local_day(instant, ZoneInfo("America/Los_Angeles"))
    # Auckland is 19 to 21 hours ahead, so it is always one calendar day ahead or the same.
    assert (auckland - los_angeles).days in (0, 1)
    la_time = instant.astimezone(ZoneInfo("America/Los_Angeles"))
    if la_time.hour >= 5:
        assert auckland == los_angeles + timedelta(days=1)
