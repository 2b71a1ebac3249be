"""Two real `studybot run` processes on one PostgreSQL, Discord's shards split between them.

1,000 servers over 4 shards, every daily post due at the same minute, and a fake Discord that
answers 429 beyond 50 requests a second: each server's post goes out exactly once, with no 429,
also when one process is killed mid-fan-out (its posts go out once its leases expire) and when
an old and a new process both run every shard (an overlapping deploy).
"""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.store.database import Database
from tests import postgres
from tests.e2e.conftest import CATCH_UP, LAUNCHER, BotClock
from tests.e2e.process import BotProcess, bot_environment, set_up_servers, spawn
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

SERVERS = 1000
SHARDS = 4
BEFORE = "2026-11-21T08:59:00+00:00"
DUE = "2026-11-21T09:00:30+00:00"
AFTER_LEASES = "2026-11-21T09:03:30+00:00"  # the 2-minute leases of 09:00:30 have expired
FAN_OUT_LIMIT = 120.0  # seconds; 1,000 posts take about 22 at 46 a second

Start = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(
        shards=SHARDS,
        max_concurrency=SHARDS,
        global_rate_limit=50,
        identify_spacing=5.0,  # Discord's: one IDENTIFY per bucket every 5 s, bot-wide
        validate=False,  # 1,000 posts: the other end-to-end tests check every request
        check_responses=False,
    )
    await server.start()
    try:
        yield server
    finally:
        await server.close()
    assert server.problems == [], "identifies too close together, or a refused session"


@pytest.fixture
async def database() -> AsyncIterator[str]:
    url = await postgres.fresh_database()
    yield url
    postgres.drop(url)


@pytest.fixture
async def start(
    fake: FakeDiscord, database: str, tmp_path: Path, clock: BotClock
) -> AsyncIterator[Start]:
    started: list[BotProcess] = []

    async def start_one(**env: str) -> BotProcess:
        settings = {
            "DATABASE_URL": database,
            "STUDYBOT_SHARD_COUNT": str(SHARDS),
            "STUDYBOT_TEST_CLOCK_FILE": str(clock.path),
            "STUDYBOT_LOG_LEVEL": "INFO",
            **env,
        }
        command = [sys.executable, "-m", LAUNCHER, "run"]
        bot = await spawn(command, bot_environment(fake, tmp_path, **settings), tmp_path)
        started.append(bot)
        return bot

    yield start_one
    for bot in started:
        if bot.process.returncode is None:
            assert await bot.stop() == 0, bot.log()


async def servers(fake: FakeDiscord, url: str, count: int) -> dict[int, int]:
    """`count` servers spread over the shards, each set up with its study channel: guild ->
    channel."""
    guilds = [fake.add_guild(f"group {n}") for n in range(count)]
    channels = {g.id: g.channel("study").id for g in guilds}
    db = await Database.open_postgres(url, readers=0)
    try:
        await set_up_servers(db, channels)
    finally:
        await db.close()
    return channels


async def ready(fake: FakeDiscord, *bots: BotProcess) -> None:
    """Every process has every one of its shards connected, and has caught up."""
    await fake.wait_until_ready(timeout=60)
    for bot in bots:
        await bot.wait_for_log("ready as", within=60)
        await bot.wait_for_log(CATCH_UP, within=60)


async def fan_out(*bots: BotProcess) -> None:
    """What each scheduler does when the post time comes, in every process at once."""
    done = [bot.log().count(CATCH_UP) for bot in bots]
    for bot in bots:
        bot.process.send_signal(signal.SIGUSR1)
    for bot, count in zip(bots, done, strict=True):
        await bot.wait_for_log(CATCH_UP, count=count + 1, within=FAN_OUT_LIMIT)


def message_posts(fake: FakeDiscord) -> Counter[int]:
    """Message sends per channel, as requests: a duplicate send counts even if it would not
    show (Discord drops a repeated nonce)."""
    return Counter(
        int(r.path.split("/")[2])
        for r in fake.requests
        if r.method == "POST" and r.path.startswith("/channels/") and r.path.endswith("/messages")
    )


async def posted_everywhere(fake: FakeDiscord, channels: dict[int, int]) -> None:
    async with asyncio.timeout(FAN_OUT_LIMIT):
        # The bots are other processes: there is nothing to await but what the fake stored.
        while not all(fake.channel_messages(c) for c in channels.values()):  # noqa: ASYNC110
            await asyncio.sleep(0.25)


