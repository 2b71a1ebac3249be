"""Which study day an instant belongs to, and the calendar periods stats are shown for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.inputs import shown
from bot.errors import UserError


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """The member's local calendar date at `instant` (which must be timezone-aware)."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(zone).date()


def week_start(day: date) -> date:
    """Monday of the ISO week that contains `day`."""
    return day - timedelta(days=day.weekday())


def period_start(period: str, today: date) -> date | None:
    """First day of `period` ("week", "month", "all") containing `today`; None means no limit."""
    if period == "week":
        return week_start(today)
    if period == "month":
        return today.replace(day=1)
    if period == "all":
        return None
    raise ValueError(f"unknown period {period!r}")


def parse_until(raw: str, today: date, longest: int) -> date:
    """An `until` option: YYYY-MM-DD, from today through `longest` days, both inclusive."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise UserError(
            f"until must be a date as YYYY-MM-DD, such as {today + timedelta(days=7)}; "
            f"you sent {shown(raw)}."
        ) from None
    last = today + timedelta(days=longest - 1)
    if not today <= day <= last:
        raise UserError(
            f"until must be a day from today ({today}) through {last} "
            f"(at most {longest} days); you sent {day}."
        )
    return day
