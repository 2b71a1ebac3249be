import csv
import io
import random
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content import load_bank
from bot.content.loader import load_curriculum
from bot.leetcode import LeetCodeClient
from bot.services.accountability import AccountabilityService
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.journal import JournalService
from bot.services.leetcode import LeetCodeService
from bot.services.maintenance import Maintenance
from bot.services.plans import PlanService
from bot.services.privacy import BOM, Export, PrivacyService, package_csv
from bot.services.sharing import SharingService
from bot.store.database import Database
from bot.store.members import MEMBER_TABLES
from tests.conftest import MovableClock, file_of
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS
from tests.fake_chat import RecordingChat

G1, G2 = "discord:1", "discord:2"
ALICE, BOB = "10", "20"


@pytest.fixture
def database(sqlite_database: Database) -> Database:
    """SQLite only: these tests count a member's rows by reading the database file directly,
    and the daily backups are SQLite's (PostgreSQL's are pg_dump's, see docs/scaling.md)."""
    return sqlite_database


async def everything_about(database: Database, clock: MovableClock, guild: str, user: str) -> None:
    """Give a member a row in every table that can hold member data."""
    chat = RecordingChat()
    accountability = AccountabilityService(database, clock, chat)
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    leetcode = LeetCodeService(database, clock, LeetCodeClient("http://127.0.0.1:9/"), bank)
    content = ContentService(database, clock, load_curriculum(GOOD_CURRICULUM, "c.toml"), bank)
    checkins = CheckinService(database, clock)
    for _ in range(7):  # a week in a row: a milestone too
        await checkins.check_in(guild, user, f"u{user}", 30, "topic", "note")
        clock.move(days=1)
    clock.move(days=-1)
    await content.solve(guild, user, f"u{user}")
    await accountability.set_reminder(guild, user, f"u{user}", "00:00")
    clock.move(days=1)
    await accountability.send_due_reminders()
    await accountability.go_away(guild, user, f"u{user}", clock.now().date().isoformat())
    await accountability.join_buddies(guild, user, f"u{user}")
    await accountability.join_buddies(guild, user + "1", "partner")
    await accountability.pair_round(guild, f"weekly:round-for-{user}")
    await leetcode.start_link(guild, user, f"u{user}", "someone")
    await CommunitySettingsService(database, clock).name_organiser(guild, user, "admin")
    sharing = SharingService(database, clock)
    await sharing.share(
        guild, user, f"u{user}", "my notebook", "https://example.org/nb", "notebook"
    )
    theirs = await sharing.share(
        guild, user + "1", "partner", "theirs", "https://example.org/t", None
    )
    await sharing.vote(guild, theirs.item_id, user, f"u{user}")
    plans = PlanService(database, clock, chat)
    plan = await plans.set_plan(guild, user, f"u{user}", "read; write")
    await plans.mark_done(guild, user, plan.week, 1)
    await plans.write_review(guild, user, plan.week, "mornings", None)
    await JournalService(database, clock, content).reflect(guild, user, f"u{user}", "an answer")
    clock.instant = clock.instant.replace(day=21)


def member_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t
            for t in tables
            if "user_id" in {c[1] for c in conn.execute(f"PRAGMA table_info({t})")}
        }


def rows_of(path: Path, guild: str, user: str) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(
                f"SELECT count(*) FROM {t} WHERE community_id = ? AND user_id = ?", (guild, user)
            ).fetchone()[0]
            for t in member_tables(path)
        }


async def test_forget_deletes_the_member_from_every_table_in_that_server_only(
    database: Database, clock: MovableClock
) -> None:
    assert member_tables(file_of(database)) == set(MEMBER_TABLES)  # no table forgotten
    for guild, user in ((G1, ALICE), (G1, BOB), (G2, ALICE)):
        await everything_about(database, clock, guild, user)
    before = rows_of(file_of(database), G1, ALICE)
    assert all(count > 0 for count in before.values()), before
    deleted = await PrivacyService(database, clock).forget(G1, ALICE)
    assert deleted == sum(before.values())
    assert set(rows_of(file_of(database), G1, ALICE).values()) == {0}
    assert all(count > 0 for count in rows_of(file_of(database), G1, BOB).values())
    assert all(count > 0 for count in rows_of(file_of(database), G2, ALICE).values())


