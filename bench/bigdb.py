"""The big database the scale benchmarks share: 10,000 members, a year of daily check-ins.

Built once per `make bench` (about a minute) through the real migrations.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.discordbot.ids import community_of
from bot.domain.points import day_points
from bot.domain.ranking import period_keys
from bot.store.database import Database

# One Discord server, as the bot names it in the database.
COMMUNITY = community_of(1)
MEMBERS = 10_000
DAYS = 365
LAST_DAY = date(2026, 11, 22)  # a Sunday: the week it ends is the one ranked


class FixedClock:
    def now(self) -> datetime:
        return datetime.combine(LAST_DAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)


async def fill(db: Database) -> None:
    rng = random.Random(7)
    now = "2026-11-22T12:00:00+00:00"
    users = [str(u) for u in range(1, MEMBERS + 1)]  # as the bot stores a Discord user id
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, ?, ?)",
            (COMMUNITY, now, now),
        )
        await conn.executemany(
            "INSERT INTO members (community_id, user_id, display_name, created_at) "
            "VALUES (?, ?, ?, ?)",
            [(COMMUNITY, u, f"member {u}", now) for u in users],
        )
    days = [LAST_DAY - timedelta(days=d) for d in range(DAYS)]
    totals: dict[tuple[str, str], list[int]] = {}
    for first in range(0, DAYS, 20):
        rows = []
        for day in days[first : first + 20]:
            iso = day.isoformat()
            keys = period_keys(day)
            for user in users:
                minutes = rng.randint(5, 150)
                rows.append((COMMUNITY, user, now, iso, minutes))
                for key in keys:
                    total = totals.setdefault((key, user), [0, 0, 0])
                    total[0] += day_points(minutes)
                    total[1] += 1
                    total[2] += minutes
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO checkins (community_id, user_id, created_at, local_date, minutes) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO member_period_totals (community_id, period, user_id, points, days, "
            "minutes, sessions, solves) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            [(COMMUNITY, k, u, p, d, m, d) for (k, u), (p, d, m) in totals.items()],
        )
        # The best index the straightforward query can have: it covers the query.
        await conn.execute(
            "CREATE INDEX bench_checkins_cover "
            "ON checkins (community_id, local_date, user_id, minutes)"
        )
    async with db.transaction() as conn:
        await conn.execute("ANALYZE")


async def build(path: Path) -> None:
    db = await Database.open(path)
    try:
        started = time.perf_counter()
        await fill(db)
        print(f"built {MEMBERS * DAYS:,} check-ins in {time.perf_counter() - started:.1f} s")
    finally:
        await db.close()