@pytest.fixture(autouse=True)
def no_collection_pauses() -> Iterator[None]:
    """The fake Discord in this process holds a million objects by the end; a full garbage
    collection pauses it for a tenth of a second or more, and the requests that arrive
    meanwhile are counted together, as a burst over the limit the bots never sent."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def ledger(url: str) -> list[tuple[str, int]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM scheduled_posts WHERE kind = 'daily' GROUP BY status"
        ).fetchall()
    return [(str(status), int(count)) for status, count in rows]


def shown(fake: FakeDiscord, channels: dict[int, int]) -> Counter[int]:
    """How many channels show how many messages."""
    return Counter(len(fake.channel_messages(c)) for c in channels.values())


async def test_two_processes_post_to_each_of_1000_servers_exactly_once_without_a_429(
    fake: FakeDiscord, database: str, start: Start, clock: BotClock
) -> None:
    channels = await servers(fake, database, SERVERS)
    clock.set(BEFORE)
    first = await start(STUDYBOT_SHARD_IDS="0-1")
    second = await start(STUDYBOT_SHARD_IDS="2-3")
    await ready(fake, first, second)
    # Each process got only its own shards' servers.
    delivered = {(d.guild_id, d.shard_id) for d in fake.guild_deliveries}
    assert delivered == {(g, fake.shard_of(g)) for g in channels}
    clock.set(DUE)
    await fan_out(first, second)
    await posted_everywhere(fake, channels)
    assert shown(fake, channels) == {1: SERVERS}
    assert set(message_posts(fake).values()) == {1}
    assert fake.rate_limited == 0
    assert ledger(database) == [("sent", SERVERS)]
    # Commands were synced once, by the process that runs shard 0.
    assert len(fake.command_syncs) >= 1
    assert "slash commands are synced by the process that runs shard 0" in second.log()


async def test_a_process_killed_mid_fan_out_has_its_posts_sent_once_after_its_leases_expire(
    fake: FakeDiscord, database: str, start: Start, clock: BotClock
) -> None:
    channels = await servers(fake, database, SERVERS)
    killed_shards = {0, 1}
    mine = {c for g, c in channels.items() if fake.shard_of(g) in killed_shards}
    clock.set(BEFORE)
    doomed = await start(STUDYBOT_SHARD_IDS="0-1")
    survivor = await start(STUDYBOT_SHARD_IDS="2-3")
    await ready(fake, doomed, survivor)
    clock.set(DUE)
    doomed.process.send_signal(signal.SIGUSR1)
    survivor.process.send_signal(signal.SIGUSR1)
    async with asyncio.timeout(FAN_OUT_LIMIT):
        while sum(bool(fake.channel_messages(c)) for c in mine) < 100:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    doomed.process.send_signal(signal.SIGKILL)
    assert await doomed.process.wait() == -signal.SIGKILL
    await survivor.wait_for_log(CATCH_UP, count=2, within=FAN_OUT_LIMIT)
    left = [c for c in mine if not fake.channel_messages(c)]
    assert left, "the kill came after every post: nothing was left to take over"
    clock.set(AFTER_LEASES)
    restarted = await start(STUDYBOT_SHARD_IDS="0-1")
    await ready(fake, restarted)
    await posted_everywhere(fake, channels)
    assert shown(fake, channels) == {1: SERVERS}
    assert fake.rate_limited == 0
    assert ledger(database) == [("sent", SERVERS)]


async def test_an_overlapping_deploy_sends_no_post_twice(
    fake: FakeDiscord, database: str, start: Start, clock: BotClock
) -> None:
    channels = await servers(fake, database, 300)
    clock.set(BEFORE)
    old = await start()  # every shard, in each process: the old release and the new one
    new = await start()
    await ready(fake, old, new)
    assert all(len(fake.sessions_of(shard)) == 2 for shard in range(SHARDS))
    clock.set(DUE)
    await fan_out(old, new)
    await posted_everywhere(fake, channels)
    sends = message_posts(fake)
    assert set(sends.values()) == {1}, "a post was sent by both processes"
    assert len(sends) == 300
    assert ledger(database) == [("sent", 300)]
    assert fake.rate_limited == 0
    # Both tried: the process that found a post claimed left it.
    assert "in-progress" in old.log() + new.log()
