"""Time away, reminders and study buddies."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.accountability import pair_members, parse_away_until
from bot.domain.days import local_day
from bot.domain.schedule import local_instant, parse_hhmm
from bot.domain.streaks import compute_streak
from bot.errors import UserError
from bot.services.members import ensure_member, zone_of
from bot.services.ports import ChatPort, SendFailure
from bot.store import queries
from bot.store.connection import AsyncConnection
from bot.store.database import Database
from bot.store.queries import AwayPeriod

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Buddy:
    user_id: int
    name: str
    streak: int


async def away_days(conn: AsyncConnection, guild_id: int, user_id: int) -> set[date]:
    return await conn.run(queries.away_days, guild_id, user_id)


async def current_away(
    conn: AsyncConnection, guild_id: int, user_id: int, today: date
) -> AwayPeriod | None:
    return await conn.run(queries.current_away, guild_id, user_id, today)


class AccountabilityService:
    def __init__(self, db: Database, clock: Clock, chat: ChatPort) -> None:
        self._db = db
        self._clock = clock
        self._chat = chat

    # --- time away -------------------------------------------------------------------------

    async def go_away(self, guild_id: int, user_id: int, name: str, until: str) -> AwayPeriod:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, name, now.isoformat())
            today = local_day(now, (await zone_of(conn, guild_id, user_id)).zone)
            last_day = parse_away_until(until, today)
            # A new /away replaces what is left of the current one.
            await self._end_current(conn, guild_id, user_id, today)
            await conn.execute(
                "INSERT INTO away_periods (guild_id, user_id, first_day, last_day) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id, first_day) "
                "DO UPDATE SET last_day = excluded.last_day",
                (guild_id, user_id, today.isoformat(), last_day.isoformat()),
            )
        return AwayPeriod(today, last_day)

    async def come_back(self, guild_id: int, user_id: int) -> None:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            today = local_day(now, (await zone_of(conn, guild_id, user_id)).zone)
            if not await self._end_current(conn, guild_id, user_id, today):
                raise UserError("You are not away. (/away until:YYYY-MM-DD starts time away.)")

    async def _end_current(
        self, conn: AsyncConnection, guild_id: int, user_id: int, today: date
    ) -> bool:
        """End the current time away so that today is a normal day again."""
        period = await current_away(conn, guild_id, user_id, today)
        if period is None:
            return False
        if period.first_day == today:
            await conn.execute(
                "DELETE FROM away_periods WHERE guild_id = ? AND user_id = ? AND first_day = ?",
                (guild_id, user_id, today.isoformat()),
            )
        else:
            await conn.execute(
                "UPDATE away_periods SET last_day = ? "
                "WHERE guild_id = ? AND user_id = ? AND first_day = ?",
                (
                    (today - timedelta(days=1)).isoformat(),
                    guild_id,
                    user_id,
                    period.first_day.isoformat(),
                ),
            )
        return True

    async def away_now(self, guild_id: int, user_id: int) -> AwayPeriod | None:
        async with self._db.reader() as conn:
            today = local_day(self._clock.now(), (await zone_of(conn, guild_id, user_id)).zone)
            return await current_away(conn, guild_id, user_id, today)

    # --- reminders -------------------------------------------------------------------------

    async def set_reminder(self, guild_id: int, user_id: int, name: str, raw: str) -> time | None:
        """`HH:MM` sets the member's daily reminder, `off` removes it."""
        at = None if raw.strip().lower() == "off" else parse_hhmm(raw, "time")
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, name, self._clock.now().isoformat())
            await conn.execute(
                "UPDATE members SET remind_at = ? WHERE guild_id = ? AND user_id = ?",
                (None if at is None else at.strftime("%H:%M"), guild_id, user_id),
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
                "SELECT m.guild_id, m.user_id, m.display_name, m.remind_at, "
                "coalesce(m.timezone, g.timezone), g.channel_id, g.paused, g.paused_until "
                "FROM members m JOIN guilds g USING (guild_id) WHERE m.remind_at IS NOT NULL"
            )
            candidates = await cursor.fetchall()
        sent = 0
        for guild_id, user_id, name, remind_at, zone_name, channel_id, paused, until in candidates:
            if await self._remind_one(
                now, guild_id, user_id, name, remind_at, zone_name, channel_id, paused, until
            ):
                sent += 1
        if sent:
            log.info("sent %d reminders", sent)
        return sent

    async def _remind_one(
        self,
        now: datetime,
        guild_id: int,
        user_id: int,
        name: str,
        remind_at: str,
        zone_name: str,
        channel_id: int | None,
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
            if not await self._needs_reminder(conn, guild_id, user_id, today):
                return False
        async with self._db.transaction() as conn:
            # Again inside the claim: a check-in may have landed since the read.
            if not await self._needs_reminder(conn, guild_id, user_id, today):
                return False
            cursor = await conn.execute(
                "INSERT INTO reminders_sent (guild_id, user_id, local_date, sent_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, today.isoformat(), now.isoformat()),
            )
            if cursor.rowcount == 0:
                return False
            history = await conn.run(queries.study_history, guild_id, user_id)
        streak = compute_streak(history.study_days, today, away_days=history.away_days).current
        keep = f" and keep your {streak}-day streak going" if streak else ""
        text = (
            f"Hi {name}! You have not checked in today yet. A short session counts{keep}: "
            "use /checkin in your study server."
        )
        result = await self._chat.send_direct(user_id, text)
        via = "dm"
        if result.failure is SendFailure.FORBIDDEN and channel_id is not None:
            result = await self._chat.send_text(channel_id, f"<@{user_id}> {text}", (user_id,))
            via = "channel"
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE reminders_sent SET via = ? WHERE guild_id = ? AND user_id = ? "
                "AND local_date = ?",
                (via if result.ok else "failed", guild_id, user_id, today.isoformat()),
            )
        return result.ok

    async def _needs_reminder(
        self, conn: AsyncConnection, guild_id: int, user_id: int, today: date
    ) -> bool:
        """Not away today, not checked in today, and not reminded today yet."""
        if today in await away_days(conn, guild_id, user_id):
            return False
        cursor = await conn.execute(
            "SELECT 1 FROM study_days WHERE guild_id = ? AND user_id = ? AND local_date = ? "
            "UNION ALL SELECT 1 FROM reminders_sent WHERE guild_id = ? AND user_id = ? "
            "AND local_date = ?",
            (guild_id, user_id, today.isoformat(), guild_id, user_id, today.isoformat()),
        )
        return await cursor.fetchone() is None

    # --- study buddies ---------------------------------------------------------------------

    async def join_buddies(self, guild_id: int, user_id: int, name: str) -> bool:
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await ensure_member(conn, guild_id, user_id, name, now)
            cursor = await conn.execute(
                "INSERT INTO buddy_optins (guild_id, user_id, joined_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (guild_id, user_id, now),
            )
            return cursor.rowcount == 1

    async def leave_buddies(self, guild_id: int, user_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM buddy_optins WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            return cursor.rowcount == 1

    async def pair_round(self, guild_id: int, round_key: str) -> list[tuple[int, ...]]:
        """Pair this round's opted-in members once; a second call returns the same groups."""
        async with self._db.transaction() as conn:
            existing = await self._round_groups(conn, guild_id, round_key)
            if existing:
                return existing
            cursor = await conn.execute(
                "SELECT user_id FROM buddy_optins WHERE guild_id = ?", (guild_id,)
            )
            members = [row[0] for row in await cursor.fetchall()]
            cursor = await conn.execute(
                "SELECT DISTINCT round FROM buddy_pairs WHERE guild_id = ? AND round < ? "
                "ORDER BY round DESC LIMIT 4",
                (guild_id, round_key),
            )
            rounds = [row[0] for row in await cursor.fetchall()][::-1]
            history = [await self._round_groups(conn, guild_id, r) for r in rounds]
            groups = pair_members(members, history, f"{guild_id}:{round_key}")
            await conn.executemany(
                "INSERT INTO buddy_pairs (guild_id, round, user_id, grp) VALUES (?, ?, ?, ?)",
                [
                    (guild_id, round_key, user_id, number)
                    for number, group in enumerate(groups)
                    for user_id in group
                ],
            )
        return groups

    async def _round_groups(
        self, conn: AsyncConnection, guild_id: int, round_key: str
    ) -> list[tuple[int, ...]]:
        cursor = await conn.execute(
            "SELECT grp, user_id FROM buddy_pairs WHERE guild_id = ? AND round = ? "
            "ORDER BY grp, user_id",
            (guild_id, round_key),
        )
        groups: dict[int, list[int]] = {}
        for number, user_id in await cursor.fetchall():
            groups.setdefault(number, []).append(user_id)
        return [tuple(g) for g in groups.values()]

    async def announce_round(self, guild_id: int, channel_id: int, round_key: str) -> None:
        groups = await self.pair_round(guild_id, round_key)
        if not groups:
            return
        lines = [" + ".join(f"<@{user_id}>" for user_id in group) for group in groups]
        text = (
            "Study buddies for this week! Say hello, share your plan and check on each other:\n"
            + "\n".join(lines)
        )
        pinged = tuple(user_id for group in groups for user_id in group)
        result = await self._chat.send_text(channel_id, text[:2000], pinged)
        if not result.ok:
            log.warning("buddy announcement for guild %s failed: %s", guild_id, result.detail)

    async def my_buddies(self, guild_id: int, user_id: int) -> tuple[bool, list[Buddy]]:
        """(opted in, the member's group in the latest round without the member)."""
        async with self._db.reader() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM buddy_optins WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            opted_in = await cursor.fetchone() is not None
            cursor = await conn.execute(
                "SELECT b.user_id, m.display_name FROM buddy_pairs b "
                "JOIN members m USING (guild_id, user_id) "
                "WHERE b.guild_id = ? AND b.user_id != ? AND (b.round, b.grp) = ("
                "SELECT round, grp FROM buddy_pairs WHERE guild_id = ? AND user_id = ? "
                "ORDER BY round DESC LIMIT 1)",
                (guild_id, user_id, guild_id, user_id),
            )
            rows = await cursor.fetchall()
            buddies = []
            for buddy_id, name in rows:
                zone = (await zone_of(conn, guild_id, buddy_id)).zone
                today = local_day(self._clock.now(), zone)
                history = await conn.run(queries.study_history, guild_id, buddy_id)
                streak = compute_streak(history.study_days, today, away_days=history.away_days)
                buddies.append(Buddy(buddy_id, name, streak.current))
        return opted_in, buddies
