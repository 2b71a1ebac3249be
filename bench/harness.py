"""Start the real bot process against the project's fake Discord, for benchmarks.

Request validation is off here (the tests cover it): the fake should cost as little as
possible, so what is measured is the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.process import BotProcess, bot_environment, spawn, wait_ready
from tests.fakediscord import FakeDiscord

LAUNCHER = "tests.e2e.launcher"


@dataclass
class Running:
    fake: FakeDiscord
    bot: BotProcess
    workdir: Path
    started_to_ready: float


def quick_fake(
    *, global_rate_limit: int | None = None, interaction_deadline: float | None = 3.0
) -> FakeDiscord:
    return FakeDiscord(
        validate=False,
        check_responses=False,
        global_rate_limit=global_rate_limit,
        interaction_deadline=interaction_deadline,
    )


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord, workdir: Path | None = None, **env: str
) -> AsyncIterator[Running]:
    """The bot (through the test launcher, for its clock) until the block ends, then SIGTERM."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.perf_counter()
        bot = await spawn(
            [sys.executable, "-m", LAUNCHER, "run"],
            bot_environment(fake, workdir, **{"STUDYBOT_LOG_LEVEL": "WARNING", **env}),
            workdir,
        )
        try:
            await wait_ready(fake, bot)
            ready = time.perf_counter() - started
            yield Running(fake, bot, workdir, ready)
        finally:
            if bot.process.returncode is None:
                await bot.stop()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def offered(
    count: int, rate: float | None, send: Callable[[int], Awaitable[object]]
) -> tuple[list[float], float]:
    """Run `send(i)` `count` times, spaced at `rate` a second (None: all at once).

    Returns each call's latency and the time from the first send to the last answer. The fake
    Discord runs in this process and keeps every message and interaction, so its heap grows
    run after run; a full garbage collection of it (40 to 65 ms by the third phase) paused the
    fake, and the interactions in flight were charged to the bot. Collection waits until the
    window is over: what is timed is the bot.
    """
    latencies: list[float] = []
    gc.collect()
    gc.disable()
    try:
        return await _timed(count, rate, send, latencies)
    finally:
        gc.enable()


async def _timed(
    count: int, rate: float | None, send: Callable[[int], Awaitable[object]], latencies: list[float]
) -> tuple[list[float], float]:
    start = time.perf_counter()

    async def one(i: int) -> None:
        t0 = time.perf_counter()
        await send(i)
        latencies.append(time.perf_counter() - t0)

    if rate is None:
        await asyncio.gather(*(one(i) for i in range(count)))
        return latencies, time.perf_counter() - start
    # Each send starts at its time, from one loop: thousands of tasks made up front, each
    # sleeping until its turn, kept the event loop busy for tens of milliseconds at the start,
    # and the first sends then arrived as one burst instead of at the offered rate.
    started: list[asyncio.Task[None]] = []
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        started.append(asyncio.create_task(one(i)))
    await asyncio.gather(*started)
    return latencies, time.perf_counter() - start
