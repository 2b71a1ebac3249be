import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedule import (
    daily_period,
    is_catch_up_due,
    latest_daily,
    local_instant,
    next_daily,
    parse_hhmm,
    weekly_period,
)
from tests.refusals import refused


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # Spring forward: the wall time does not exist; the first valid minute is used.
        ("Europe/London", date(2026, 3, 29), time(1, 30), datetime(2026, 3, 29, 1, 0)),
        ("America/New_York", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 0)),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), datetime(2026, 10, 3, 16, 0)),
        # Fall back: the wall time happens twice; the first occurrence is used.
        ("Europe/London", date(2026, 10, 25), time(1, 30), datetime(2026, 10, 25, 0, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30)),
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), datetime(2026, 4, 4, 15, 30)),
        # Ordinary days.
        ("Europe/Berlin", date(2026, 11, 21), time(9, 0), datetime(2026, 11, 21, 8, 0)),
    ],
)
def test_local_post_times_across_dst(
    zone: str, day: date, at: time, expected_utc: datetime
) -> None:
    assert local_instant(day, at, ZoneInfo(zone)) == expected_utc.replace(tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney"])
@pytest.mark.parametrize("at", [time(0, 30), time(1, 30), time(2, 30), time(9, 0)])
def test_every_local_day_of_a_year_gets_exactly_one_run(zone: str, at: time) -> None:
    tz = ZoneInfo(zone)
    runs = []
    now = datetime(2026, 1, 1, tzinfo=UTC)
    while now.year == 2026:
        occurrence = next_daily(now, at, tz)
        runs.append(occurrence)
        now = occurrence.due
    periods = [r.period for r in runs]
    assert len(periods) == len(set(periods))  # never twice for one day
    days = [r.local_day for r in runs if r.local_day.year == 2026]
    assert days == sorted(days)
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))
    assert all(r.due.astimezone(tz).date() == r.local_day for r in runs)


def test_latest_and_next_runs_and_the_catch_up_window() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    before = datetime(2026, 11, 21, 7, 59, tzinfo=UTC)  # 08:59 local
    after = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # 09:00 local
    assert latest_daily(before, time(9), berlin).period == "daily:2026-11-20"
    assert latest_daily(after, time(9), berlin).period == "daily:2026-11-21"
    assert next_daily(after, time(9), berlin).period == "daily:2026-11-22"
    # Yesterday's post is no longer in its window; today's is until local midnight.
    assert not is_catch_up_due(latest_daily(before, time(9), berlin), before)
    late_evening = datetime(2026, 11, 21, 22, 59, tzinfo=UTC)
    assert is_catch_up_due(latest_daily(late_evening, time(9), berlin), late_evening)
    after_midnight = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)  # 00:00 on the 22nd
    assert not is_catch_up_due(latest_daily(after_midnight, time(9), berlin), after_midnight)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)))
def test_latest_run_is_never_in_the_future_and_next_is(naive: datetime) -> None:
    now = naive.replace(tzinfo=UTC)
    zone = ZoneInfo("America/New_York")
    assert latest_daily(now, time(2, 30), zone).due <= now < next_daily(now, time(2, 30), zone).due


def test_period_keys() -> None:
    assert daily_period(date(2026, 11, 21)) == "daily:2026-11-21"
    assert weekly_period(date(2026, 11, 21)) == "weekly:2026-W47"
    assert weekly_period(date(2027, 1, 1)) == "weekly:2026-W53"


@pytest.mark.parametrize("raw", ["9", "24:00", "09:60", "nine", "09:00:00", " "])
def test_bad_times_are_refused_with_the_format(raw: str) -> None:
    with refused("HH:MM on a 24-hour clock"):
        parse_hhmm(raw, "post_time")


def test_times_are_parsed() -> None:
    assert parse_hhmm("9:05", "post_time") == time(9, 5)
    assert parse_hhmm(" 23:59 ", "post_time") == time(23, 59)
