"""A database written by release 0.2 (schema 7, integer ids) upgrades in place and loses nothing.

The fixture is that release's own output: `release-0.2-schema7.sql` is the dump of a database its
services wrote over a simulated month (two servers with real-size snowflakes, ten members, posts,
reminders, buddy rounds, solves, LeetCode links, an imported curriculum), and the JSON beside it
holds what that release reported: every table's rows, each member's streak and totals, the
problems server A would get for the next two weeks and the next buddy round's groups. Migration
0008 turns every id into text and renames `guilds` and `guild_curricula`; 0010 gives each
scheduled post an empty lease; nothing else may change.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.content import bundled_bank, bundled_curriculum
from bot.services.accountability import AccountabilityService
from bot.services.checkins import CheckinService
from bot.services.content import ContentService
from bot.store.database import Database
from tests.conftest import MovableClock, file_of
from tests.fake_chat import RecordingChat

FIXTURES = Path(__file__).parent / "fixtures"
DUMP = FIXTURES / "release-0.2-schema7.sql"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "release-0.2-schema7.json").read_text())
RENAMED = {"guilds": "communities", "guild_curricula": "community_curricula"}
FULL_ROW_TABLES = [
    "guilds",
    "guild_curricula",
    "scheduled_posts",
    "away_periods",
    "buddy_optins",
    "buddy_pairs",
    "leetcode_links",
    "reminders_sent",
    "milestones",
    "solves",
    "leetcode_daily",
    "bot_state",
]


def community(guild: str) -> str:
    return f"discord:{guild}"


def upgraded_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A 0.2 row as this release must hold it: the guild id scoped, a post's lease empty, every
    other value as it was."""
    new = {key: value for key, value in row.items() if key != "guild_id"}
    if "guild_id" in row:
        new["community_id"] = community(row["guild_id"])
    if table == "scheduled_posts":
        new |= {"lease_owner": None, "lease_until": None}
    return new


def canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


@pytest.fixture
async def upgraded(tmp_path: Path) -> Any:
    path = tmp_path / "studybot.db"
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text())
    conn.close()
    db = await Database.open(path)
    yield db
    await db.close()


async def test_the_upgrade_applies_only_the_new_migrations_and_keeps_every_row(
    upgraded: Database,
) -> None:
    new_migrations = [m.version for m in upgraded.migration.applied]
    assert new_migrations == [8, 9, 10, 11]
    with sqlite3.connect(file_of(upgraded)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for table, count in EXPECTED["rows"].items():
            grown = len(new_migrations) if table == "schema_migrations" else 0
            name = RENAMED.get(table, table)
            assert conn.execute(f'SELECT count(*) FROM "{name}"').fetchone() == (count + grown,)
        for table in FULL_ROW_TABLES:
            cursor = conn.execute(f'SELECT * FROM "{RENAMED.get(table, table)}"')
            columns = [c[0] for c in cursor.description]
            stored = [dict(zip(columns, row, strict=True)) for row in cursor]
            expected = [upgraded_row(table, row) for row in EXPECTED[table]]
            assert sorted(map(canonical, stored)) == sorted(map(canonical, expected)), table


async def test_every_members_history_streak_points_zone_and_reminder_survive(
    upgraded: Database,
) -> None:
    clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
    checkins = CheckinService(upgraded, clock)
    with sqlite3.connect(file_of(upgraded)) as conn:
        for key, member in EXPECTED["members"].items():
            guild, user = key.split("/")
            report = await checkins.streak(community(guild), user)
            streak = [report.streak.current, report.streak.best, report.streak.freezes]
            assert streak == member["streak"], member["name"]
            ids = (community(guild), user)
            days = conn.execute(
                "SELECT local_date, minutes, sessions FROM study_days "
                "WHERE community_id = ? AND user_id = ? ORDER BY local_date",
                ids,
            ).fetchall()
            assert [list(day) for day in days] == member["study_days"], member["name"]
            sessions = conn.execute(
                "SELECT count(*), sum(minutes) FROM checkins WHERE community_id = ? AND user_id = "
                "?",
                ids,
            ).fetchone()
            assert list(sessions) == [member["checkins"], member["minutes"]], member["name"]
            all_time = member["all_time"]
            totals = conn.execute(
                f"SELECT {', '.join(all_time)} FROM member_period_totals "
                "WHERE community_id = ? AND user_id = ? AND period = 'all'",
                ids,
            ).fetchone()
            assert dict(zip(all_time, totals, strict=True)) == all_time, member["name"]
            settings = conn.execute(
                "SELECT display_name, timezone, remind_at FROM members "
                "WHERE community_id = ? AND user_id = ?",
                ids,
            ).fetchone()
            assert settings == (member["name"], member["timezone"], member["remind_at"])


async def test_the_server_gets_the_same_problems_and_buddies_as_before(
    upgraded: Database,
) -> None:
    clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
    content = ContentService(upgraded, clock, bundled_curriculum(), bundled_bank())
    for guild, days in EXPECTED["problems"].items():
        for day, problem_id in days:
            problem = await content.problem_of_day(community(guild), date.fromisoformat(day))
            assert problem.id == problem_id, day
    buddies = EXPECTED["next_buddy_round"]
    accountability = AccountabilityService(upgraded, clock, RecordingChat())
    groups = await accountability.pair_round(community(buddies["guild_id"]), buddies["round"])
    assert [list(group) for group in groups] == buddies["groups"]


async def test_a_member_checks_in_after_the_upgrade_and_the_streak_goes_on(
    upgraded: Database,
) -> None:
    ada = EXPECTED["members"]["1180000000000000001/123456789012345678"]
    clock = MovableClock(datetime.fromisoformat(EXPECTED["now"]))
    result = await CheckinService(upgraded, clock).check_in(
        "discord:1180000000000000001", "123456789012345678", "Ada", 30
    )
    today_done_before = ada["study_days"][-1][0] == clock.now().date().isoformat()
    assert result.streak.current == ada["streak"][0] + (0 if today_done_before else 1)
