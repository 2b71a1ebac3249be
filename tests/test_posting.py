"""The daily poster against a recording chat port: once, never lost, failures isolated."""

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.content import load_bank
from bot.content.loader import load_curriculum
from bot.messages.model import Message
from bot.services.accountability import AccountabilityService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.leaderboard import LeaderboardService
from bot.services.ports import SendFailure, SendResult
from bot.services.posting import Poster
from bot.services.scheduling import PostScheduler
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS
from tests.fake_chat import RecordingChat

GUILD, OTHER = "discord:1", "discord:2"
CHANNEL, OTHER_CHANNEL = "100", "200"


class World:
    def __init__(self, database: Database, clock: MovableClock) -> None:
        self.db = database
        self.clock = clock
        self.chat = RecordingChat()
        self.slept: list[float] = []
        self.communities = CommunitySettingsService(database, clock)
        bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
        self.content = ContentService(
            database, clock, load_curriculum(GOOD_CURRICULUM, "c.toml"), bank
        )

    def poster(
        self, owner: str = "this-process", *, sole_process: bool = True, lease_seconds: float = 120
    ) -> Poster:
        """A fresh poster, as after a restart: nothing is remembered but the database.

        With another `owner` and `sole_process=False`, another process on the same database.
        """

        async def sleep(seconds: float) -> None:
            self.slept.append(seconds)
            self.clock.move(seconds=seconds)

        return Poster(
            self.db,
            self.clock,
            self.communities,
            self.content,
            LeaderboardService(self.db, self.clock),
            self.chat,
            sleep=sleep,
            owner=owner,
            sole_process=sole_process,
            lease_seconds=lease_seconds,
        )


@pytest.fixture
async def world(database: Database, clock: MovableClock) -> World:
    w = World(database, clock)
    await w.communities.setup(GUILD, CHANNEL, "Europe/Berlin", "09:00")
    return w


def at(clock: MovableClock, hour: int, minute: int = 0, day: int = 21) -> None:
    clock.instant = clock.instant.replace(day=day, hour=hour, minute=minute)


async def test_nothing_before_the_post_time_then_exactly_once(world: World) -> None:
    at(world.clock, 7, 59)  # 08:59 in Berlin
    assert (await world.poster().post_due(GUILD)).status == "not-due"
    at(world.clock, 8, 0)
    first = await world.poster().post_due(GUILD)
    again = await world.poster().post_due(GUILD)  # a restart, or a second job firing
    assert (first.status, again.status) == ("sent", "already-sent")
    [post] = world.chat.daily
    assert (post.community_id, post.to) == (GUILD, CHANNEL)
    assert post.title == "Day 1: Lists"  # basics-01
    # The key the adapter turns into a nonce: the same for every send of this post.
    assert post.key == "daily:2026-11-21:"


async def test_a_missed_post_is_sent_once_inside_its_window_and_never_after(world: World) -> None:
    at(world.clock, 8)
    await world.poster().post_due(GUILD)
    at(world.clock, 21, day=22)  # down all of the 22nd until 22:00 Berlin
    assert (await world.poster().post_due(GUILD)).status == "sent"
    assert (await world.poster().post_due(GUILD)).status == "already-sent"
    at(world.clock, 23, day=23)  # 00:00 on the 24th: the 23rd's post was missed for good
    assert (await world.poster().post_due(GUILD)).status == "not-due"
    assert [p.day_number for p in world.chat.daily] == [1, 2]


async def test_a_pause_skips_days_without_skipping_content(world: World) -> None:
    at(world.clock, 8)
    await world.poster().post_due(GUILD)
    await world.communities.pause(GUILD, None)
    at(world.clock, 8, day=22)
    assert (await world.poster().post_due(GUILD)).status == "paused"
    await world.communities.resume(GUILD)
    at(world.clock, 8, day=23)
    await world.poster().post_due(GUILD)
    assert [p.title for p in world.chat.daily] == ["Day 1: Lists", "Day 2: Dicts"]


async def test_a_pause_until_a_date_ends_by_itself(world: World) -> None:
    await world.communities.pause(GUILD, "2026-11-22")
    at(world.clock, 8, day=22)
    assert (await world.poster().post_due(GUILD)).status == "paused"
    at(world.clock, 8, day=23)
    assert (await world.poster().post_due(GUILD)).status == "sent"


async def test_unavailable_discord_is_retried_inside_the_window(world: World) -> None:
    at(world.clock, 8)
    unavailable = SendResult(failure=SendFailure.UNAVAILABLE, detail="503 Service Unavailable")
    world.chat.failures[CHANNEL] = [unavailable, unavailable]
    outcome = await world.poster().post_due(GUILD)
    assert outcome.status == "sent"
    assert world.slept[:2] == [15.0, 30.0]
    assert len(world.chat.daily) == 1


