"""Scheduled posts (the daily post, the weekly leaderboard): at most once, and never lost.

The ledger (`scheduled_posts`, unique per server, kind and period) is claimed before sending,
under a lease: several processes may run (shards, an overlapping deploy) and only the holder
of a live lease sends; a lease a killed process left expires and is taken over. The message
goes out with an idempotency key made from the period, so the platform adapter can
make sure a repeat never shows (Discord: a nonce; Slack: the key in the message's metadata);
then the message id is stored. A post whose time passed while the bot was
down is sent once if its window is still open (daily: the rest of that local day; weekly: three
days).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from bot.domain.schedule import (
    DAILY,
    WEEKLY,
    Occurrence,
    announced_week_start,
    daily_occurrence,
    is_catch_up_due,
    latest_daily,
    latest_weekly,
    weekly_occurrence,
)
from bot.domain.selection import curriculum_position
from bot.domain.work import week_of
from bot.logs import new_error_id
from bot.messages.daily import daily_post
from bot.messages.leaderboards import weekly_post
from bot.messages.model import Message
from bot.render.leaderboard_card import CardRow, render_leaderboard_card
from bot.services.accountability import AccountabilityService
from bot.services.communities import CommunitySettings, CommunitySettingsService
from bot.services.content import ContentService
from bot.services.leaderboard import LeaderboardService
from bot.services.plans import PlanService
from bot.services.ports import (
    ChatPort,
    DailyPost,
    SendFailure,
    SendResult,
    Serves,
    WeeklyPost,
    serves_every_community,
)
from bot.services.sharing import SharingService
from bot.store import posts
from bot.store.database import Database
from bot.store.posts import LedgerEntry

log = logging.getLogger(__name__)

RETRY_DELAYS = (15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0)
MAX_CONCURRENT_POSTS = 8
# Long enough for one send, queued behind the pacer in a fan-out; a retry's wait extends it.
LEASE_SECONDS = 120.0
# The longest catch-up window (weekly: 3 days): an older expired claim can no longer be sent.
TAKE_OVER_WITHIN = timedelta(days=3)


class LeaseLost(Exception):
    """Another process took the post over while this one waited (it stalled past its lease)."""


@dataclass(frozen=True)
class PostOutcome:
    community_id: str
    period: str
    status: str  # sent, already-sent, in-progress, failed, paused, not-due, not-set-up
    message_id: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Claim:
    status: str  # claimed, already-sent, in-progress (another run holds a live lease)
    # Part of the idempotency key: the same for every attempt at a post, but a forced repost's.
    attempt_key: str = ""


class Poster:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        communities: CommunitySettingsService,
        content: ContentService,
        leaderboards: LeaderboardService,
        chat: ChatPort,
        buddies: AccountabilityService | None = None,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        *,
        owner: str = "this-process",
        sole_process: bool = True,
        serves: Serves = serves_every_community,
        lease_seconds: float = LEASE_SECONDS,
        sharing: SharingService | None = None,
        plans: PlanService | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._communities = communities
        self._content = content
        self._leaderboards = leaderboards
        self._chat = chat
        self._buddies = buddies
        self.retry_delays = tuple(retry_delays)
        self._sleep = sleep
        self._owner = owner
        self._sole_process = sole_process
        self._serves = serves
        self._lease = timedelta(seconds=lease_seconds)
        self._sharing = sharing
        self._plans = plans

    async def post_due(self, community_id: str, kind: str = DAILY) -> PostOutcome:
        """Send the latest post of `kind` if it is due, unsent and still inside its window."""
        return await self._post_due(await self._communities.get(community_id), kind)

    async def _post_due(self, settings: CommunitySettings, kind: str) -> PostOutcome:
        community_id = settings.community_id
        now = self._clock.now()
        if kind == DAILY:
            occurrence = latest_daily(now, settings.post_time, settings.zone)
        else:
            occurrence = latest_weekly(
                now, settings.leaderboard_day, settings.weekly_time, settings.zone
            )
        if settings.channel_id is None:
            return PostOutcome(community_id, occurrence.period, "not-set-up")
        if not is_catch_up_due(occurrence, now):
            return PostOutcome(community_id, occurrence.period, "not-due")
        if settings.is_paused_on(occurrence.local_day):
            return PostOutcome(community_id, occurrence.period, "paused")
        return await self._post(settings, occurrence, force=False)

    async def post_now(self, community_id: str, kind: str = DAILY, *, force: bool) -> PostOutcome:
        """A post on an admin's request, whatever the time; once per period unless forced.

        Daily: today's post. Weekly: the leaderboard of the last full week.
        """
        settings = await self._communities.get(community_id)
        today = self._clock.now().astimezone(settings.zone).date()
        if kind == DAILY:
            occurrence = daily_occurrence(today, settings.post_time, settings.zone)
        else:
            occurrence = weekly_occurrence(today, settings.weekly_time, settings.zone)
        if settings.channel_id is None:
            return PostOutcome(community_id, occurrence.period, "not-set-up")
        return await self._post(settings, occurrence, force=force)

    async def catch_up_all(self) -> list[PostOutcome]:
        """Every configured server's due post; one server's failure never stops another's."""
        limit = asyncio.Semaphore(MAX_CONCURRENT_POSTS)

        async def one(settings: CommunitySettings, kind: str) -> PostOutcome:
            async with limit:
                try:
                    # The settings just read serve every kind; no second read per server.
                    return await self._post_due(settings, kind)
                except Exception as exc:
                    log.exception("%s post for community %s failed", kind, settings.community_id)
                    return PostOutcome(settings.community_id, "", "failed", detail=str(exc))

        configured = [
            s for s in await self._communities.configured() if self._serves(s.community_id)
        ]
        outcomes = list(
            await asyncio.gather(*(one(s, kind) for s in configured for kind in (DAILY, WEEKLY)))
        )
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        log.info("scheduled posts: %s", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        return outcomes

    async def take_over_expired(self) -> list[PostOutcome]:
        """Send the posts whose claimer stopped (killed) before sending: their lease expired.

        Only for communities this process serves, and only while still due; the idempotency
        key is the one the first claimer used, so a send it made before dying never shows twice.
        """
        now = self._utc_now()
        since = now - TAKE_OVER_WITHIN
        async with self._db.reader() as conn:
            expired = await conn.run(posts.expired_leases, now.isoformat(), since.isoformat())
        outcomes = []
        for community_id, kind, _ in expired:
            if self._serves(community_id):
                log.info(
                    "taking over the %s post of community %s (lease expired)", kind, community_id
                )
                outcomes.append(await self.post_due(community_id, kind))
        return outcomes

    def _utc_now(self) -> datetime:
        return self._clock.now().astimezone(UTC)

    async def _claim(self, community_id: str, occurrence: Occurrence, force: bool) -> Claim:
        """Claim the period under a lease, for a first send, a retry or a forced repost."""
        now = self._utc_now()
        kind, period = occurrence.kind, occurrence.period
        async with self._db.transaction() as conn:
            until = (now + self._lease).isoformat()
            if await conn.run(
                posts.claim,
                community_id,
                kind,
                period,
                self._owner,
                now.isoformat(),
                until,
                self._sole_process,
            ):
                return Claim("claimed")  # now, or after a failure or an expired lease
            status = await conn.run(posts.status_of, community_id, kind, period)
        if status != "sent":
            return Claim("in-progress")
        # A forced repost needs a key of its own, or the platform would hand back the first.
        return Claim("claimed", f"force:{now.isoformat()}") if force else Claim("already-sent")

    async def _post(
        self, settings: CommunitySettings, occurrence: Occurrence, *, force: bool
    ) -> PostOutcome:
        community_id, period = settings.community_id, occurrence.period
        claim = await self._claim(community_id, occurrence, force)
        if claim.status != "claimed":
            return PostOutcome(community_id, period, claim.status)
        assert settings.channel_id is not None
        try:
            post = (
                await self._compose_daily(settings, occurrence)
                if occurrence.kind == DAILY
                else await self._compose_weekly(settings, occurrence)
            )
            message = daily_post(post) if isinstance(post, DailyPost) else weekly_post(post)
            result = await self._send_with_retries(
                settings, message, f"{period}:{claim.attempt_key}", occurrence
            )
        except LeaseLost:
            log.warning(
                "post %s for community %s: taken over by another process", period, community_id
            )
            return PostOutcome(community_id, period, "in-progress")
        except Exception as exc:
            # Claimed but neither sent nor refused: the ledger must say so, or /admin config
            # shows a post stuck as "claimed" and nobody learns why.
            error_id = new_error_id()
            log.exception(
                "error id %s: post %s for community %s failed", error_id, period, community_id
            )
            detail = f"the post could not be made (error id {error_id}: {type(exc).__name__})"
            await self._record_failure(community_id, occurrence, settings.channel_id, detail)
            return PostOutcome(community_id, period, "failed", detail=detail)
        await self._record(community_id, occurrence, settings.channel_id, result)
        if not result.ok:
            log.warning(
                "post %s for community %s failed: %s %s",
                period,
                community_id,
                result.failure.value if result.failure else "",
                result.detail,
            )
            return PostOutcome(community_id, period, "failed", detail=describe(result))
        log.info("post %s sent to community %s", period, community_id)
        if occurrence.kind == WEEKLY and self._buddies is not None:
            # Study buddies are paired with the weekly post, and that announcement pings them.
            await self._buddies.announce_round(community_id, settings.channel_id, period)
        if occurrence.kind == WEEKLY and self._plans is not None:
            first_day = announced_week_start(occurrence)
            await self._plans.send_reviews(community_id, week_of(first_day), first_day)
        return PostOutcome(community_id, period, "sent", message_id=result.message_ref)

    async def _compose_weekly(
        self, settings: CommunitySettings, occurrence: Occurrence
    ) -> WeeklyPost:
        summary = await self._leaderboards.weekly_summary(
            settings.community_id, announced_week_start(occurrence)
        )
        _, week = summary.key.split("-W")
        last_day = summary.first_day + timedelta(days=6)
        title = f"week {int(week)}: {summary.first_day:%d %b} to {last_day:%d %b}"
        card = render_leaderboard_card(
            title, [CardRow(line.rank, line.name, line.points) for line in summary.lines]
        )
        week = week_of(summary.first_day)
        shared = (
            await self._sharing.top_of_week(settings.community_id, week) if self._sharing else []
        )
        plans = await self._plans.week_counts(settings.community_id, week) if self._plans else None
        return WeeklyPost(title, summary, card, tuple(shared), plans)

    async def _compose_daily(
        self, settings: CommunitySettings, occurrence: Occurrence
    ) -> DailyPost:
        async with self._db.reader() as conn:
            sent_before = await conn.run(
                posts.sent_count, settings.community_id, DAILY, occurrence.period
            )
        active = await self._content.active_curriculum(settings.community_id)
        days = active.curriculum.days
        position = curriculum_position(sent_before + 1, len(days))
        return DailyPost(
            curriculum_name=active.curriculum.name,
            total_days=len(days),
            position=position,
            study_day=days[position.index],
            problem=await self._content.problem_of_day(settings.community_id, occurrence.local_day),
            problem_day=occurrence.local_day,
            zone_name=settings.zone.key,
        )

    async def _send_with_retries(
        self, settings: CommunitySettings, message: Message, key: str, occurrence: Occurrence
    ) -> SendResult:
        assert settings.channel_id is not None
        result = SendResult(failure=SendFailure.UNAVAILABLE)
        for delay in (*self.retry_delays, None):
            result = await self._chat.post(settings.community_id, settings.channel_id, message, key)
            if result.failure is not SendFailure.UNAVAILABLE or delay is None:
                return result
            wait = max(delay, result.retry_after or 0)
            retry_at: datetime = self._clock.now() + timedelta(seconds=wait)
            if retry_at >= occurrence.window_end:
                return result
            log.info(
                "%s to channel %s: %s; retrying in %.0f s",
                occurrence.period,
                settings.channel_id,
                result.detail,
                wait,
            )
            await self._hold_lease(settings.community_id, occurrence, retry_at)
            await self._sleep(wait)
        return result

    async def _hold_lease(
        self, community_id: str, occurrence: Occurrence, retry_at: datetime
    ) -> None:
        until = (retry_at.astimezone(UTC) + self._lease).isoformat()
        kind, period = occurrence.kind, occurrence.period
        async with self._db.transaction() as conn:
            held = await conn.run(
                posts.extend_lease, community_id, kind, period, self._owner, until
            )
        if not held:
            raise LeaseLost(period)

    async def _record(
        self, community_id: str, occurrence: Occurrence, channel_id: str, result: SendResult
    ) -> None:
        kind, period = occurrence.kind, occurrence.period
        now = self._clock.now().isoformat()
        if result.ok:
            async with self._db.transaction() as conn:
                await conn.run(
                    posts.record_sent,
                    community_id,
                    kind,
                    period,
                    channel_id,
                    result.message_ref,
                    now,
                )
            return
        await self._record_failure(community_id, occurrence, channel_id, describe(result))

    async def _record_failure(
        self, community_id: str, occurrence: Occurrence, channel_id: str, detail: str
    ) -> None:
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(
                posts.record_failure,
                community_id,
                occurrence.kind,
                occurrence.period,
                channel_id,
                f"{now}: {detail}",
                self._owner,
            )

    async def recent(self, community_id: str, limit: int = 5) -> list[LedgerEntry]:
        async with self._db.reader() as conn:
            return await conn.run(posts.recent, community_id, limit)

    async def failures(self, community_id: str, limit: int = 5) -> list[LedgerEntry]:
        async with self._db.reader() as conn:
            return await conn.run(posts.failures, community_id, limit)


def describe(result: SendResult) -> str:
    reasons = {
        SendFailure.FORBIDDEN: "the bot is missing a permission in the channel",
        SendFailure.NOT_FOUND: "the channel no longer exists",
        SendFailure.UNAVAILABLE: "the chat platform was unavailable",
        SendFailure.REJECTED: "the chat platform refused the message",
    }
    reason = reasons.get(result.failure, "") if result.failure else "sent"
    return f"{reason} ({result.detail})" if result.detail else reason
