"""What processes sharing PostgreSQL agree on: one REST budget, identify spacing, job leases;
and the same rules for a process that is alone (SQLite)."""

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import serving
from bot.discordbot.identify import IdentifyGate, LocalBuckets
from bot.discordbot.pacing import SharedPacedSender, pace_every_request, turn_taken
from bot.domain.shards import ShardPlan
from bot.services.job_leases import JobLeases
from bot.store.coordination import Coordination
from tests import postgres
from tests.conftest import MovableClock


class Spacing:
    """A sleep the test ends by hand: the identify gate's 5 s hold, stood still."""

    def __init__(self) -> None:
        self.holds: list[asyncio.Future[None]] = []

    async def sleep(self, seconds: float) -> None:
        if seconds >= 1:  # the spacing; the gate's short polls pass at once
            future = asyncio.get_running_loop().create_future()
            self.holds.append(future)
            await future
        else:
            await asyncio.sleep(0)

    def end_all(self) -> None:
        for hold in self.holds:
            if not hold.done():
                hold.set_result(None)


class Refusals:
    """Wraps a gate's lock so the test knows when an identify found its bucket taken."""

    def __init__(self, try_lock: Callable[[int], Awaitable[bool]]) -> None:
        self._try_lock = try_lock
        self.refused = asyncio.Event()

    async def try_lock(self, bucket: int) -> bool:
        taken = await self._try_lock(bucket)
        if not taken:
            self.refused.set()
        return taken


async def order_of_identifies(
    first: IdentifyGate, second: IdentifyGate, refusals: Refusals, spacing: Spacing
) -> list[str]:
    order: list[str] = []

    async def identify(gate: IdentifyGate, name: str, shard: int) -> None:
        await gate.wait_turn(shard, max_concurrency=2)
        order.append(name)

    await identify(first, "a", 0)  # bucket 0, now held for the spacing
    b = asyncio.create_task(identify(second, "b", 2))  # bucket 0 as well: 2 % 2
    await asyncio.wait_for(identify(second, "c", 1), 5)  # bucket 1: free
    await asyncio.wait_for(refusals.refused.wait(), 5)
    assert order == ["a", "c"]  # b found its bucket taken, and waits
    spacing.end_all()
    await asyncio.wait_for(b, 5)
    spacing.end_all()
    return order


async def test_identifies_in_one_bucket_wait_for_the_spacing_in_one_process() -> None:
    spacing, buckets = Spacing(), LocalBuckets()
    refusals = Refusals(buckets.try_lock)
    gate = IdentifyGate(refusals.try_lock, buckets.unlock, sleep=spacing.sleep)
    assert await order_of_identifies(gate, gate, refusals, spacing) == ["a", "c", "b"]


@pytest.fixture
async def two_processes() -> AsyncIterator[tuple[Coordination, Coordination]]:
    url = await postgres.fresh_database()
    first, second = await Coordination.open(url), await Coordination.open(url)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        postgres.drop(url)


async def test_identifies_in_one_bucket_wait_for_the_spacing_across_processes(
    two_processes: tuple[Coordination, Coordination],
) -> None:
    spacing = Spacing()
    first, second = two_processes
    refusals = Refusals(second.try_identify_lock)
    gates = (
        IdentifyGate(first.try_identify_lock, first.identify_unlock, sleep=spacing.sleep),
        IdentifyGate(refusals.try_lock, second.identify_unlock, sleep=spacing.sleep),
    )
    assert await order_of_identifies(*gates, refusals, spacing) == ["a", "c", "b"]


async def test_two_processes_share_one_request_budget(
    two_processes: tuple[Coordination, Coordination],
) -> None:
    first, second = two_processes
    interval = 0.5  # long beside a round trip, so the slots' order is certain
    waits = [await (first if i % 2 else second).reserve_rest_slot(interval) for i in range(6)]
    # Each reservation is one interval after the one before, whichever process made it.
    assert waits[0] < 0.05
    for earlier, later in itertools.pairwise(waits):
        assert later - earlier == pytest.approx(interval, abs=0.05)


async def test_the_shared_pacer_waits_for_its_reserved_slot_and_paces_alone_without_one() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def reserve(interval: float) -> float:
        return 0.25

    await SharedPacedSender(reserve, rate=20, sleep=sleep).wait_turn()
    assert slept == [0.25]

    async def unreachable(interval: float) -> float:
        raise OSError("connection refused")

    alone = SharedPacedSender(unreachable, rate=20, sleep=sleep)
    slept.clear()
    await alone.wait_turn()
    await alone.wait_turn()
    assert len(slept) == 1  # the local pacer: the second send waits its 1/20 s
    assert slept[0] == pytest.approx(0.05, abs=0.01)


async def test_a_job_for_everyone_runs_in_one_process_of_two(
    two_processes: tuple[Coordination, Coordination],
) -> None:
    clock = MovableClock(datetime(2026, 12, 3, 4, 30, tzinfo=UTC))
    ran: list[str] = []

    def job(name: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            ran.append(name)

        return run

    old, new = (
        JobLeases(clock, owner, c.take_job_lease)
        for owner, c in zip(("old", "new"), two_processes, strict=True)
    )
    hold = timedelta(hours=12)
    assert await old.run_once("retire_members_who_left", hold, job("old"))
    assert not await new.run_once("retire_members_who_left", hold, job("new"))
    clock.move(seconds=24 * 60 * 60)  # the next day: whoever fires first
    assert await new.run_once("retire_members_who_left", hold, job("new"))
    assert ran == ["old", "new"]


def test_a_process_serves_its_shards_guilds_and_slack_goes_with_shard_zero() -> None:
    on_zero, on_one = serving(ShardPlan(2, (0,))), serving(ShardPlan(2, (1,)))
    guild_on_one = (7 << 22) | 99  # shard 7 % 2 = 1
    assert (on_zero(f"discord:{guild_on_one}"), on_one(f"discord:{guild_on_one}")) == (False, True)
    assert (on_zero("slack:T123"), on_one("slack:T123")) == (True, False)
    everything = serving(ShardPlan())
    assert everything(f"discord:{guild_on_one}")
    assert everything("slack:T123")


async def test_every_counted_request_takes_a_turn_once() -> None:
    turns: list[str] = []

    class CountingPacer:
        async def wait_turn(self) -> None:
            turns.append("turn")

    class Route:
        def __init__(self, path: str) -> None:
            self.path = path

    class Http:
        def __init__(self) -> None:
            self.sent: list[str] = []

        async def request(self, route: Route, **kwargs: object) -> str:
            self.sent.append(route.path)
            return route.path

    http = Http()
    pace_every_request(http, CountingPacer())
    assert await http.request(Route("/users/@me")) == "/users/@me"  # a start-up call
    await http.request(Route("/interactions/1/token/callback"))  # not counted by Discord
    await http.request(Route("/webhooks/2/token"))
    with turn_taken():  # a send that took its turn already
        await http.request(Route("/channels/3/messages"))
    assert http.sent == [
        "/users/@me",
        "/interactions/1/token/callback",
        "/webhooks/2/token",
        "/channels/3/messages",
    ]
    assert turns == ["turn"]