async def test_forget_clears_the_member_from_the_curriculum_they_imported(
    database: Database, clock: MovableClock
) -> None:
    checkins = CheckinService(database, clock)
    for guild in (G1, G2):
        await checkins.check_in(guild, ALICE, "alice", 30)
        async with database.transaction() as conn:
            await conn.execute(
                "INSERT INTO community_curricula (community_id, name, source, filename, "
                "imported_by, "
                "imported_at) VALUES (?, 'ours', '', 'ours.toml', ?, '2026-11-21')",
                (guild, ALICE),
            )
    await PrivacyService(database, clock).forget(G1, ALICE)
    with sqlite3.connect(file_of(database)) as conn:
        importers = dict(conn.execute("SELECT community_id, imported_by FROM community_curricula"))
    assert importers == {G1: "0", G2: ALICE}  # the curriculum stays; only who imported it goes


async def test_forget_keeps_the_organisers_a_forgotten_admin_named(
    database: Database, clock: MovableClock
) -> None:
    communities = CommunitySettingsService(database, clock)
    await communities.name_organiser(G1, BOB, ALICE)
    await PrivacyService(database, clock).forget(G1, ALICE)
    with sqlite3.connect(file_of(database)) as conn:
        rows = conn.execute("SELECT community_id, user_id, added_by FROM organisers").fetchall()
    assert rows == [(G1, BOB, "0")]  # Bob stays an organiser; who named him is forgotten


async def test_export_is_the_servers_checkins_as_csv(
    database: Database, clock: MovableClock
) -> None:
    checkins = CheckinService(database, clock)
    await checkins.check_in(G1, ALICE, "alice", 30, "=HYPERLINK(1)", "line one\nline two")
    await checkins.check_in(G2, BOB, "bob", 45, "elsewhere")
    data = await PrivacyService(database, clock).export_checkins(G1)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["checked_in_at_utc", "local_date", "member_id", "member", "minutes"]
    assert len(rows) == 2
    assert rows[1][3:7] == ["alice", "30", "'=HYPERLINK(1)", "line one\nline two"]


WHEN = datetime(2026, 11, 21, 10, tzinfo=UTC)
HEADER = b"checked_in_at_utc,local_date,member_id,member,minutes,topic,note,source\r\n"


def fake_rows(count: int, note: str | None = None) -> list[bytes]:
    """A header and `count` CSV rows; random notes barely compress, a repeated one does."""
    picker = random.Random(7)
    return [HEADER] + [
        f"2026-01-01T10:00:00+00:00,2026-01-01,{i},m{i},30,t,"
        f"{note or picker.randbytes(300).hex()},command\r\n".encode()
        for i in range(count)
    ]


def unzipped(export: Export) -> list[bytes]:
    contents = []
    for file in export.files:
        assert file.filename.endswith(".zip")
        with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
            [name] = archive.namelist()
            assert name == file.filename.removesuffix(".zip") + ".csv"
            contents.append(archive.read(name))
    return contents


def test_an_export_within_the_limit_is_the_plain_csv() -> None:
    rows = fake_rows(10)
    export = package_csv(rows, 100_000, WHEN)
    assert not export.compressed
    [file] = export.files
    assert file.filename == "studybot-checkins.csv"
    assert file.data == BOM + b"".join(rows)


def test_an_export_over_the_limit_comes_zipped() -> None:
    rows = fake_rows(2000, note="the same note, which compresses very well " * 5)
    limit = 100_000
    assert len(b"".join(rows)) > 2 * limit
    export = package_csv(rows, limit, WHEN)
    assert export.compressed
    assert not export.split
    assert [f.filename for f in export.files] == ["studybot-checkins.zip"]
    assert len(export.files[0].data) <= limit
    assert unzipped(export) == [BOM + b"".join(rows)]


