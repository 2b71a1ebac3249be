"""Pace scheduled sends under Discord's global limit of 50 requests a second.

discord.py only slows down after a 429, and enough 429s get a bot banned for an hour, so
scheduled fan-out (every server's daily post at 09:00) goes through this pacing first.
Interaction replies never do: they are answered at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Per second. Interaction replies are not counted by Discord's global limit, so this only
# keeps a margin for the bot's few other calls and for requests bunching up on the way.
DEFAULT_RATE = 46.0


class PacedSender:
    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Return when the next send may go; sends are spaced evenly, never bunched.

        Callers wait in turn. One woken a little late keeps the schedule, so the rate does not
        drift down; one woken much later (the event loop stalled) restarts it from now. Slots
        handed out ahead would bunch instead: after a stall, every caller whose slot passed
        meanwhile would go at once, over Discord's limit (seen as a 429 in the fan-out
        benchmark). At worst, one send more than the rate goes in any second.
        """
        async with self._lock:
            now = self._monotonic()
            slot = max(now, self._next_slot)
            if slot > now:
                await self._sleep(slot - now)
                now = self._monotonic()
            self._next_slot = max(slot, now - self._interval / 2) + self._interval


class Pacer(Protocol):
    async def wait_turn(self) -> None: ...


# Takes the bot's next free request slot and returns how long to wait for it, in seconds.
ReserveSlot = Callable[[float], Awaitable[float]]


class SharedPacedSender:
    """The same spacing for a bot whose shards run in several processes: Discord's limit is
    per bot, so each send reserves its slot in the database every process shares.

    Each process keeps one reservation at a time (its callers wait in turn), so a process
    that stalls can bunch at most one send with another's. If the database cannot be reached,
    this process paces alone rather than not sending.
    """

    def __init__(
        self,
        reserve: ReserveSlot,
        rate: float = DEFAULT_RATE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        alone: Pacer | None = None,
    ) -> None:
        self._interval = 1.0 / rate
        self._reserve = reserve
        self._sleep = sleep
        self._alone = alone or PacedSender(rate, sleep=sleep)
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        async with self._lock:
            try:
                wait = await self._reserve(self._interval)
            except Exception:
                log.warning("the shared request budget is unreachable; pacing alone", exc_info=True)
                await self._alone.wait_turn()
                return
            if wait > 0:
                await self._sleep(wait)


# Set while a request whose turn was already taken is on its way (DiscordChat's sends), so the
# request-level pacing below does not take a second one for it.
_TURN_TAKEN: ContextVar[bool] = ContextVar("turn_taken", default=False)
# Interaction callbacks and their webhooks do not count against Discord's global limit.
UNCOUNTED_PREFIXES = ("/interactions/", "/webhooks/")


@contextmanager
def turn_taken() -> Iterator[None]:
    token = _TURN_TAKEN.set(True)
    try:
        yield
    finally:
        _TURN_TAKEN.reset(token)


def pace_every_request(http: Any, pacer: Pacer) -> None:
    """Make every counted request of discord.py's HTTP client take a turn first.

    With several processes, one's start-up calls (logging in, the gateway's limits, command
    sync) land while another fans out at the full shared rate; unpaced, they went over the
    limit (4 answers of 429 in the two-process benchmark).
    """
    send = http.request

    async def paced(route: Any, **kwargs: Any) -> Any:
        if not _TURN_TAKEN.get() and not str(route.path).startswith(UNCOUNTED_PREFIXES):
            await pacer.wait_turn()
        return await send(route, **kwargs)

    http.request = paced
