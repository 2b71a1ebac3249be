"""Spacing gateway identifies: Discord allows one IDENTIFY per 5 s in each of `max_concurrency`
buckets (shard id % max_concurrency), for the whole bot, whichever process sends it.

Before identifying, a shard takes its bucket's lock and holds it for 5 s after. With PostgreSQL
the lock is an advisory lock every process sees; alone on SQLite it is this process's own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

IDENTIFY_SPACING = 5.0
POLL_SECONDS = 0.25

TryLock = Callable[[int], Awaitable[bool]]
Unlock = Callable[[int], Awaitable[None]]


class LocalBuckets:
    """The bucket locks of a process that is the bot's only one."""

    def __init__(self) -> None:
        self._held: set[int] = set()

    async def try_lock(self, bucket: int) -> bool:
        if bucket in self._held:
            return False
        self._held.add(bucket)
        return True

    async def unlock(self, bucket: int) -> None:
        self._held.discard(bucket)


class IdentifyGate:
    def __init__(
        self,
        try_lock: TryLock,
        unlock: Unlock,
        spacing: float = IDENTIFY_SPACING,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._try_lock = try_lock
        self._unlock = unlock
        self._spacing = spacing
        self._sleep = sleep
        self._releases: set[asyncio.Task[None]] = set()

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        """Return when `shard_id` may identify; its bucket stays taken for the spacing after."""
        bucket = shard_id % max(1, max_concurrency)
        # Polled rather than blocking: a blocked lock call would hold this connection's
        # thread, and with it the release of another bucket this process holds.
        while not await self._try_lock(bucket):
            await self._sleep(POLL_SECONDS)
        release = asyncio.create_task(self._release_after_spacing(bucket))
        self._releases.add(release)
        release.add_done_callback(self._releases.discard)

    async def _release_after_spacing(self, bucket: int) -> None:
        try:
            await self._sleep(self._spacing)
        finally:
            try:
                await self._unlock(bucket)
            except Exception:
                # The connection is gone (shutting down, or the server restarted), and a
                # session's advisory locks end with it.
                log.debug("identify bucket %d: unlock failed", bucket, exc_info=True)
