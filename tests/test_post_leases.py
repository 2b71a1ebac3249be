"""Leases on the post ledger: with several processes on one database (shards, an overlapping
deploy), only a live lease's holder sends, and a dead holder's post still goes out once."""

import asyncio

from bot.messages.model import Message
from bot.services.ports import SendFailure, SendResult
from bot.store import posts
from tests.fake_chat import RecordingChat
from tests.test_posting import CHANNEL, GUILD, World, at, world

__all__ = ["world"]  # the fixture, shared with the poster's other tests


class HeldChat(RecordingChat):
    """Holds every send until the test lets it go: a process caught in the middle of a post."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = asyncio.Event()
        self.release = asyncio.Event()

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        self.sending.set()
        await self.release.wait()
        return await super().post(community_id, channel_id, message, key)


async def test_while_one_process_sends_another_does_not(world: World) -> None:
    at(world.clock, 8)
    held = HeldChat()
    first, second = world.poster("a", sole_process=False), world.poster("b", sole_process=False)
    first._chat = held
    sending = asyncio.create_task(first.post_due(GUILD))
    await held.sending.wait()
    assert (await second.post_due(GUILD)).status == "in-progress"
    assert (await second.post_now(GUILD, force=False)).status == "in-progress"
    held.release.set()
    assert (await sending).status == "sent"
    assert (await second.post_due(GUILD)).status == "already-sent"
    assert len(held.daily) == 1
    assert world.chat.posts == []


async def claim_and_die(world: World, owner: str) -> None:
    """What a process killed right after claiming leaves: a claim under a live lease."""
    now = world.clock.now()
    async with world.db.transaction() as conn:
        await conn.run(
            posts.claim,
            GUILD,
            "daily",
            "daily:2026-11-21",
            owner,
            now.isoformat(),
            now.replace(minute=2).isoformat(),
            False,
        )


async def test_a_killed_processes_post_is_taken_over_once_its_lease_expires(world: World) -> None:
    at(world.clock, 8)
    await claim_and_die(world, "killed")
    survivor = world.poster("survivor", sole_process=False)
    assert (await survivor.post_due(GUILD)).status == "in-progress"
    assert await survivor.take_over_expired() == []
    at(world.clock, 8, 3)  # the lease ran out at 08:02
    [outcome] = await survivor.take_over_expired()
    assert outcome.status == "sent"
    [post] = world.chat.daily
    assert (
        post.key == "daily:2026-11-21:"
    )  # the dead claimer's key: a send of its never shows twice
    assert await survivor.take_over_expired() == []
    assert (await world.poster("c", sole_process=False).post_due(GUILD)).status == "already-sent"


async def test_a_claim_left_past_every_window_is_not_looked_at_again(world: World) -> None:
    at(world.clock, 8)
    await claim_and_die(world, "killed")
    world.clock.move(days=4)  # the lease ran out four days ago: that post's window has closed
    assert await world.poster("later", sole_process=False).take_over_expired() == []


async def test_expired_leases_of_communities_served_elsewhere_are_left_to_them(
    world: World,
) -> None:
    at(world.clock, 8)
    await claim_and_die(world, "killed")
    at(world.clock, 8, 3)
    elsewhere = world.poster("other-shard", sole_process=False)
    elsewhere._serves = lambda community_id: community_id != GUILD
    assert await elsewhere.take_over_expired() == []
    assert world.chat.posts == []


async def test_alone_on_sqlite_a_restart_takes_over_at_once(world: World) -> None:
    at(world.clock, 8)
    await claim_and_die(world, "killed")
    # SQLite's instance lock means the claimer is gone: no wait for the lease to expire.
    assert (await world.poster("restarted").post_due(GUILD)).status == "sent"
    assert len(world.chat.daily) == 1


async def test_a_retry_holds_the_lease_through_its_wait(world: World) -> None:
    at(world.clock, 8)
    unavailable = SendResult(failure=SendFailure.UNAVAILABLE, detail="503 Service Unavailable")
    world.chat.failures[CHANNEL] = [unavailable, unavailable]
    rival = world.poster("rival", sole_process=False)
    rival_outcomes = []
    retrying = world.poster("retrying", sole_process=False, lease_seconds=5)
    sleep = retrying._sleep

    async def sleep_and_compete(seconds: float) -> None:
        await sleep(seconds)  # moves the clock past the 5 s lease: only the extension holds
        rival_outcomes.append((await rival.post_due(GUILD)).status)

    retrying._sleep = sleep_and_compete
    assert (await retrying.post_due(GUILD)).status == "sent"
    assert rival_outcomes == ["in-progress", "in-progress"]
    assert len(world.chat.daily) == 1
