"""Writes while reading: check-in latency while leaderboards for 100 servers are computed.

Through the bot's database layer and services (no Discord in between, so what is measured is
whether reads stall writes): 100 servers of 100 members with four weeks of history; one task
checks members in at 200 a second while others compute every server's leaderboard in a loop.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import percentile
from bot.discordbot.ids import community_of
from bot.domain.points import day_points
from bot.domain.ranking import period_keys
from bot.services.checkins import CheckinService
from bot.services.leaderboard import LeaderboardService
from bot.store.database import Database

SERVERS = 100
MEMBERS = 100
HISTORY_DAYS = 28
CHECKINS = 2000
RATE = 200.0
READERS = 4
TARGET_MS = 10.0
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
# Discord servers 1..100 and users 1..100, as the bot stores their ids.
COMMUNITIES = [community_of(g) for g in range(1, SERVERS + 1)]
USERS = [str(u) for u in range(1, MEMBERS + 1)]


class Clock:
    def now(self) -> datetime:
        return NOW


async def seed(db: Database) -> None:
    rng = random.Random(3)
    stamp = NOW.isoformat()
    communities = [(g, stamp, stamp) for g in COMMUNITIES]
    members = [(g, u, f"m{u}", stamp) for g in COMMUNITIES for u in USERS]
    days: list[tuple[str, str, str, int, int, str]] = []
    totals: dict[tuple[str, str, str], list[int]] = {}
    for g in COMMUNITIES:
        for u in USERS:
            for back in range(1, HISTORY_DAYS + 1):
                day = (NOW - timedelta(days=back)).date()
                minutes = rng.randint(5, 90)
                days.append(
                    (g, u, day.isoformat(), minutes, 1, f"{day.isoformat()}T12:00:00+00:00")
                )
                for key in period_keys(day):
                    total = totals.setdefault((g, key, u), [0, 0, 0])
                    total[0] += day_points(minutes)
                    total[1] += 1
                    total[2] += minutes
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, ?, ?)",
            communities,
        )
        await conn.executemany(
            "INSERT INTO members (community_id, user_id, display_name, created_at) "
            "VALUES (?, ?, ?, ?)",
            members,
        )
        await conn.executemany(
            # As every check-in since migration 0007 writes them: when the day opened, and in
            # which zone.
            "INSERT INTO study_days (community_id, user_id, local_date, minutes, sessions, "
            "opened_at, zone) VALUES (?, ?, ?, ?, ?, ?, 'UTC')",
            days,
        )
        await conn.executemany(
            "INSERT INTO member_period_totals (community_id, period, user_id, points, days, "
            "minutes, sessions) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(g, k, u, p, d, m, d) for (g, k, u), (p, d, m) in totals.items()],
        )


async def run() -> list[tuple[str, str, str, bool]]:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(Path(scratch) / "bench.db")
        try:
            await seed(db)
            checkins = CheckinService(db, Clock())
            boards = LeaderboardService(db, Clock())
            stop = asyncio.Event()
            computed = 0

            async def read_forever(offset: int) -> None:
                nonlocal computed
                while not stop.is_set():
                    for community in COMMUNITIES[offset::READERS]:
                        await boards.leaderboard(community, "week", USERS[0])
                        computed += 1

            readers = [asyncio.create_task(read_forever(i)) for i in range(READERS)]
            latencies: list[float] = []
            start = time.perf_counter()

            async def one(i: int) -> None:
                delay = start + i / RATE - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                t0 = time.perf_counter()
                await checkins.check_in(
                    COMMUNITIES[i % SERVERS], USERS[(i // SERVERS) % MEMBERS], "m", 5
                )
                latencies.append(time.perf_counter() - t0)

            await asyncio.gather(*(one(i) for i in range(CHECKINS)))
            stop.set()
            await asyncio.gather(*readers)
        finally:
            await db.close()
    p99 = percentile(latencies, 0.99) * 1000
    print(f"writes while reading: check-in p99 {p99:.2f} ms, {computed} leaderboards computed")
    return [
        (
            f"check-in p99 while {SERVERS} servers' leaderboards are computed",
            f"< {TARGET_MS:.0f} ms",
            f"{p99:.2f} ms",
            p99 < TARGET_MS,
        )
    ]
