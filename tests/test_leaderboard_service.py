from datetime import UTC, date, datetime

import pytest

from bot.content import load_bank
from bot.content.loader import load_curriculum
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.leaderboard import LeaderboardService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS

GUILD = "discord:9"


@pytest.fixture
def checkins(database: Database, clock: MovableClock) -> CheckinService:
    return CheckinService(database, clock)


@pytest.fixture
def boards(database: Database, clock: MovableClock) -> LeaderboardService:
    return LeaderboardService(database, clock)


async def set_zone(database: Database, clock: MovableClock, zone: str) -> None:
    await CommunitySettingsService(database, clock).setup(GUILD, "1", zone)


@pytest.mark.parametrize(
    ("zone", "sunday_late_utc", "monday_early_utc"),
    [
        # 23:59 on Sunday 22 Nov and 00:00 on Monday 23 Nov, local.
        ("Europe/Berlin", datetime(2026, 11, 22, 22, 59), datetime(2026, 11, 22, 23, 0)),
        ("America/Los_Angeles", datetime(2026, 11, 23, 7, 59), datetime(2026, 11, 23, 8, 0)),
    ],
)
async def test_periods_follow_the_server_zone_at_the_week_boundary(
    database: Database,
    clock: MovableClock,
    checkins: CheckinService,
    boards: LeaderboardService,
    zone: str,
    sunday_late_utc: datetime,
    monday_early_utc: datetime,
) -> None:
    await set_zone(database, clock, zone)
    clock.instant = sunday_late_utc.replace(tzinfo=UTC)
    await checkins.check_in(GUILD, "1", "early", 30)
    sunday = await boards.leaderboard(GUILD, "week", "1")
    clock.instant = monday_early_utc.replace(tzinfo=UTC)
    await checkins.check_in(GUILD, "2", "late", 30)
    monday = await boards.leaderboard(GUILD, "week", "1")
    assert sunday.key == "week:2026-W47"
    assert [line.name for line in sunday.lines] == ["early"]
    assert monday.key == "week:2026-W48"
    assert [line.name for line in monday.lines] == ["late"]
    assert monday.me is None  # "early" has nothing this week
    month = await boards.leaderboard(GUILD, "month", "2")
    assert {line.name for line in month.lines} == {"early", "late"}


async def test_top_ten_shared_ranks_and_your_own_place_outside_it(
    checkins: CheckinService, boards: LeaderboardService
) -> None:
    # 12 members: member n studies n*10 minutes (points 10 + n), two of them tie.
    for member in range(1, 13):
        await checkins.check_in(
            GUILD, str(member), f"m{member}", 10 * member if member != 6 else 70
        )
    board = await boards.leaderboard(GUILD, "week", "1")
    assert [(line.rank, line.user_id) for line in board.lines[:3]] == [
        (1, "12"),
        (2, "11"),
        (3, "10"),
    ]
    ranks = {line.user_id: line.rank for line in board.lines}
    assert ranks["7"] == ranks["6"] == 6  # 70 minutes each: a shared 6th place
    assert ranks["5"] == 8
    assert len(board.lines) == 10
    assert board.me is not None
    assert (board.me.rank, board.me.points) == (12, 11)


async def test_solves_count_and_the_totals_match_the_rules(
    database: Database, clock: MovableClock, checkins: CheckinService, boards: LeaderboardService
) -> None:
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    content = ContentService(database, clock, load_curriculum(GOOD_CURRICULUM, "c.toml"), bank)
    await checkins.check_in(GUILD, "1", "a", 50)
    await checkins.check_in(GUILD, "1", "a", 100)  # 150 min: counted up to 120 → 22
    solved = await content.solve(GUILD, "1", "a")
    [line] = (await boards.leaderboard(GUILD, "all", "1")).lines
    assert (line.points, line.days, line.minutes) == (22 + solved.points, 1, 150)
    # The top lines count solves too (they used to show 0, so "1 solved" never appeared).
    assert (line.solves, line.verified_solves) == (1, 0)


async def test_the_weekly_summary(
    clock: MovableClock, checkins: CheckinService, boards: LeaderboardService
) -> None:
    monday = date(2026, 11, 9)
    # Week 46: ann every day (60 min), bob twice. Week 45: bob once (short).
    clock.instant = datetime(2026, 11, 3, 12, tzinfo=UTC)
    await checkins.check_in(GUILD, "2", "bob", 10)
    for offset in range(7):
        clock.instant = datetime(2026, 11, 9 + offset, 12, tzinfo=UTC)
        await checkins.check_in(GUILD, "1", "ann", 60)
        if offset in (2, 4):
            await checkins.check_in(GUILD, "2", "bob", 30)
    summary = await boards.weekly_summary(GUILD, monday)
    assert summary.key == "week:2026-W46"
    assert [(line.rank, line.name) for line in summary.lines] == [(1, "ann"), (2, "bob")]
    assert (summary.active_members, summary.minutes, summary.checkins) == (2, 480, 9)
    assert summary.every_day == ["ann"]
    assert summary.streaks[0] == ("ann", 7)
    assert summary.most_improved == ("bob", 26 - 11)
