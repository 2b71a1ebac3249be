"""Two processes, one bot: 1,000 servers over 4 shards on one PostgreSQL, all due at one minute.

Like `fanout.py`, but the shards are split over two `studybot run` processes (shards 0-1 and
2-3), which share Discord's 50 requests a second through the database. The fake Discord answers
429 beyond 50 a second, counting both processes' requests. Target: all 1,000 posts within 1.15
times the 20-second floor, no 429, each server once.
"""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

from bench.fanout import FLOOR, LIMIT, SERVERS, TARGET, wait_for_posts
from bench.harness import LAUNCHER
from bot.store.database import Database
from tests import postgres
from tests.e2e.process import BotProcess, bot_environment, set_up_servers, spawn
from tests.fakediscord import FakeDiscord

SHARDS = 4
NOW = "2026-11-21T09:00:30+00:00"


async def configure(url: str, channels: dict[int, int]) -> None:
    db = await Database.open_postgres(url, readers=0)
    try:
        await set_up_servers(db, channels)
    finally:
        await db.close()


async def run() -> list[tuple[str, str, str, bool]]:
    fake = FakeDiscord(
        validate=False,
        check_responses=False,
        global_rate_limit=LIMIT,
        shards=SHARDS,
        max_concurrency=SHARDS,
    )
    await fake.start()
    url = await postgres.fresh_database()
    bots: list[BotProcess] = []
    try:
        guilds = [fake.add_guild(f"group {n}") for n in range(SERVERS)]
        channels = {g.id: g.channels[0].id for g in guilds}
        await configure(url, channels)
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            for shard_ids in ("0-1", "2-3"):
                env = bot_environment(
                    fake,
                    workdir,
                    DATABASE_URL=url,
                    STUDYBOT_SHARD_COUNT=str(SHARDS),
                    STUDYBOT_SHARD_IDS=shard_ids,
                    STUDYBOT_TEST_NOW=NOW,
                    STUDYBOT_LOG_LEVEL="WARNING",
                )
                bots.append(await spawn([sys.executable, "-m", LAUNCHER, "run"], env, workdir))
            # The fake stamps each request as its event loop gets to it: a full garbage
            # collection of its million objects stalls it, and the requests that arrived
            # meanwhile count as one burst the bots never sent (as in tests/e2e/test_shards.py).
            gc.collect()
            gc.freeze()
            gc.disable()
            try:
                posts = await wait_for_posts(fake, set(channels.values()))
            finally:
                gc.enable()
                gc.unfreeze()
            for bot in bots:
                await bot.stop()
    finally:
        for bot in bots:
            if bot.process.returncode is None:
                bot.process.kill()
                await bot.process.wait()
        await fake.close()
        postgres.drop(url)
    spread = max(posts.values()) - min(posts.values()) if posts else float("inf")
    per_channel = [len(fake.channel_messages(c)) for c in channels.values()]
    print(
        f"two-process fan-out: {len(posts)} posts in {spread:.1f} s (floor {FLOOR:.0f} s), "
        f"{fake.rate_limited} answered 429"
    )
    return [
        (
            f"two-process fan-out: {SERVERS} posts over {SHARDS} shards",
            f"<= {TARGET:.1f} s",
            f"{spread:.1f} s",
            spread <= TARGET,
        ),
        (
            "two-process fan-out: 429 answers from Discord",
            "0",
            str(fake.rate_limited),
            fake.rate_limited == 0,
        ),
        (
            "two-process fan-out: servers posted exactly once",
            str(SERVERS),
            str(per_channel.count(1)),
            per_channel.count(1) == SERVERS,
        ),
    ]
