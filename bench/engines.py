"""Check-ins on SQLite and on PostgreSQL, in the same run, through the bot's database layer.

Each engine gets a fresh database (PostgreSQL's from the server `scripts/with-postgres`
starts) and the bot's own CheckinService: 2,000 check-ins from 1,000 members offered at 500 a
second (p99 latency), then 4,000 fired at once (check-ins a second at saturation). No chat
platform in between: what differs is the engine. The PostgreSQL server is local and runs with
fsync off, as in the tests; across a network each commit also pays a round trip.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import offered, percentile
from bot.services.checkins import CheckinService
from bot.store.database import Database
from tests import postgres

MEMBERS = 1000
OFFERED = 2000
RATE = 500.0
SATURATION = 4000
WARM_UP = 200
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return NOW


async def measure(db: Database) -> tuple[float, float]:
    """(p99 in ms at 500/s, check-ins a second when all are sent at once)."""
    checkins = CheckinService(db, Clock())

    async def one(i: int) -> None:
        await checkins.check_in("discord:1", str(i % MEMBERS), f"m{i % MEMBERS}", 1)

    # A warm-up first, as a running bot is: a fresh PostgreSQL connection prepares each
    # statement on its first use, and that one-off cost is not a check-in's latency.
    await asyncio.gather(*(one(SATURATION + OFFERED + i) for i in range(WARM_UP)))
    latencies, _ = await offered(OFFERED, RATE, one)
    started = time.perf_counter()
    await asyncio.gather(*(one(OFFERED + i) for i in range(SATURATION)))
    return percentile(latencies, 0.99) * 1000, SATURATION / (time.perf_counter() - started)


async def run() -> list[tuple[str, str, str, bool]]:
    with tempfile.TemporaryDirectory() as scratch:
        lite = await Database.open(Path(scratch) / "bench.db")
        try:
            lite_p99, lite_rate = await measure(lite)
        finally:
            await lite.close()
    url = await postgres.fresh_database()
    try:
        pg = await Database.open_postgres(url)
        try:
            pg_p99, pg_rate = await measure(pg)
        finally:
            await pg.close()
    finally:
        postgres.drop(url)
    print(
        f"engines: check-in p99 at 500/s SQLite {lite_p99:.2f} ms, PostgreSQL {pg_p99:.2f} ms; "
        f"saturated SQLite {lite_rate:.0f}/s, PostgreSQL {pg_rate:.0f}/s"
    )
    ratio = pg_p99 / lite_p99
    return [
        (
            f"PostgreSQL check-in p99 / SQLite's at 500/s ({pg_p99:.2f} / {lite_p99:.2f} ms)",
            "<= 2.00",
            f"{ratio:.2f}",
            ratio <= 2.0,
        ),
        ("PostgreSQL check-ins/s, saturated", ">= 500", f"{pg_rate:.0f}", pg_rate >= 500),
        ("SQLite check-ins/s, saturated (reference)", "reference", f"{lite_rate:.0f}", True),
    ]