async def test_retries_stop_at_the_end_of_the_window(world: World) -> None:
    at(world.clock, 22, 50)  # 23:50 in Berlin: ten minutes of the window left
    unavailable = SendResult(failure=SendFailure.UNAVAILABLE, detail="502 Bad Gateway")
    world.chat.failures[CHANNEL] = [unavailable] * 20
    outcome = await world.poster().post_due(GUILD)
    assert outcome.status == "failed"
    assert world.slept == [15.0, 30.0, 60.0, 120.0, 300.0]  # the next wait would pass midnight
    assert world.clock.instant.isoformat() < "2026-11-21T23:00:00+00:00"


async def test_a_forbidden_channel_is_recorded_and_does_not_stop_other_servers(
    world: World,
) -> None:
    await world.communities.setup(OTHER, OTHER_CHANNEL, "Europe/Berlin", "09:00")
    forbidden = SendResult(failure=SendFailure.FORBIDDEN, detail="Missing Permissions")
    world.chat.failures[CHANNEL] = [forbidden]
    at(world.clock, 8)
    outcomes = {
        o.community_id: o.status
        for o in await world.poster().catch_up_all()
        if o.period.startswith("daily")
    }
    assert outcomes == {GUILD: "failed", OTHER: "sent"}
    [failure] = await world.poster().failures(GUILD)
    assert "missing a permission" in (failure.error or "")
    assert failure.status == "failed"
    # Once the organiser fixes the permission, the next check sends it, still as Day 1.
    await world.poster().post_due(GUILD)
    assert [(p.to, p.day_number) for p in world.chat.daily] == [
        (OTHER_CHANNEL, 1),
        (CHANNEL, 1),
    ]


async def test_an_admin_post_is_once_per_day_unless_forced(world: World) -> None:
    at(world.clock, 6)  # before the post time: an admin may post early
    assert (await world.poster().post_now(GUILD, force=False)).status == "sent"
    assert (await world.poster().post_now(GUILD, force=False)).status == "already-sent"
    assert (await world.poster().post_now(GUILD, force=True)).status == "sent"
    at(world.clock, 8)
    assert (await world.poster().post_due(GUILD)).status == "already-sent"
    keys = [p.key for p in world.chat.daily]
    assert len(keys) == 2
    assert keys[0] != keys[1]  # a forced repost is not deduplicated away
    assert [p.day_number for p in world.chat.daily] == [1, 1]


async def test_jobs_are_a_projection_of_the_settings(world: World) -> None:
    scheduler = AsyncIOScheduler()
    scheduler.start(paused=True)
    try:
        at(world.clock, 8, 30)  # 09:30 in Berlin: today's run has passed
        reminders = AccountabilityService(world.db, world.clock, world.chat)
        jobs = PostScheduler(scheduler, world.clock, world.communities, world.poster(), reminders)
        await jobs.rebuild_all()
        next_run = jobs.next_runs(GUILD)["daily"]
        assert next_run is not None
        assert next_run.isoformat() == "2026-11-22T08:00:00+00:00"
        await world.communities.setup(GUILD, CHANNEL, "America/New_York", "07:15")
        await jobs.rebuild(GUILD)
        moved = jobs.next_runs(GUILD)["daily"]
        assert moved is not None
        assert moved.isoformat() == "2026-11-21T12:15:00+00:00"
        weekly = jobs.next_runs(GUILD)["weekly"]
        assert weekly is not None
        assert weekly.isoformat() == "2026-11-23T12:15:00+00:00"  # Monday, at the post time
        assert sorted(job.id for job in scheduler.get_jobs()) == [
            "daily:discord:1",
            "weekly:discord:1",
        ]
    finally:
        scheduler.shutdown(wait=False)


async def test_a_post_that_cannot_be_made_is_a_visible_failure_not_a_stuck_claim(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    class BrokenChat(RecordingChat):
        async def post(
            self, community_id: str, channel_id: str, message: Message, key: str | None = None
        ) -> SendResult:
            raise ValueError("embed field too long")

    poster = world.poster()
    poster._chat = BrokenChat()
    at(world.clock, 9, 1)
    outcome = await poster.post_due(GUILD)
    assert outcome.status == "failed"
    assert "could not be made" in outcome.detail
    [entry] = await poster.failures(GUILD)
    assert entry.status == "failed"
    assert entry.error is not None
    assert "ValueError" in entry.error
    error_id = entry.error.split("error id ")[1].split(":")[0]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    # The next try (the bot's retry or a restart) still sends it, once.
    world.chat.posts.clear()
    assert (await world.poster().post_due(GUILD)).status == "sent"
    assert len(world.chat.daily) == 1
