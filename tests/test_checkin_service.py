import asyncio
from datetime import date

import pytest

from bot.errors import UserError
from bot.services.checkins import CheckinService
from bot.services.members import MemberService
from bot.services.stats import StatsService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.refusals import refused

GUILD, ALICE, BOB = "discord:1", "10", "20"


@pytest.fixture
def checkins(database: Database, clock: MovableClock) -> CheckinService:
    return CheckinService(database, clock)


async def test_a_hundred_concurrent_checkins_leave_consistent_totals(
    database: Database, checkins: CheckinService
) -> None:
    results = await asyncio.gather(
        *(checkins.check_in(GUILD, ALICE, "alice", 20) for _ in range(100)),
        return_exceptions=True,
    )
    accepted = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    # 72 sessions of 20 minutes fill the day exactly; the other 28 are refused, not lost.
    assert len(accepted) == 72
    assert all(isinstance(r, UserError) for r in refused)
    assert sorted(r.day_minutes for r in accepted) == list(range(20, 1441, 20))
    assert sorted(r.day_sessions for r in accepted) == list(range(1, 73))
    async with database.reader() as conn:
        cursor = await conn.execute("SELECT count(*), sum(minutes) FROM checkins")
        assert await cursor.fetchone() == (72, 1440)
        cursor = await conn.execute("SELECT minutes, sessions FROM study_days")
        assert await cursor.fetchall() == [(1440, 72)]
    assert {r.streak.current for r in accepted} == {1}


async def test_streak_grows_day_by_day_and_survives_a_day_not_over(
    checkins: CheckinService, clock: MovableClock
) -> None:
    assert (await checkins.check_in(GUILD, ALICE, "alice", 30)).streak.current == 1
    clock.move(days=1)
    assert (await checkins.check_in(GUILD, ALICE, "alice", 30)).streak.current == 2
    clock.move(days=1)
    waiting = await checkins.streak(GUILD, ALICE)
    assert (waiting.streak.current, waiting.streak.today_done) == (2, False)
    clock.move(days=1)
    broken = await checkins.streak(GUILD, ALICE)
    assert (broken.streak.current, broken.streak.best) == (0, 2)


async def test_refused_checkins_write_nothing(database: Database, checkins: CheckinService) -> None:
    for minutes, topic, note in [
        (0, None, None),
        (721, None, None),
        ("12x", None, None),
        (10, "t" * 101, None),
        (10, None, "n" * 1001),
        (10, "tab\there", None),
    ]:
        with pytest.raises(UserError):
            await checkins.check_in(GUILD, ALICE, "alice", minutes, topic, note)
    async with database.reader() as conn:
        cursor = await conn.execute(
            "SELECT (SELECT count(*) FROM checkins), (SELECT count(*) FROM study_days)"
        )
        assert await cursor.fetchone() == (0, 0)


async def test_text_is_trimmed_and_stored_as_given(
    database: Database, checkins: CheckinService
) -> None:
    result = await checkins.check_in(
        GUILD, ALICE, "alice", "45", "  SQL window functions  ", "line one\r\nline two\n"
    )
    assert (result.topic, result.note) == ("SQL window functions", "line one\nline two")
    async with database.reader() as conn:
        cursor = await conn.execute("SELECT minutes, topic, note, source FROM checkins")
        assert await cursor.fetchone() == (
            45,
            "SQL window functions",
            "line one\nline two",
            "command",
        )


async def test_the_member_zone_decides_the_day_and_names_are_refreshed(
    database: Database, checkins: CheckinService, clock: MovableClock
) -> None:
    members = MemberService(database, clock)
    await members.remember(GUILD, ALICE, "alice")
    await members.set_timezone(GUILD, ALICE, "alice", "Pacific/Auckland")
    clock.instant = clock.instant.replace(hour=12)  # 01:00 the next day in Auckland
    auckland = await checkins.check_in(GUILD, ALICE, "Alice L.", 30)
    los_angeles = await checkins.check_in(GUILD, BOB, "bob", 30)
    assert auckland.day == date(2026, 11, 22)
    assert auckland.zone_name == "Pacific/Auckland"
    assert los_angeles.day == date(2026, 11, 21)
    assert await members.display_name(GUILD, ALICE) == "Alice L."
    with refused("Unknown time zone 'Moon/Base'"):
        await members.set_timezone(GUILD, ALICE, "alice", "Moon/Base")


async def test_stats_count_the_period_and_points(
    database: Database, checkins: CheckinService, clock: MovableClock
) -> None:
    stats = StatsService(database, clock)
    clock.move(days=-7)  # Saturday of the week before
    await checkins.check_in(GUILD, ALICE, "alice", 200)
    clock.move(days=7)
    await checkins.check_in(GUILD, ALICE, "alice", 45)
    week = await stats.member_stats(GUILD, ALICE, "week")
    everything = await stats.member_stats(GUILD, ALICE, "all")
    assert (week.days_studied, week.minutes, week.points) == (1, 45, 14)
    assert (everything.days_studied, everything.minutes, everything.points) == (2, 245, 36)
    assert everything.recent_minutes == {date(2026, 11, 14): 200, date(2026, 11, 21): 45}
    assert (await stats.member_stats(GUILD, BOB, "all")).days_studied == 0
