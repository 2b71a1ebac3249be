from datetime import date, timedelta

import pytest

from bot.content import load_bank
from bot.content.loader import ContentError, load_curriculum
from bot.services.content import ContentService
from bot.services.stats import StatsService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS
from tests.refusals import refused

GUILD, ALICE = "discord:5", "50"


@pytest.fixture
def content(database: Database, clock: MovableClock) -> ContentService:
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    return ContentService(database, clock, load_curriculum(GOOD_CURRICULUM, "c.toml"), bank)


async def mark_daily_posts_sent(database: Database, count: int) -> None:
    async with database.transaction() as conn:
        await conn.execute(
            "INSERT INTO communities (community_id, created_at, updated_at) VALUES (?, "
            "'x', 'x') ON CONFLICT (community_id) DO NOTHING",
            (GUILD,),
        )
        for n in range(count):
            await conn.execute(
                "INSERT INTO scheduled_posts (community_id, kind, period, status, claimed_at) "
                "VALUES (?, 'daily', ?, 'sent', 'x')",
                (GUILD, f"daily:{n}"),
            )


async def test_today_previews_day_one_then_follows_the_posts(
    database: Database, content: ContentService
) -> None:
    preview = await content.today(GUILD)
    assert (preview.posted, preview.position.day_number, preview.day.id) == (False, 1, "basics-01")
    await mark_daily_posts_sent(database, 2)
    second = await content.today(GUILD)
    assert (second.posted, second.position.day_number, second.day.id) == (True, 2, "basics-02")
    await mark_daily_posts_sent(database, 0)
    async with database.transaction() as conn:
        await conn.execute(
            "INSERT INTO scheduled_posts (community_id, kind, period, status, claimed_at) "
            "VALUES (?, 'daily', 'daily:late', 'sent', 'x')",
            (GUILD,),
        )
    again = await content.today(GUILD)
    assert (again.position.day_number, again.day.id, again.position.starts_again) == (
        3,
        "basics-01",
        True,
    )


async def test_the_problem_switches_at_post_time_and_solving_counts_once(
    database: Database, content: ContentService, clock: MovableClock
) -> None:
    clock.instant = clock.instant.replace(hour=8)  # Saturday, before the 09:00 post
    before = await content.current_problem(GUILD)
    assert before.day == date(2026, 11, 20)  # still Friday's problem
    clock.move(hours=2)
    after = await content.current_problem(GUILD)
    assert (after.day, after.slot) == (date(2026, 11, 21), "H")

    solved = await content.solve(GUILD, ALICE, "alice")
    assert solved.points == {"Easy": 10, "Medium": 20, "Hard": 30}[solved.problem.difficulty]
    with refused("already marked"):
        await content.solve(GUILD, ALICE, "alice")
    stats = await StatsService(database, clock).member_stats(GUILD, ALICE, "week")
    assert (stats.problems_solved, stats.points) == (1, solved.points)


async def test_sunday_is_an_ml_problem(content: ContentService, clock: MovableClock) -> None:
    clock.move(days=1)
    sunday = await content.current_problem(GUILD)
    assert (sunday.slot, sunday.problem.id) == ("X", "stable-softmax")


async def test_a_broken_import_changes_nothing_and_a_good_one_takes_over(
    content: ContentService,
) -> None:
    broken = GOOD_CURRICULUM.replace('title = "Lists"', 'titel = "Lists"').encode()
    with pytest.raises(ContentError, match="titel: unknown field"):
        await content.import_curriculum(GUILD, ALICE, "mine.toml", broken)
    assert not (await content.active_curriculum(GUILD)).custom

    mine = GOOD_CURRICULUM.replace('name = "Mini plan"', 'name = "Our plan"')
    imported = await content.import_curriculum(GUILD, ALICE, "ours.toml", mine.encode())
    active = await content.active_curriculum(GUILD)
    assert (imported.name, active.custom, active.filename) == ("Our plan", True, "ours.toml")
    assert (await content.today(GUILD)).curriculum_name == "Our plan"
    assert await content.reset_curriculum(GUILD)
    assert not await content.reset_curriculum(GUILD)
    assert (await content.today(GUILD)).curriculum_name == "Mini plan"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("plan.txt", b"x", "Upload a .toml file"),
        ("plan.toml", b"\xff\xfe", "not UTF-8"),
        ("plan.toml", b"#" * (257 * 1024), "at most 256 KiB"),
    ],
)
async def test_imports_that_are_not_curricula_are_refused(
    content: ContentService, filename: str, data: bytes, message: str
) -> None:
    with refused(message):
        await content.import_curriculum(GUILD, ALICE, filename, data)


async def test_the_choice_is_stable_across_service_instances(
    database: Database, clock: MovableClock
) -> None:
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    curriculum = load_curriculum(GOOD_CURRICULUM, "c.toml")
    first = ContentService(database, clock, curriculum, bank)
    second = ContentService(database, clock, curriculum, bank)
    days = [date(2026, 11, 16) + timedelta(days=i) for i in range(14)]
    assert [first.problem_for(GUILD, d, "EEMMMHX").id for d in days if d.weekday() < 2] == [
        second.problem_for(GUILD, d, "EEMMMHX").id for d in days if d.weekday() < 2
    ]
