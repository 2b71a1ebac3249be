"""Changing zone never gains a day: the rule (bot/domain/days.py, study_day) and the report.

The report: switching /timezone between check-ins backfilled yesterday and opened tomorrow,
so a broken streak went from 0 to 3, with three days of points, in one real hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.days import OpenedDay, local_day, study_day
from bot.services.checkins import CheckinService
from bot.services.members import MemberService
from bot.store.database import Database
from tests.conftest import MovableClock

GUILD, ALICE = "discord:1", "10"

# Fixed offsets, the widest the world has (UTC-12 to UTC+14) and a 45-minute one: a day is
# 24 hours in each. (Where clocks change, one day a year is 23 hours, and a member who never
# changes zone can then see three dates within 24 hours: the calendar's doing, not a gain.)
FIXED = [ZoneInfo(f"Etc/GMT{sign}{hours}") for sign, hours in [("+", 12), ("+", 5), ("-", 9)]]
FIXED += [ZoneInfo("Etc/GMT-14"), ZoneInfo("UTC"), ZoneInfo("Asia/Kathmandu")]
WITH_DST = [ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")]
START = datetime(2026, 3, 1, tzinfo=UTC)


@dataclass
class Member:
    """A member as the rule sees them: their zone and the study days they opened."""

    zone: ZoneInfo
    opened: list[OpenedDay] = field(default_factory=list)

    def check_in(self, now: datetime) -> date:
        latest = self.opened[-1] if self.opened else None
        before = self.opened[-2] if len(self.opened) > 1 else None
        day = study_day(now, self.zone, latest, before)
        if latest is None or day > latest.day:
            self.opened.append(OpenedDay(day, now, self.zone))
        return day


# Each step: wait some minutes, maybe change zone (an index into FIXED), then check in.
steps = st.lists(
    st.tuples(st.integers(0, 30 * 60), st.none() | st.integers(0, len(FIXED) - 1)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, len(FIXED) - 1), steps)
def test_within_any_real_24_hours_a_member_opens_at_most_two_days(
    first_zone: int, plan: list[tuple[int, int | None]]
) -> None:
    member = Member(FIXED[first_zone])
    now = START
    previous: OpenedDay | None = None
    for wait, new_zone in plan:
        now += timedelta(minutes=wait)
        latest_before = member.opened[-1] if member.opened else None
        if new_zone is not None:
            member.zone = FIXED[new_zone]
        day = member.check_in(now)
        if latest_before is not None:
            # Never a day that had ended: nothing before the latest study day.
            assert day >= latest_before.day
            if day > latest_before.day:
                # Never a day that had not begun in the zone the latest day was opened in.
                assert day <= local_day(now, latest_before.zone)
        # Never ahead of the zone the member is in now (only held on the latest day).
        assert day <= max(local_day(now, member.zone), latest_before.day if latest_before else day)
        previous = member.opened[-1]
    assert previous is not None
    openings = [d.opened_at for d in member.opened]
    for first, third in zip(openings, openings[2:], strict=False):
        assert third - first >= timedelta(hours=24), member.opened


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(FIXED + WITH_DST),
    st.lists(st.integers(0, 40 * 60), min_size=1, max_size=60),
)
def test_a_member_who_keeps_their_zone_always_gets_their_local_date(
    zone: ZoneInfo, waits: list[int]
) -> None:
    member = Member(zone)
    now = datetime(2026, 3, 7, tzinfo=UTC)  # the 60 steps cross clock changes in March
    for wait in waits:
        now += timedelta(minutes=wait)
        assert member.check_in(now) == local_day(now, zone)


def test_a_member_who_moves_east_for_good_is_on_the_new_dates_within_two_days() -> None:
    member = Member(ZoneInfo("UTC"))
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    for _ in range(4):  # the 20th to the 23rd, at noon in UTC
        member.check_in(now)
        now += timedelta(days=1)
    now -= timedelta(hours=23, minutes=55)
    member.zone = ZoneInfo("Asia/Tokyo")  # 21:05 in Tokyo on the 23rd, a day already studied
    assert member.check_in(now) == date(2026, 11, 23)
    now += timedelta(hours=4)  # 01:05 on the 24th in Tokyo, still the 23rd in UTC
    assert member.check_in(now) == date(2026, 11, 23)
    now += timedelta(hours=8)  # 09:05 on the 24th in Tokyo, and in UTC now too
    assert member.check_in(now) == date(2026, 11, 24)
    for _ in range(3):
        now += timedelta(days=1)
        assert member.check_in(now) == local_day(now, member.zone)
    assert [d.day.day for d in member.opened] == [20, 21, 22, 23, 24, 25, 26, 27]  # no gap


async def test_zone_hopping_in_one_hour_adds_one_day_not_three(
    database: Database, clock: MovableClock
) -> None:
    checkins, members = CheckinService(database, clock), MemberService(database, clock)
    clock.instant = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    await members.set_timezone(GUILD, ALICE, "alice", "UTC")
    await checkins.check_in(GUILD, ALICE, "alice", 30)  # 21 November, an old streak long broken
    clock.instant = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    seen = []
    for zone in ["UTC", "Etc/GMT+12", "Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Kiritimati"]:
        await members.set_timezone(GUILD, ALICE, "alice", zone)
        result = await checkins.check_in(GUILD, ALICE, "alice", 30)
        seen.append((result.day, result.streak.current))
        clock.move(minutes=12)
    # In UTC it is the 25th throughout: the 24th had ended, the 26th had not begun.
    assert seen == [(date(2026, 11, 25), 1)] * 5
    report = await checkins.streak(GUILD, ALICE)
    assert (report.streak.current, report.today) == (1, date(2026, 11, 25))
    async with database.reader() as conn:
        cursor = await conn.execute(
            "SELECT local_date, minutes, sessions FROM study_days ORDER BY local_date"
        )
        assert await cursor.fetchall() == [("2026-11-21", 30, 1), ("2026-11-25", 150, 5)]
        cursor = await conn.execute(
            "SELECT points, days FROM member_period_totals WHERE period = 'all'"
        )
        assert await cursor.fetchone() == (10 + 3 + 10 + 12, 2)


async def test_the_reply_says_why_a_check_in_counts_for_another_date(
    database: Database, clock: MovableClock
) -> None:
    from bot.messages.progress import checkin_reply
    from tests.fake_chat import plain

    checkins, members = CheckinService(database, clock), MemberService(database, clock)
    clock.instant = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    await checkins.check_in(GUILD, ALICE, "alice", 30)
    await members.set_timezone(GUILD, ALICE, "alice", "Pacific/Kiritimati")
    result = await checkins.check_in(GUILD, ALICE, "alice", 30)
    assert (result.day, result.local_date) == (date(2026, 11, 25), date(2026, 11, 26))
    footer = plain(checkin_reply("alice", result).sections[0].footer)
    assert footer == (
        "Counted on Wed 25 Nov 2026 (Pacific/Kiritimati), not Thu 26 Nov: your zone changed, "
        "and a change of zone never adds a day"
    )
