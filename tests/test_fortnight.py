"""Two simulated weeks with restarts at random moments: every post exactly once, in its window."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import daily_occurrence, weekly_occurrence
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.test_posting import World

ZONE = ZoneInfo("America/New_York")  # clocks fall back on Sunday 1 November 2026
START = datetime(2026, 10, 26, 0, 0, tzinfo=ZONE).astimezone(UTC)
DAYS = 14
STEP = timedelta(minutes=10)  # how often the scheduler's jobs would look


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
async def test_restarts_at_random_moments_miss_nothing_and_repeat_nothing(
    database: Database, clock: MovableClock, seed: int
) -> None:
    rng = random.Random(seed)
    world = World(database, clock)
    await world.communities.setup("discord:1", "100", ZONE.key, "09:00", "monday", "08:30")
    restarts = sorted(START + timedelta(minutes=rng.randrange(DAYS * 24 * 60)) for _ in range(25))
    clock.instant = START
    poster = world.poster()
    down_until: datetime | None = None
    while clock.instant < START + timedelta(days=DAYS):
        if restarts and clock.instant >= restarts[0]:
            restarts.pop(0)
            # Down for up to five hours; a new process knows only what the database knows.
            down_until = clock.instant + timedelta(minutes=rng.randrange(1, 300))
            poster = world.poster()
        if down_until is None or clock.instant >= down_until:
            down_until = None
            await poster.catch_up_all()
        clock.move(seconds=STEP.total_seconds())

    async with database.reader() as conn:
        cursor = await conn.execute("SELECT kind, period, sent_at FROM scheduled_posts")
        ledger = {(kind, period): sent_at for kind, period, sent_at in await cursor.fetchall()}
    days = [START.astimezone(ZONE).date() + timedelta(days=n) for n in range(DAYS)]
    expected_daily = [daily_occurrence(d, time(9), ZONE) for d in days]
    expected_weekly = [weekly_occurrence(d, time(8, 30), ZONE) for d in days if d.weekday() == 0]
    assert len(world.chat.daily) == DAYS  # none twice
    assert len(world.chat.weekly) == len(expected_weekly) == 2
    for occurrence in expected_daily + expected_weekly:
        sent_at = datetime.fromisoformat(ledger[(occurrence.kind, occurrence.period)])
        assert occurrence.due <= sent_at < occurrence.window_end, occurrence
    assert [p.day_number for p in world.chat.daily] == list(range(1, DAYS + 1))
    assert date(2026, 11, 1) in days  # the fortnight really crosses the DST change
