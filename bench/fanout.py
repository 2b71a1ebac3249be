"""Fan-out: 1,000 servers due at the same minute, under Discord's global limit.

The fake Discord answers 429 beyond 50 bot requests a second. The bot starts with 1,000
servers whose daily post time has just passed; all 1,000 posts must go out within 1.15 times
the 20-second floor (1,000 / 50), with no 429 and no duplicate.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.harness import quick_fake, running_bot
from bot.store.database import Database
from tests.e2e.process import set_up_servers

SERVERS = 1000
LIMIT = 50
FLOOR = SERVERS / LIMIT
TARGET = 1.15 * FLOOR


async def configure(path: Path, channels: dict[int, int]) -> None:
    db = await Database.open(path)
    try:
        await set_up_servers(db, channels)
    finally:
        await db.close()


async def run() -> list[tuple[str, str, str, bool]]:
    fake = quick_fake(global_rate_limit=LIMIT)
    await fake.start()
    try:
        guilds = [fake.add_guild(f"group {n}") for n in range(SERVERS)]
        channels = {g.id: g.channels[0].id for g in guilds}
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            await configure(workdir / "studybot.db", channels)
            async with running_bot(fake, workdir, STUDYBOT_TEST_NOW="2026-11-21T09:00:30+00:00"):
                posts = await wait_for_posts(fake, set(channels.values()))
    finally:
        await fake.close()
    first, last = min(posts.values()), max(posts.values())
    spread = last - first
    per_channel = [len(fake.channel_messages(c)) for c in channels.values()]
    print(f"fan-out: {SERVERS} posts in {spread:.1f} s, {fake.rate_limited} answered 429")
    return [
        (
            f"fan-out: {SERVERS} daily posts at one minute",
            f"<= {TARGET:.1f} s",
            f"{spread:.1f} s",
            spread <= TARGET,
        ),
        ("fan-out: 429 answers from Discord", "0", str(fake.rate_limited), fake.rate_limited == 0),
        (
            "fan-out: servers posted exactly once",
            str(SERVERS),
            str(per_channel.count(1)),
            per_channel.count(1) == SERVERS,
        ),
    ]


async def wait_for_posts(fake: object, channels: set[int]) -> dict[int, float]:
    """When each channel got its first message (polling the fake, bounded to a minute)."""
    seen: dict[int, float] = {}
    deadline = time.perf_counter() + 60
    while len(seen) < len(channels) and time.perf_counter() < deadline:
        for channel in channels - seen.keys():
            if fake.channel_messages(channel):  # type: ignore[attr-defined]
                seen[channel] = time.perf_counter()
        await asyncio.sleep(0.02)
    # A little longer, to catch any duplicate sent after the last first post.
    await asyncio.sleep(1.0)
    return seen
