"""Scheduler jobs as a projection of the server settings.

One APScheduler job per server and kind, at the next local post time. A job fires the
idempotent poster and then schedules the next run; settings changes replace the job. Because
the poster checks the ledger and the clock itself, a job firing twice (or late) is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]

from bot.clock import Clock
from bot.domain.schedule import DAILY, next_daily
from bot.services.guilds import GuildSettings, GuildSettingsService
from bot.services.posting import DailyPoster

log = logging.getLogger(__name__)


def job_id(kind: str, guild_id: int) -> str:
    return f"{kind}:{guild_id}"


class PostScheduler:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        guilds: GuildSettingsService,
        poster: DailyPoster,
    ) -> None:
        self._scheduler = scheduler
        self._clock = clock
        self._guilds = guilds
        self._poster = poster

    async def catch_up(self) -> None:
        """Post whatever is due (after downtime, or when a post time comes), then re-plan."""
        await self._poster.catch_up_all()
        await self.rebuild_all()

    async def rebuild_all(self) -> None:
        for settings in await self._guilds.configured():
            self._schedule(settings)

    async def rebuild(self, guild_id: int) -> None:
        self._schedule(await self._guilds.get(guild_id))

    def _schedule(self, settings: GuildSettings) -> None:
        daily = job_id(DAILY, settings.guild_id)
        if settings.channel_id is None:
            if self._scheduler.get_job(daily):
                self._scheduler.remove_job(daily)
            return
        occurrence = next_daily(self._clock.now(), settings.post_time, settings.zone)
        self._scheduler.add_job(
            self._fire_daily,
            trigger=DateTrigger(run_date=occurrence.due),
            args=[settings.guild_id],
            id=daily,
            replace_existing=True,
            coalesce=True,
            # A late wake-up (a busy loop, a suspended machine) still posts within the day.
            misfire_grace_time=int((occurrence.window_end - occurrence.due).total_seconds()),
        )

    async def _fire_daily(self, guild_id: int) -> None:
        try:
            outcome = await self._poster.post_due(guild_id)
            log.info("daily job for guild %s: %s %s", guild_id, outcome.status, outcome.detail)
        except Exception:
            log.exception("daily job for guild %s failed", guild_id)
        finally:
            await self.rebuild(guild_id)

    def next_runs(self, guild_id: int) -> dict[str, datetime | None]:
        job = self._scheduler.get_job(job_id(DAILY, guild_id))
        return {DAILY: None if job is None else job.next_run_time}
