"""Work done once for everyone (retiring members who left, retention) runs on the process that
runs shard 0. During an overlapping deploy two processes do; a named lease lets one of them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.clock import Clock

log = logging.getLogger(__name__)

# name, owner, now, until -> whether `owner` holds the lease now.
TakeLease = Callable[[str, str, datetime, datetime], Awaitable[bool]]


class JobLeases:
    def __init__(self, clock: Clock, owner: str, take: TakeLease | None = None) -> None:
        """`take` None: this process is the bot's only one, and every job runs here."""
        self._clock = clock
        self._owner = owner
        self._take = take

    async def run_once(
        self, name: str, hold: timedelta, job: Callable[[], Awaitable[object]]
    ) -> bool:
        """Run `job` unless another process holds `name`'s lease; it is held for `hold`, long
        enough that a second process firing the same job a little later finds it taken."""
        if self._take is not None:
            now = self._clock.now().astimezone(UTC)
            if not await self._take(name, self._owner, now, now + hold):
                log.info("%s runs in another process this time", name)
                return False
        await job()
        return True
