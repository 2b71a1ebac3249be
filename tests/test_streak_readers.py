"""Every reader of a streak shows the same number for one history.

The history has a real gap (broken), a missed day bridged by a freeze, and five days away;
readers that forgot the away days used to show 4 instead of 14 in the weekly post and the
reminder.
"""

from datetime import UTC, date, datetime, timedelta

from bot.services.accountability import AccountabilityService
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.leaderboard import LeaderboardService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.fake_chat import RecordingChat

GUILD, CHANNEL = "discord:5", "500"
ALICE, BOB = "1", "2"


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


STUDIED = (
    days(date(2026, 11, 1), date(2026, 11, 2))  # then a week missed: broken
    + days(date(2026, 11, 10), date(2026, 11, 16))  # 7 in a row earn a freeze ...
    + days(date(2026, 11, 18), date(2026, 11, 20))  # ... spent on the 17th
    + days(date(2026, 11, 26), date(2026, 11, 29))  # after 21-25 away
)
AWAY_FROM, AWAY_UNTIL = date(2026, 11, 21), "2026-11-25"
MONDAY = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
EXPECTED = 7 + 3 + 4


async def test_every_reader_agrees_on_a_history_with_away_days_freezes_and_a_gap(
    database: Database, clock: MovableClock
) -> None:
    chat = RecordingChat()
    await CommunitySettingsService(database, clock).setup(GUILD, CHANNEL, "UTC")
    checkins = CheckinService(database, clock)
    accountability = AccountabilityService(database, clock, chat)
    for day in STUDIED:
        clock.instant = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
        await checkins.check_in(GUILD, ALICE, "alice", 30)
    clock.instant = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    away = await accountability.go_away(GUILD, ALICE, "alice", AWAY_UNTIL)
    assert (away.first_day, away.last_day.isoformat()) == (AWAY_FROM, AWAY_UNTIL)

    clock.instant = MONDAY
    await accountability.join_buddies(GUILD, ALICE, "alice")
    await accountability.join_buddies(GUILD, BOB, "bob")
    await accountability.pair_round(GUILD, "2026-W49")

    streak_command = (await checkins.streak(GUILD, ALICE)).streak.current
    weekly = await LeaderboardService(database, clock).weekly_summary(GUILD, date(2026, 11, 23))
    _, buddies = await accountability.my_buddies(GUILD, BOB)
    await accountability.set_reminder(GUILD, ALICE, "alice", "20:00")
    assert await accountability.send_due_reminders() == 1
    [sent] = chat.directs
    reminder = sent.text

    assert streak_command == EXPECTED
    assert weekly.streaks == [("alice", EXPECTED)]
    assert [(b.name, b.streak) for b in buddies] == [("alice", EXPECTED)]
    assert f"keep your {EXPECTED}-day streak going" in reminder
    # The check-in reply counts today too.
    reply = await checkins.check_in(GUILD, ALICE, "alice", 30)
    assert reply.streak.current == EXPECTED + 1
    assert (await checkins.streak(GUILD, ALICE)).streak.current == EXPECTED + 1