def test_an_export_too_large_even_zipped_is_split_into_complete_csvs() -> None:
    rows = fake_rows(1000)  # 600 random hex characters a row: zip saves about half
    limit = 60_000
    export = package_csv(rows, limit, WHEN)
    assert export.compressed
    assert export.split
    count = len(export.files)
    assert [f.filename for f in export.files] == [
        f"studybot-checkins-part{n}-of-{count}.zip" for n in range(1, count + 1)
    ]
    assert all(len(f.data) <= limit for f in export.files)
    parts = unzipped(export)
    assert all(part.startswith(BOM + HEADER) for part in parts)  # each opens on its own
    assert b"".join(part.removeprefix(BOM + HEADER) for part in parts) == b"".join(rows[1:])


async def test_the_export_for_upload_reads_the_servers_checkins(
    database: Database, clock: MovableClock
) -> None:
    checkins = CheckinService(database, clock)
    for minutes in range(1, 41):
        await checkins.check_in(G1, ALICE, "alice", minutes, "topic", "a note " * 100)
    privacy = PrivacyService(database, clock)
    whole = await privacy.export_checkins(G1)
    assert len(whole) > 20_000
    export = await privacy.export_for_upload(G1, 20_000)
    assert export.compressed
    assert unzipped(export) == [whole]


async def test_members_who_left_are_forgotten_after_the_retention_period(
    database: Database, clock: MovableClock, tmp_path: Path
) -> None:
    checkins = CheckinService(database, clock)
    for user in (ALICE, BOB):
        await checkins.check_in(G1, user, f"u{user}", 30)
    present = {ALICE: False, BOB: True}

    async def still_member(guild: str, user: str) -> bool | None:
        return present[user]

    privacy = PrivacyService(database, clock)
    jobs = Maintenance(clock, file_of(database), tmp_path, 7, privacy, 90, still_member)
    clock.move(days=89)
    assert await jobs.retire_members_who_left() == 0  # inside the retention period
    clock.move(days=2)
    assert await jobs.retire_members_who_left() == 1  # alice left; bob is still there
    assert rows_of(file_of(database), G1, ALICE)["members"] == 0
    assert rows_of(file_of(database), G1, BOB)["members"] == 1


async def test_daily_backups_keep_the_last_seven_and_restore(
    database: Database, clock: MovableClock, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(1, 10):
        (backups / f"studybot-2026-10-{day:02d}.db").write_bytes(b"old")
    await CheckinService(database, clock).check_in(G1, ALICE, "alice", 30)
    jobs = Maintenance(
        clock,
        file_of(database),
        backups,
        7,
        PrivacyService(database, clock),
        90,
        None,  # type: ignore[arg-type]
    )
    made = await jobs.daily_backup()
    assert made == backups / "studybot-2026-11-21.db"
    kept = sorted(p.name for p in backups.iterdir())
    assert len(kept) == 7
    assert kept[-1] == "studybot-2026-11-21.db"
    assert await jobs.daily_backup() == made  # once a day
    # Restore: the copy replaces the database file, and the bot opens it as it was.
    restored = tmp_path / "restored.db"
    shutil.copy(made, restored)
    db = await Database.open(restored)
    try:
        async with db.reader() as conn:
            cursor = await conn.execute("SELECT minutes FROM checkins")
            assert await cursor.fetchall() == [(30,)]
    finally:
        await db.close()
    clock.move(days=1)
    off = Maintenance(
        clock,
        file_of(database),
        backups,
        0,
        PrivacyService(database, clock),
        90,
        None,  # type: ignore[arg-type]
    )
    assert await off.daily_backup() is None


def test_the_member_row_is_deleted_last() -> None:
    # Rows that point to the member row go first, whatever the foreign keys do.
    assert MEMBER_TABLES[-1] == "members"
