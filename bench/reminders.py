"""Reminders: 1,000 members due at the same minute, by direct message, under the global limit.

Every reminder to a member the bot has not written to yet is two REST requests (open the DM
channel, send), so 1,000 of them are 2,000 requests: 40 s at Discord's 50 a second. All must
arrive within 1.25 times that floor, with no answer of 429 from the fake (which enforces it).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import quick_fake, running_bot
from bot.discordbot.ids import community_of
from bot.store.database import Database
from tests.fakediscord import FakeDiscord, FakeMember

MEMBERS = 1000
LIMIT = 50
REQUESTS = 2 * MEMBERS
FLOOR = REQUESTS / LIMIT
TARGET = 1.25 * FLOOR


async def configure(path: Path, guild_id: int, user_ids: list[int]) -> None:
    db = await Database.open(path)
    now = datetime(2026, 11, 21, tzinfo=UTC).isoformat()
    community = community_of(guild_id)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO communities (community_id, timezone, post_time, created_at, updated_at) "
            "VALUES (?, 'UTC', '09:00', ?, ?)",
            (community, now, now),
        )
        await conn.executemany(
            "INSERT INTO members (community_id, user_id, display_name, remind_at, created_at) "
            "VALUES (?, ?, ?, '09:00', ?)",
            [(community, str(user), f"member {n}", now) for n, user in enumerate(user_ids)],
        )
    await db.close()


async def run() -> list[tuple[str, str, str, bool]]:
    fake = quick_fake(global_rate_limit=LIMIT)
    await fake.start()
    try:
        guild = fake.add_guild("big group")
        members = [guild.add_member(f"member {n}") for n in range(MEMBERS)]
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            await configure(workdir / "studybot.db", guild.id, [m.id for m in members])
            async with running_bot(fake, workdir, STUDYBOT_TEST_NOW="2026-11-21T09:00:30+00:00"):
                spread = await wait_for_dms(fake, members)
    finally:
        await fake.close()
    delivered = sum(len(fake.dms(m)) == 1 for m in members)
    print(f"reminders: {delivered} DMs in {spread:.1f} s, {fake.rate_limited} answered 429")
    return [
        (
            f"reminders: {MEMBERS} due at one minute, by DM",
            f"<= {TARGET:.1f} s",
            f"{spread:.1f} s",
            spread <= TARGET and delivered == MEMBERS,
        ),
        (
            "reminders: 429 answers from Discord",
            "0",
            str(fake.rate_limited),
            fake.rate_limited == 0,
        ),
    ]


async def wait_for_dms(fake: FakeDiscord, members: list[FakeMember]) -> float:
    """From the first DM to the last (polling the fake, bounded to two minutes)."""
    first: float | None = None
    waiting = list(members)
    deadline = time.perf_counter() + 120
    while waiting and time.perf_counter() < deadline:
        waiting = [m for m in waiting if not fake.dms(m)]
        if first is None and len(waiting) < len(members):
            first = time.perf_counter()
        await asyncio.sleep(0.02)
    last = time.perf_counter()
    await asyncio.sleep(1.0)  # a little longer, to catch a second reminder to anyone
    return last - (first or last)
