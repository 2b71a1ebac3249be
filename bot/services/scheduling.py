"""Scheduler jobs as a projection of the server settings.

One APScheduler job per server and kind, at the next local post time, for the servers this
process serves (their shard runs here). A job fires the idempotent poster and then schedules
the next run; settings changes replace the job. Because the poster checks the ledger and the
clock itself, a job firing twice (or late, or in two processes at once) is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]

from bot.clock import Clock
from bot.domain.schedule import DAILY, WEEKLY, Occurrence, next_daily, next_weekly
from bot.services.accountability import AccountabilityService
from bot.services.communities import CommunitySettings, CommunitySettingsService
from bot.services.ports import Serves, serves_every_community
from bot.services.posting import Poster

log = logging.getLogger(__name__)


def job_id(kind: str, community_id: str) -> str:
    return f"{kind}:{community_id}"


class PostScheduler:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        communities: CommunitySettingsService,
        poster: Poster,
        reminders: AccountabilityService,
        serves: Serves = serves_every_community,
    ) -> None:
        self._serves = serves
        self._scheduler = scheduler
        self._clock = clock
        self._communities = communities
        self._poster = poster
        self._reminders = reminders

    async def catch_up(self) -> None:
        """Post whatever is due (after downtime, or when a post time comes), then re-plan."""
        await self._poster.catch_up_all()
        await self._send_reminders()
        await self.rebuild_all()
        log.info("catch-up done")

    def start_reminders(self) -> None:
        """Every minute: reminders (each member's time is their own), and the posts a killed
        process claimed and never sent, once their lease has expired."""
        for job, name in ((self._send_reminders, "reminders"), (self._take_over, "leases")):
            self._scheduler.add_job(
                job,
                trigger=CronTrigger(second=0),
                id=name,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=60,
            )

    async def _take_over(self) -> None:
        try:
            await self._poster.take_over_expired()
        except Exception:
            log.exception("taking over expired post leases failed")

    async def _send_reminders(self) -> None:
        try:
            await self._reminders.send_due_reminders()
        except Exception:
            log.exception("sending reminders failed")

    async def rebuild_all(self) -> None:
        for settings in await self._communities.configured():
            if self._serves(settings.community_id):
                self._schedule(settings)

    async def rebuild(self, community_id: str) -> None:
        self._schedule(await self._communities.get(community_id))

    def _schedule(self, settings: CommunitySettings) -> None:
        now = self._clock.now()
        upcoming = {
            DAILY: next_daily(now, settings.post_time, settings.zone),
            WEEKLY: next_weekly(now, settings.leaderboard_day, settings.weekly_time, settings.zone),
        }
        for kind, occurrence in upcoming.items():
            if settings.channel_id is None:
                if self._scheduler.get_job(job_id(kind, settings.community_id)):
                    self._scheduler.remove_job(job_id(kind, settings.community_id))
            else:
                self._add_job(settings.community_id, occurrence)

    def _add_job(self, community_id: str, occurrence: Occurrence) -> None:
        self._scheduler.add_job(
            self._fire,
            trigger=DateTrigger(run_date=occurrence.due),
            args=[community_id, occurrence.kind],
            id=job_id(occurrence.kind, community_id),
            replace_existing=True,
            coalesce=True,
            # A late wake-up (a busy loop, a suspended machine) still posts inside the window.
            misfire_grace_time=int((occurrence.window_end - occurrence.due).total_seconds()),
        )

    async def _fire(self, community_id: str, kind: str) -> None:
        try:
            outcome = await self._poster.post_due(community_id, kind)
            log.info(
                "%s job for community %s: %s %s", kind, community_id, outcome.status, outcome.detail
            )
        except Exception:
            log.exception("%s job for community %s failed", kind, community_id)
        finally:
            await self.rebuild(community_id)

    def next_runs(self, community_id: str) -> dict[str, datetime | None]:
        runs: dict[str, datetime | None] = {}
        for kind in (DAILY, WEEKLY):
            job = self._scheduler.get_job(job_id(kind, community_id))
            runs[kind] = None if job is None else job.next_run_time
        return runs
