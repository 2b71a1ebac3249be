"""Housekeeping jobs: the daily backup (keeping the last few) and retiring members who left."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from bot.clock import Clock
from bot.services.job_leases import JobLeases
from bot.services.privacy import PrivacyService
from bot.store.database import backup

log = logging.getLogger(__name__)

BACKUP_PREFIX = "studybot-"
# Each job runs daily; a second process firing it within hours (a deploy) finds it taken.
LEASE_HOLD = timedelta(hours=12)

# Asks the chat platform whether a member is still in a server: True, False, or None when it
# could not tell (then nothing is deleted).
MembershipCheck = Callable[[str, str], Awaitable[bool | None]]


class Maintenance:
    def __init__(
        self,
        clock: Clock,
        database: Path | None,
        backups: Path,
        keep: int,
        privacy: PrivacyService,
        retention_days: int,
        still_member: MembershipCheck,
        leases: JobLeases | None = None,
    ) -> None:
        self._clock = clock
        self._database = database
        self._backups = backups
        self._keep = keep
        self._privacy = privacy
        self._retention_days = retention_days
        self._still_member = still_member
        self._leases = leases or JobLeases(clock, "this-process")

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        jobs: list[tuple[Callable[[], Awaitable[object]], int]] = [
            (self.retire_members_who_left, 4)
        ]
        if self._database is not None:
            jobs.append((self.daily_backup, 3))
        else:
            log.info("daily backups are SQLite's; on PostgreSQL, back up with pg_dump")
        for job, hour in jobs:
            scheduler.add_job(
                self._leases.run_once,
                args=[job.__name__, LEASE_HOLD, job],
                trigger=CronTrigger(hour=hour, minute=30, timezone="UTC"),
                id=job.__name__,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=6 * 60 * 60,
            )

    async def daily_backup(self) -> Path | None:
        """Today's backup, if there is none yet; then only the newest `keep` are kept."""
        if self._keep == 0 or self._database is None:
            return None
        day = self._clock.now().date().isoformat()
        target = self._backups / f"{BACKUP_PREFIX}{day}.db"
        try:
            if not target.exists():
                await backup(self._database, target)
                log.info("daily backup written to %s", target)
            for old in sorted(self._backups.glob(f"{BACKUP_PREFIX}*.db"))[: -self._keep]:
                old.unlink()
                log.info("removed old backup %s", old)
        except Exception:
            log.exception("daily backup to %s failed", target)
            return None
        return target

    async def retire_members_who_left(self) -> int:
        """Forget members inactive for the retention period who are no longer in the server."""
        forgotten = 0
        for community_id, user_id in await self._privacy.members_to_check(self._retention_days):
            if await self._still_member(community_id, user_id) is False:
                await self._privacy.forget(community_id, user_id)
                forgotten += 1
        if forgotten:
            log.info("retention: forgot %d members who left their server", forgotten)
        return forgotten
