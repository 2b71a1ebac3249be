"""A database written by the previous release (schema 6) migrates in place and loses nothing.

The fixture is that release's own output: `release-0.1-schema6.sql` is the dump of a database
its services wrote (two servers, four members, a month of check-ins, a solve, and a row in
every other table), and the JSON beside it holds each table's row count and what that release
reported for every member, at the instant it names.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from bot.services.checkins import CheckinService
from bot.store.database import Database
from bot.store.migrations import bundled_migrations
from tests.conftest import MovableClock

FIXTURES = Path(__file__).parent / "fixtures"
DUMP = FIXTURES / "release-0.1-schema6.sql"
RENAMED = {"guilds": "communities", "guild_curricula": "community_curricula"}  # in 0008
EXPECTED = json.loads((FIXTURES / "release-0.1-schema6.json").read_text())


def old_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text())
    conn.close()
    return path


async def test_every_members_history_streak_and_points_survive_the_upgrade(
    tmp_path: Path,
) -> None:
    db = await Database.open(old_database(tmp_path / "studybot.db"))
    try:
        assert [m.version for m in db.migration.applied] == list(
            range(7, len(bundled_migrations()) + 1)
        )
        async with db.reader() as conn:
            for table, count in EXPECTED["rows"].items():
                name = RENAMED.get(table, table)
                cursor = await conn.execute(f'SELECT count(*) FROM "{name}"')
                grown = len(db.migration.applied) if table == "schema_migrations" else 0
                assert await cursor.fetchone() == (count + grown,), table
        await assert_every_member_is_as_the_release_left_them(db)
    finally:
        await db.close()


async def assert_every_member_is_as_the_release_left_them(db: Database) -> None:
    """Streak, study days, check-ins and all-time totals, as the release reported them."""
    clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
    checkins = CheckinService(db, clock)
    for key, member in EXPECTED["members"].items():
        guild, user = key.split("/")
        guild = f"discord:{guild}"
        report = await checkins.streak(guild, user)
        streak = [report.streak.current, report.streak.best, report.streak.freezes]
        assert streak == member["streak"], member["name"]
        async with db.reader() as conn:
            cursor = await conn.execute(
                "SELECT local_date, minutes, sessions FROM study_days "
                "WHERE community_id = ? AND user_id = ? ORDER BY local_date",
                (guild, user),
            )
            assert [list(r) for r in await cursor.fetchall()] == member["study_days"]
            cursor = await conn.execute(
                "SELECT count(*), sum(minutes) FROM checkins "
                "WHERE community_id = ? AND user_id = ?",
                (guild, user),
            )
            assert list(await cursor.fetchone() or ()) == [
                member["checkins"],
                member["minutes"],
            ]
            cursor = await conn.execute(
                "SELECT points, days, minutes, sessions, solves FROM member_period_totals "
                "WHERE community_id = ? AND user_id = ? AND period = 'all'",
                (guild, user),
            )
            row = await cursor.fetchone()
            assert row is not None
            assert dict(zip(member["all_time"], row, strict=True)) == member["all_time"]


async def test_old_study_days_learn_when_and_in_which_zone_they_were_opened(
    tmp_path: Path,
) -> None:
    db = await Database.open(old_database(tmp_path / "studybot.db"))
    try:
        async with db.reader() as conn:
            cursor = await conn.execute(
                "SELECT d.zone, d.opened_at, (SELECT min(created_at) FROM checkins c "
                "WHERE c.community_id = d.community_id AND c.user_id = d.user_id "
                "AND c.local_date = d.local_date) FROM study_days d "
                "WHERE d.community_id = 'discord:111' AND d.user_id = '2'"
            )
            rows = await cursor.fetchall()
    finally:
        await db.close()
    assert len(rows) == len(EXPECTED["members"]["111/2"]["study_days"])
    assert {zone for zone, _, _ in rows} == {"Asia/Tokyo"}  # Bea's own zone
    assert all(opened == first for _, opened, first in rows)
    # The next check-in after the upgrade goes on as before: the next day, the streak grows.
    db = await Database.open(tmp_path / "studybot.db")
    try:
        clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
        result = await CheckinService(db, clock).check_in("discord:111", "1", "Ada", 30)
        assert result.streak.current == EXPECTED["members"]["111/1"]["streak"][0] + 1
    finally:
        await db.close()
