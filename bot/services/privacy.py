"""Members' data rights: forget a member, export a server's check-ins, retire those who left."""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta

from bot.clock import Clock
from bot.db import Database

log = logging.getLogger(__name__)

# Every table that holds data about a member, keyed by (guild_id, user_id). A new table with
# member data must be added here; tests/test_privacy.py fails if one is missing.
MEMBER_TABLES = (
    "checkins",
    "study_days",
    "solves",
    "member_period_totals",
    "reminders_sent",
    "away_periods",
    "buddy_optins",
    "buddy_pairs",
    "milestones",
    "leetcode_links",
    "members",
)
# Columns elsewhere that name a member: the row belongs to the server and stays, the name goes.
# guild_curricula.imported_by is NOT NULL (migration 0003), so 0 stands for "a forgotten member".
MEMBER_REFERENCES = (("guild_curricula", "imported_by"),)
FORGOTTEN_MEMBER = 0
EXPORT_COLUMNS = (
    "checked_in_at_utc",
    "local_date",
    "member_id",
    "member",
    "minutes",
    "topic",
    "note",
    "source",
)


class PrivacyService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def forget(self, guild_id: int, user_id: int) -> int:
        """Delete everything about the member in this server; returns the rows deleted."""
        deleted = 0
        async with self._db.transaction() as conn:
            for table in MEMBER_TABLES:
                cursor = await conn.execute(
                    f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
                )
                deleted += max(cursor.rowcount, 0)
            for table, column in MEMBER_REFERENCES:
                await conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE guild_id = ? AND {column} = ?",
                    (FORGOTTEN_MEMBER, guild_id, user_id),
                )
        log.info("forgot member %s in guild %s (%d rows)", user_id, guild_id, deleted)
        return deleted

    async def export_checkins(self, guild_id: int) -> bytes:
        """The server's check-ins as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        async with self._db.reader() as conn:
            cursor = await conn.execute(
                "SELECT c.created_at, c.local_date, c.user_id, m.display_name, c.minutes, "
                "coalesce(c.topic, ''), coalesce(c.note, ''), c.source FROM checkins c "
                "JOIN members m USING (guild_id, user_id) WHERE c.guild_id = ? "
                "ORDER BY c.created_at, c.checkin_id",
                (guild_id,),
            )
            async for row in cursor:
                writer.writerow([neutralise(str(value)) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    async def members_to_check(self, retention_days: int) -> list[tuple[int, int]]:
        """(guild, member) pairs with no activity for the retention period: ask if they left."""
        cutoff = (self._clock.now() - timedelta(days=retention_days)).date().isoformat()
        async with self._db.reader() as conn:
            cursor = await conn.execute(
                "SELECT m.guild_id, m.user_id FROM members m WHERE m.created_at < ? AND NOT "
                "EXISTS (SELECT 1 FROM study_days d WHERE d.guild_id = m.guild_id "
                "AND d.user_id = m.user_id AND d.local_date >= ?)",
                (cutoff, cutoff),
            )
            return [(int(g), int(u)) for g, u in await cursor.fetchall()]


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a member's text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
