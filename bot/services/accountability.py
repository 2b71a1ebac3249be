"""Time away, reminders and study buddies."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.accountability import pair_members, parse_away_until
from bot.domain.days import local_day
from bot.domain.ids import native_id
from bot.domain.schedule import local_instant, parse_hhmm
from bot.domain.streaks import compute_streak
from bot.errors import UserError
from bot.messages.accountability import buddy_round, reminder
from bot.services.members import ensure_member, zone_of
from bot.services.ports import ChatPort, SendFailure, Serves, serves_every_community
from bot.store import away, buddies, members, reminders, study_days
from bot.store.away import AwayPeriod
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from bot.store.members import ReminderCandidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Buddy:
    user_id: str
    name: str
    streak: int


class AccountabilityService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        chat: ChatPort,
        serves: Serves = serves_every_community,
    ) -> None:
        """`serves`: whether this process sends a community's reminders (its shard is here)."""
        self._db = db
        self._clock = clock
        self._chat = chat
        self._serves = serves

    # --- time away -------------------------------------------------------------------------

    async def go_away(self, community_id: str, user_id: str, name: str, until: str) -> AwayPeriod:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, now.isoformat())
            today = local_day(now, (await zone_of(conn, community_id, user_id)).zone)
            last_day = parse_away_until(until, today)
            # A new /away replaces what is left of the current one.
            await self._end_current(conn, community_id, user_id, today)
            period = AwayPeriod(today, last_day)
            await conn.run(away.start_away, community_id, user_id, period)
        return period

    async def come_back(self, community_id: str, user_id: str) -> None:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            today = local_day(now, (await zone_of(conn, community_id, user_id)).zone)
            if not await self._end_current(conn, community_id, user_id, today):
                raise UserError("not_away")

    async def _end_current(
        self, conn: AsyncConnection, community_id: str, user_id: str, today: date
    ) -> bool:
        """End the current time away so that today is a normal day again."""
        period = await conn.run(away.current_away, community_id, user_id, today)
        if period is None:
            return False
        if period.first_day == today:
            await conn.run(away.delete_away, community_id, user_id, today)
        else:
            yesterday = today - timedelta(days=1)
            await conn.run(away.shorten_away, community_id, user_id, period.first_day, yesterday)
        return True

    async def away_now(self, community_id: str, user_id: str) -> AwayPeriod | None:
        async with self._db.reader() as conn:
            today = local_day(self._clock.now(), (await zone_of(conn, community_id, user_id)).zone)
            return await conn.run(away.current_away, community_id, user_id, today)

    # --- reminders -------------------------------------------------------------------------

    async def set_reminder(
        self, community_id: str, user_id: str, name: str, raw: str
    ) -> time | None:
        """`HH:MM` sets the member's daily reminder, `off` removes it."""
        at = None if raw.strip().lower() == "off" else parse_hhmm(raw, "time")
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, self._clock.now().isoformat())
            hhmm = None if at is None else at.strftime("%H:%M")
            await conn.run(members.set_reminder, community_id, user_id, hhmm)
        return at

    async def send_due_reminders(self) -> int:
        """Remind every member whose time has come today and who has not checked in.

        Each member and local day is claimed before sending, so a reminder never goes twice,
        even across restarts. A refused DM falls back to one mention in the study channel.
        """
        now = self._clock.now()
        async with self._db.reader() as conn:
            candidates = await conn.run(members.reminder_candidates)
        sent = 0
        for candidate in candidates:
            if self._serves(candidate.community_id) and await self._remind_one(now, candidate):
                sent += 1
        if sent:
            log.info("sent %d reminders", sent)
        return sent

    async def _remind_one(self, now: datetime, candidate: ReminderCandidate) -> bool:
        community_id, user_id, name = candidate.community_id, candidate.user_id, candidate.name
        zone = ZoneInfo(candidate.zone_name)
        today = local_day(now, zone)
        due = local_instant(today, time.fromisoformat(candidate.remind_at), zone)
        if not due <= now < local_instant(today + timedelta(days=1), time(0), zone):
            return False
        until = candidate.paused_until
        if candidate.paused and (until is None or today.isoformat() <= until):
            return False
        # Most members past their time have checked in or were reminded already: find that
        # out with a read, so a minute with nothing to send writes nothing.
        async with self._db.reader() as conn:
            if not await self._needs_reminder(conn, community_id, user_id, today):
                return False
        async with self._db.transaction() as conn:
            # Again inside the claim: a check-in may have landed since the read.
            if not await self._needs_reminder(conn, community_id, user_id, today):
                return False
            if not await conn.run(reminders.claim, community_id, user_id, today, now.isoformat()):
                return False
            history = await conn.run(study_days.study_history, community_id, user_id)
        streak = compute_streak(history.study_days, today, away_days=history.away_days).current
        result = await self._chat.direct(
            community_id, user_id, reminder(user_id, name, streak, in_channel=False)
        )
        via = "dm"
        if result.failure is SendFailure.FORBIDDEN and candidate.channel_id is not None:
            nudge = reminder(user_id, name, streak, in_channel=True)
            result = await self._chat.post(community_id, candidate.channel_id, nudge)
            via = "channel"
        async with self._db.transaction() as conn:
            delivered = via if result.ok else "failed"
            await conn.run(reminders.record_delivery, community_id, user_id, today, delivered)
        return result.ok

    async def _needs_reminder(
        self, conn: AsyncConnection, community_id: str, user_id: str, today: date
    ) -> bool:
        """Not away today, not checked in today, and not reminded today yet."""
        if today in await conn.run(away.away_days, community_id, user_id):
            return False
        return await conn.run(reminders.needs_reminder, community_id, user_id, today)

    # --- study buddies ---------------------------------------------------------------------

    async def join_buddies(self, community_id: str, user_id: str, name: str) -> bool:
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, now)
            return await conn.run(buddies.join, community_id, user_id, now)

    async def leave_buddies(self, community_id: str, user_id: str) -> bool:
        async with self._db.transaction() as conn:
            return await conn.run(buddies.leave, community_id, user_id)

    async def pair_round(self, community_id: str, round_key: str) -> list[tuple[str, ...]]:
        """Pair this round's opted-in members once; a second call returns the same groups."""
        async with self._db.transaction() as conn:
            existing = await conn.run(buddies.round_groups, community_id, round_key)
            if existing:
                return existing
            people = await conn.run(buddies.members_opted_in, community_id)
            history = await conn.run(buddies.recent_rounds, community_id, round_key)
            # The seed uses the bare native id, so an upgraded server keeps its pairs.
            groups = pair_members(people, history, f"{native_id(community_id)}:{round_key}")
            await conn.run(buddies.save_round, community_id, round_key, groups)
        return groups

    async def announce_round(self, community_id: str, channel_id: str, round_key: str) -> None:
        groups = await self.pair_round(community_id, round_key)
        if not groups:
            return
        result = await self._chat.post(
            community_id, channel_id, buddy_round(groups), key=f"buddies:{round_key}"
        )
        if not result.ok:
            log.warning(
                "buddy announcement for community %s failed: %s", community_id, result.detail
            )

    async def my_buddies(self, community_id: str, user_id: str) -> tuple[bool, list[Buddy]]:
        """(opted in, the member's group in the latest round without the member)."""
        async with self._db.reader() as conn:
            opted_in = await conn.run(buddies.opted_in, community_id, user_id)
            found = []
            for buddy_id, name in await conn.run(buddies.latest_buddies, community_id, user_id):
                zone = (await zone_of(conn, community_id, buddy_id)).zone
                today = local_day(self._clock.now(), zone)
                history = await conn.run(study_days.study_history, community_id, buddy_id)
                streak = compute_streak(history.study_days, today, away_days=history.away_days)
                found.append(Buddy(buddy_id, name, streak.current))
        return opted_in, found
