"""Schedule arithmetic: when a local post time happens, and which period a post belongs to.

Local times follow the server's zone through daylight-saving changes. A post time that does
not exist on a spring-forward day (02:30 when clocks jump from 02:00 to 03:00) runs at the
first minute that does exist; a time that happens twice on a fall-back day runs at its first
occurrence. Each post has a period key, one per local day or ISO week, so it runs once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError

DAILY = "daily"
WEEKLY = "weekly"
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_hhmm(raw: str, option: str) -> time:
    match = HHMM.fullmatch(raw.strip())
    if match is None:
        raise UserError("time", option=option, raw=raw)
    return time(int(match[1]), int(match[2]))


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone` (first valid minute, first fold)."""
    wall = datetime.combine(day, at)
    for minutes in range(0, 24 * 60):
        candidate = wall + timedelta(minutes=minutes)
        instant = candidate.replace(tzinfo=zone, fold=0).astimezone(UTC)
        # A wall time inside a spring-forward gap does not survive the round trip.
        if instant.astimezone(zone).replace(tzinfo=None) == candidate:
            return instant
    raise ValueError(f"no valid local time after {wall} in {zone.key}")


def daily_period(day: date) -> str:
    return f"{DAILY}:{day.isoformat()}"


def weekly_period(day_in_week: date) -> str:
    year, week, _ = day_in_week.isocalendar()
    return f"{WEEKLY}:{year}-W{week:02d}"


@dataclass(frozen=True)
class Occurrence:
    """One scheduled run: when it is due, its period, and until when it may still be sent."""

    kind: str
    period: str
    local_day: date
    due: datetime
    window_end: datetime


def daily_occurrence(day: date, at: time, zone: ZoneInfo) -> Occurrence:
    # The grace window for a daily post is the rest of the same local day.
    end_of_day = local_instant(day + timedelta(days=1), time(0, 0), zone)
    return Occurrence(DAILY, daily_period(day), day, local_instant(day, at, zone), end_of_day)


def latest_daily(now: datetime, at: time, zone: ZoneInfo) -> Occurrence:
    """The most recent daily run at or before `now` (today's, or yesterday's if not yet)."""
    today = now.astimezone(zone).date()
    occurrence = daily_occurrence(today, at, zone)
    return occurrence if occurrence.due <= now else daily_occurrence(today - timedelta(1), at, zone)


def next_daily(now: datetime, at: time, zone: ZoneInfo) -> Occurrence:
    """The first daily run strictly after `now`."""
    today = now.astimezone(zone).date()
    for offset in range(0, 3):
        occurrence = daily_occurrence(today + timedelta(days=offset), at, zone)
        if occurrence.due > now:
            return occurrence
    raise AssertionError("a daily run always comes within three days")


WEEKLY_WINDOW = timedelta(days=3)


def weekly_occurrence(run_day: date, at: time, zone: ZoneInfo) -> Occurrence:
    """The weekly post on `run_day`; it announces the last full ISO week before that day."""
    due = local_instant(run_day, at, zone)
    return Occurrence(
        WEEKLY, weekly_period(run_day - timedelta(days=7)), run_day, due, due + WEEKLY_WINDOW
    )


def _this_weeks_run_day(today: date, weekday: int) -> date:
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def latest_weekly(now: datetime, weekday: int, at: time, zone: ZoneInfo) -> Occurrence:
    run_day = _this_weeks_run_day(now.astimezone(zone).date(), weekday)
    occurrence = weekly_occurrence(run_day, at, zone)
    return (
        occurrence if occurrence.due <= now else weekly_occurrence(run_day - timedelta(7), at, zone)
    )


def next_weekly(now: datetime, weekday: int, at: time, zone: ZoneInfo) -> Occurrence:
    run_day = _this_weeks_run_day(now.astimezone(zone).date(), weekday)
    occurrence = weekly_occurrence(run_day, at, zone)
    return (
        occurrence if occurrence.due > now else weekly_occurrence(run_day + timedelta(7), at, zone)
    )


def announced_week_start(occurrence: Occurrence) -> date:
    """Monday of the week a weekly post announces."""
    day = occurrence.local_day - timedelta(days=7)
    return day - timedelta(days=day.weekday())


def is_catch_up_due(occurrence: Occurrence, now: datetime) -> bool:
    """Due and still inside its window: a post missed while the bot was down goes out now."""
    return occurrence.due <= now < occurrence.window_end
