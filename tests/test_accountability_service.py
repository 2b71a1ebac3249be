from datetime import date

import pytest

from bot.messages.model import Mention
from bot.services.accountability import AccountabilityService
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.fake_chat import RecordingChat
from tests.refusals import refused

GUILD, CHANNEL = "discord:3", "300"
ALICE, BOB, CAROL = "1", "2", "3"


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


@pytest.fixture
async def service(
    database: Database, clock: MovableClock, chat: RecordingChat
) -> AccountabilityService:
    await CommunitySettingsService(database, clock).setup(GUILD, CHANNEL, "UTC")
    return AccountabilityService(database, clock, chat)


def restarted(
    database: Database, clock: MovableClock, chat: RecordingChat
) -> AccountabilityService:
    return AccountabilityService(database, clock, chat)


async def test_reminders_reach_only_members_who_have_not_checked_in(
    database: Database, clock: MovableClock, chat: RecordingChat, service: AccountabilityService
) -> None:
    for user, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")):
        await service.set_reminder(GUILD, user, name, "20:00")
    await CheckinService(database, clock).check_in(GUILD, CAROL, "carol", 30)
    chat.closed_dms.add(BOB)

    clock.instant = clock.instant.replace(hour=19, minute=59)
    assert await service.send_due_reminders() == 0
    clock.instant = clock.instant.replace(hour=20, minute=0)
    assert await service.send_due_reminders() == 2
    assert [sent.to for sent in chat.directs] == [ALICE]
    assert chat.directs[0].message.pings == ()  # a direct message pings nobody
    assert "use /checkin" in chat.directs[0].text
    [fallback] = chat.posts
    assert (fallback.to, fallback.message.pings) == (CHANNEL, (BOB,))
    assert fallback.message.content[0][0] == Mention(BOB)
    # Never twice for one member and day, even after a restart.
    assert await restarted(database, clock, chat).send_due_reminders() == 0
    clock.move(days=1)
    assert await service.send_due_reminders() == 3  # a new day: carol has not checked in yet


async def test_no_reminders_while_away_or_paused(
    database: Database, clock: MovableClock, chat: RecordingChat, service: AccountabilityService
) -> None:
    await service.set_reminder(GUILD, ALICE, "alice", "08:00")
    await service.go_away(GUILD, ALICE, "alice", "2026-11-22")
    assert await service.send_due_reminders() == 0  # 10:00 on the 21st, away
    clock.move(days=1)
    assert await service.send_due_reminders() == 0  # still away on the 22nd
    await CommunitySettingsService(database, clock).pause(GUILD, None)
    clock.move(days=1)
    assert await service.send_due_reminders() == 0  # back, but the server is paused
    await CommunitySettingsService(database, clock).resume(GUILD)
    assert await service.send_due_reminders() == 1
    assert await service.set_reminder(GUILD, ALICE, "alice", "off") is None
    clock.move(days=1)
    assert await service.send_due_reminders() == 0


async def test_away_keeps_the_streak_and_back_makes_today_normal(
    database: Database, clock: MovableClock, service: AccountabilityService
) -> None:
    checkins = CheckinService(database, clock)
    await checkins.check_in(GUILD, ALICE, "alice", 30)  # the 21st
    clock.move(days=1)
    await service.go_away(GUILD, ALICE, "alice", "2026-11-25")
    clock.move(days=3)  # the 25th, still away
    held = await checkins.streak(GUILD, ALICE)
    assert (held.streak.current, held.away_until, held.away_days) == (1, date(2026, 11, 25), 4)
    clock.move(days=1)  # the 26th: back, and checking in continues the streak
    assert (await checkins.check_in(GUILD, ALICE, "alice", 30)).streak.current == 2
    assert (await service.away_now(GUILD, ALICE)) is None

    await service.go_away(GUILD, ALICE, "alice", "2026-12-10")
    clock.move(days=2)  # the 28th
    await service.come_back(GUILD, ALICE)
    period = await service.away_now(GUILD, ALICE)
    assert period is None
    with refused("You are not away"):
        await service.come_back(GUILD, ALICE)
    # The 27th stays an away day: missing it does not break the streak, today counts again.
    assert (await checkins.check_in(GUILD, ALICE, "alice", 30)).streak.current == 3


async def test_buddies_are_paired_once_per_round_and_see_each_other(
    clock: MovableClock, service: AccountabilityService
) -> None:
    for user, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")):
        assert await service.join_buddies(GUILD, user, name)
    assert not await service.join_buddies(GUILD, ALICE, "alice")
    groups = await service.pair_round(GUILD, "weekly:2026-W47")
    assert groups == [(ALICE, BOB, CAROL)]  # three: one group of three
    assert await service.pair_round(GUILD, "weekly:2026-W47") == groups
    opted_in, buddies = await service.my_buddies(GUILD, ALICE)
    assert opted_in
    assert sorted(b.name for b in buddies) == ["bob", "carol"]
    assert await service.leave_buddies(GUILD, CAROL)
    assert await service.pair_round(GUILD, "weekly:2026-W48") == [(ALICE, BOB)]


async def test_milestones_fire_once(database: Database, clock: MovableClock) -> None:
    checkins = CheckinService(database, clock)
    seen = []
    for _ in range(8):
        result = await checkins.check_in(GUILD, ALICE, "alice", 30)
        seen.append(result.milestones)
        again = await checkins.check_in(GUILD, ALICE, "alice", 10)
        assert again.milestones == ()
        clock.move(days=1)
    assert seen[6] == ("streak-7",)
    assert [m for m in seen if m] == [("streak-7",)]
    # After a break, reaching 7 days again is not celebrated a second time.
    clock.move(days=5)
    later = []
    for _ in range(7):
        later.append(await checkins.check_in(GUILD, ALICE, "alice", 30))
        clock.move(days=1)
    assert all(r.milestones == () for r in later)


async def test_the_hundredth_hour(database: Database, clock: MovableClock) -> None:
    checkins = CheckinService(database, clock)
    reached: list[str] = []
    for _ in range(10):  # 10 days of 10 hours
        for _ in range(2):
            reached += (await checkins.check_in(GUILD, BOB, "bob", 300)).milestones
        clock.move(days=1)
    assert reached.count("hours-100") == 1
    assert "streak-7" in reached


async def test_a_reminder_check_with_nothing_due_writes_nothing(
    database: Database, clock: MovableClock, chat: RecordingChat, service: AccountabilityService
) -> None:
    for user, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")):
        await service.set_reminder(GUILD, user, name, "08:00")
    clock.instant = clock.instant.replace(hour=9, minute=0)
    await CheckinService(database, clock).check_in(GUILD, CAROL, "carol", 30)
    assert await service.send_due_reminders() == 2  # alice and bob, once
    opened = 0
    real_transaction = database.transaction

    def counting_transaction() -> object:
        nonlocal opened
        opened += 1
        return real_transaction()

    database.transaction = counting_transaction  # type: ignore[method-assign,assignment]
    for _ in range(3):  # three more minutes: everyone is checked in or already reminded
        clock.move(minutes=1)
        assert await service.send_due_reminders() == 0
    assert opened == 0
