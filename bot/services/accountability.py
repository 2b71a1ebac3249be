"""Time away, reminders and study buddies."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.accountability import pair_members, parse_away_until
from bot.domain.days import local_day
from bot.domain.ids import id_order, native_id
from bot.domain.schedule import local_instant, parse_hhmm
from bot.domain.streaks import compute_streak
from bot.errors import UserError
from bot.messages.accountability import buddy_round, reminder
from bot.services.members import ensure_member, zone_of
from bot.services.ports import ChatPort, SendFailure
from bot.store import queries
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from bot.store.queries import AwayPeriod

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Buddy:
    user_id: str
    name: str
    streak: int


async def away_days(conn: AsyncConnection, community_id: str, user_id: str) -> set[date]:
    return await conn.run(queries.away_days, community_id, user_id)


async def current_away(
    conn: AsyncConnection, community_id: str, user_id: str, today: date
) -> AwayPeriod | None:
    return await conn.run(queries.current_away, community_id, user_id, today)


class AccountabilityService:
    def __init__(self, db: Database, clock: Clock, chat: ChatPort) -> None:
        self._db = db
        self._clock = clock
        self._chat = chat

    # --- time away -------------------------------------------------------------------------

    async def go_away(self, community_id: str, user_id: str, name: str, until: str) -> AwayPeriod:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, now.isoformat())
            today = local_day(now, (await zone_of(conn, community_id, user_id)).zone)
            last_day = parse_away_until(until, today)
            # A new /away replaces what is left of the current one.
            await self._end_current(conn, community_id, user_id, today)
            await conn.execute(
                "INSERT INTO away_periods (community_id, user_id, first_day, last_day) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (community_id, user_id, first_day) "
                "DO UPDATE SET last_day = excluded.last_day",
                (community_id, user_id, today.isoformat(), last_day.isoformat()),
            )
        return AwayPeriod(today, last_day)

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
        period = await current_away(conn, community_id, user_id, today)
        if period is None:
            return False
        if period.first_day == today:
            await conn.execute(
                "DELETE FROM away_periods WHERE community_id = ? AND user_id = ? AND first_day = ?",
                (community_id, user_id, today.isoformat()),
            )
        else:
            await conn.execute(
                "UPDATE away_periods SET last_day = ? "
                "WHERE community_id = ? AND user_id = ? AND first_day = ?",
                (
                    (today - timedelta(days=1)).isoformat(),
                    community_id,
                    user_id,
                    period.first_day.isoformat(),
                ),
            )
        return True

    async def away_now(self, community_id: str, user_id: str) -> AwayPeriod | None:
        async with self._db.reader() as conn:
            today = local_day(self._clock.now(), (await zone_of(conn, community_id, user_id)).zone)
            return await current_away(conn, community_id, user_id, today)

    # --- reminders -------------------------------------------------------------------------

    async def set_reminder(
        self, community_id: str, user_id: str, name: str, raw: str
    ) -> time | None:
        """`HH:MM` sets the member's daily reminder, `off` removes it."""
        at = None if raw.strip().lower() == "off" else parse_hhmm(raw, "time")
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, self._clock.now().isoformat())
            await conn.execute(
                "UPDATE members SET remind_at = ? WHERE community_id = ? AND user_id = ?",
                (None if at is None else at.strftime("%H:%M"), community_id, user_id),
            )
        return at

    async def send_due_reminders(self) -> int:
        """Remind every member whose time has come today and who has not checked in.

        Each member and local day is claimed before sending, so a reminder never goes twice,
        even across restarts. A refused DM falls back to one mention in the study channel.
        """
        now = self._clock.now()
        async with self._db.reader() as conn:
            cursor = await conn.execute(
                "SELECT m.community_id, m.user_id, m.display_name, m.remind_at, "
                "coalesce(m.timezone, g.timezone), g.channel_id, g.paused, g.paused_until "
                "FROM members m JOIN communities g USING (community_id) WHERE m.remind_at IS NOT "
                "NULL"
            )
            candidates = await cursor.fetchall()
        sent = 0
        for (
            community_id,
            user_id,
            name,
            remind_at,
            zone_name,
            channel_id,
            paused,
            until,
        ) in candidates:
            if await self._remind_one(
                now, community_id, user_id, name, remind_at, zone_name, channel_id, paused, until
            ):
                sent += 1
        if sent:
            log.info("sent %d reminders", sent)
        return sent

    async def _remind_one(
        self,
        now: datetime,
        community_id: str,
        user_id: str,
        name: str,
        remind_at: str,
        zone_name: str,
        channel_id: str | None,
        paused: int,
        paused_until: str | None,
    ) -> bool:
        zone = ZoneInfo(zone_name)
        today = local_day(now, zone)
        due = local_instant(today, time.fromisoformat(remind_at), zone)
        if not due <= now < local_instant(today + timedelta(days=1), time(0), zone):
            return False
        if paused and (paused_until is None or today.isoformat() <= paused_until):
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
            cursor = await conn.execute(
                "INSERT INTO reminders_sent (community_id, user_id, local_date, sent_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (community_id, user_id, today.isoformat(), now.isoformat()),
            )
            if cursor.rowcount == 0:
                return False
            history = await conn.run(queries.study_history, community_id, user_id)
        streak = compute_streak(history.study_days, today, away_days=history.away_days).current
        result = await self._chat.direct(
            community_id, user_id, reminder(user_id, name, streak, in_channel=False)
        )
        via = "dm"
        if result.failure is SendFailure.FORBIDDEN and channel_id is not None:
            nudge = reminder(user_id, name, streak, in_channel=True)
            result = await self._chat.post(community_id, channel_id, nudge)
            via = "channel"
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE reminders_sent SET via = ? WHERE community_id = ? AND user_id = ? "
                "AND local_date = ?",
                (via if result.ok else "failed", community_id, user_id, today.isoformat()),
            )
        return result.ok

    async def _needs_reminder(
        self, conn: AsyncConnection, community_id: str, user_id: str, today: date
    ) -> bool:
        """Not away today, not checked in today, and not reminded today yet."""
        if today in await away_days(conn, community_id, user_id):
            return False
        cursor = await conn.execute(
            "SELECT 1 FROM study_days WHERE community_id = ? AND user_id = ? AND local_date = ? "
            "UNION ALL SELECT 1 FROM reminders_sent WHERE community_id = ? AND user_id = ? "
            "AND local_date = ?",
            (community_id, user_id, today.isoformat(), community_id, user_id, today.isoformat()),
        )
        return await cursor.fetchone() is None

    # --- study buddies ---------------------------------------------------------------------

    async def join_buddies(self, community_id: str, user_id: str, name: str) -> bool:
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, now)
            cursor = await conn.execute(
                "INSERT INTO buddy_optins (community_id, user_id, joined_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (community_id, user_id, now),
            )
            return cursor.rowcount == 1

    async def leave_buddies(self, community_id: str, user_id: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM buddy_optins WHERE community_id = ? AND user_id = ?",
                (community_id, user_id),
            )
            return cursor.rowcount == 1

    async def pair_round(self, community_id: str, round_key: str) -> list[tuple[str, ...]]:
        """Pair this round's opted-in members once; a second call returns the same groups."""
        async with self._db.transaction() as conn:
            existing = await self._round_groups(conn, community_id, round_key)
            if existing:
                return existing
            cursor = await conn.execute(
                "SELECT user_id FROM buddy_optins WHERE community_id = ?", (community_id,)
            )
            members = [row[0] for row in await cursor.fetchall()]
            cursor = await conn.execute(
                "SELECT DISTINCT round FROM buddy_pairs WHERE community_id = ? AND round < ? "
                "ORDER BY round DESC LIMIT 4",
                (community_id, round_key),
            )
            rounds = [row[0] for row in await cursor.fetchall()][::-1]
            history = [await self._round_groups(conn, community_id, r) for r in rounds]
            # The seed uses the bare native id, so an upgraded server keeps its pairs.
            groups = pair_members(members, history, f"{native_id(community_id)}:{round_key}")
            await conn.executemany(
                "INSERT INTO buddy_pairs (community_id, round, user_id, grp) VALUES (?, ?, ?, ?)",
                [
                    (community_id, round_key, user_id, number)
                    for number, group in enumerate(groups)
                    for user_id in group
                ],
            )
        return groups

    async def _round_groups(
        self, conn: AsyncConnection, community_id: str, round_key: str
    ) -> list[tuple[str, ...]]:
        cursor = await conn.execute(
            "SELECT grp, user_id FROM buddy_pairs WHERE community_id = ? AND round = ? "
            "ORDER BY grp, user_id",
            (community_id, round_key),
        )
        groups: dict[int, list[str]] = {}
        for number, user_id in await cursor.fetchall():
            groups.setdefault(number, []).append(user_id)
        return [tuple(sorted(g, key=id_order)) for g in groups.values()]

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
            cursor = await conn.execute(
                "SELECT 1 FROM buddy_optins WHERE community_id = ? AND user_id = ?",
                (community_id, user_id),
            )
            opted_in = await cursor.fetchone() is not None
            cursor = await conn.execute(
                "SELECT b.user_id, m.display_name FROM buddy_pairs b "
                "JOIN members m USING (community_id, user_id) "
                "WHERE b.community_id = ? AND b.user_id != ? AND (b.round, b.grp) = ("
                "SELECT round, grp FROM buddy_pairs WHERE community_id = ? AND user_id = ? "
                "ORDER BY round DESC LIMIT 1)",
                (community_id, user_id, community_id, user_id),
            )
            rows = await cursor.fetchall()
            buddies = []
            for buddy_id, name in rows:
                zone = (await zone_of(conn, community_id, buddy_id)).zone
                today = local_day(self._clock.now(), zone)
                history = await conn.run(queries.study_history, community_id, buddy_id)
                streak = compute_streak(history.study_days, today, away_days=history.away_days)
                buddies.append(Buddy(buddy_id, name, streak.current))
        return opted_in, buddies
