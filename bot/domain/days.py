"""Which study day an instant belongs to, and the calendar periods stats are shown for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """The member's local calendar date at `instant` (which must be timezone-aware)."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(zone).date()


# Two local days can begin within minutes of each other (23:59, then 00:01); a third cannot
# begin within 24 hours of the first in a zone without daylight saving time.
MIN_SPAN_OF_THREE_DAYS = timedelta(hours=24)


@dataclass(frozen=True)
class OpenedDay:
    """A study day a member already has: its date, and when and in which zone it was opened."""

    day: date
    opened_at: datetime
    zone: ZoneInfo

    @property
    def on_its_local_date(self) -> bool:
        return local_day(self.opened_at, self.zone) == self.day


def study_day(
    now: datetime, zone: ZoneInfo, latest: OpenedDay | None, before: OpenedDay | None
) -> date:
    """The study day a check-in at `now` counts for: the local date in `zone`, unless the
    member's zone changed, which never gains them a day.

    `latest` and `before` are the member's two most recent study days. After a zone change:
    a day earlier than the latest study day has ended, so the check-in counts for the latest;
    a day that has not begun yet in the zone the latest day was opened in is not opened early;
    and until two days have been opened on their own dates in the current zone, a new day
    opens no sooner than 24 hours after the one before the latest. A member who never changes
    zone always gets the local date: none of these can then apply.
    """
    day = local_day(now, zone)
    if latest is None:
        return day
    if latest.zone.key != zone.key:
        day = min(day, local_day(now, latest.zone))
    day = max(day, latest.day)
    settled = before is None or (
        before.zone.key == latest.zone.key == zone.key
        and before.on_its_local_date
        and latest.on_its_local_date
    )
    if day > latest.day and not settled:
        assert before is not None
        if now - before.opened_at < MIN_SPAN_OF_THREE_DAYS:
            return latest.day
    return day


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
        raise UserError("until_not_a_date", raw=raw, example=today + timedelta(days=7)) from None
    last = today + timedelta(days=longest - 1)
    if not today <= day <= last:
        raise UserError("until_out_of_range", day=day, first=today, last=last, longest=longest)
    return day
