"""Data of one server never appears in another: the same member in two servers, every read."""

import pytest

from bot.content import load_bank
from bot.content.loader import load_curriculum
from bot.domain.limits import RateLimiter
from bot.errors import UserError
from bot.messages.plain import plain_line
from bot.messages.refusals import refusal_text
from bot.services.accountability import AccountabilityService
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.leaderboard import LeaderboardService
from bot.services.privacy import PrivacyService
from bot.services.stats import StatsService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS
from tests.fake_chat import RecordingChat

BUSY, QUIET = "discord:1", "discord:2"
ALICE, BOB = "10", "20"


async def test_every_read_path_stays_inside_its_server(
    database: Database, clock: MovableClock
) -> None:
    checkins = CheckinService(database, clock)
    accountability = AccountabilityService(database, clock, RecordingChat())
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    content = ContentService(database, clock, load_curriculum(GOOD_CURRICULUM, "c.toml"), bank)
    await CommunitySettingsService(database, clock).setup(BUSY, "100", "UTC")
    await CommunitySettingsService(database, clock).setup(QUIET, "200", "UTC")
    # Alice is busy in one server and has only been seen in the other.
    await checkins.check_in(BUSY, ALICE, "alice", 90, "graphs", "secret note")
    await content.solve(BUSY, ALICE, "alice")
    await accountability.go_away(BUSY, ALICE, "alice", "2026-11-30")
    await accountability.join_buddies(BUSY, ALICE, "alice")
    await accountability.join_buddies(BUSY, BOB, "bob")
    await accountability.pair_round(BUSY, "weekly:2026-W47")
    await content.import_curriculum(
        BUSY, ALICE, "ours.toml", GOOD_CURRICULUM.replace("Mini plan", "Ours").encode()
    )

    streak = await checkins.streak(QUIET, ALICE)
    assert (streak.has_checkins, streak.streak.current, streak.away_until) == (False, 0, None)
    stats = await StatsService(database, clock).member_stats(QUIET, ALICE, "all")
    assert (stats.days_studied, stats.minutes, stats.problems_solved, stats.points) == (0, 0, 0, 0)
    assert stats.recent_minutes == {}
    for period in ("week", "month", "all"):
        board = await LeaderboardService(database, clock).leaderboard(QUIET, period, ALICE)
        assert (board.lines, board.me) == ([], None)
    summary = await LeaderboardService(database, clock).weekly_summary(QUIET, clock.now().date())
    assert (summary.lines, summary.every_day, summary.streaks) == ([], [], [])
    assert await accountability.away_now(QUIET, ALICE) is None
    assert await accountability.my_buddies(QUIET, ALICE) == (False, [])
    assert (await content.active_curriculum(QUIET)).custom is False
    assert (await content.today(QUIET)).curriculum_name == "Mini plan"
    export = (await PrivacyService(database, clock).export_checkins(QUIET)).decode("utf-8-sig")
    assert "secret note" not in export
    assert export.count("\n") == 1  # the header only
    # And the busy server does see it all.
    assert (await checkins.streak(BUSY, ALICE)).streak.current == 1
    assert "secret note" in (await PrivacyService(database, clock).export_checkins(BUSY)).decode()


def test_the_command_limit_is_per_member_and_per_minute() -> None:
    now = [1000.0]
    limiter = RateLimiter(3, monotonic=lambda: now[0])
    for _ in range(3):
        limiter.check("discord:1", "10")
    with pytest.raises(UserError) as refused:
        limiter.check("discord:1", "10")
    assert plain_line(refusal_text(refused.value), "discord") == (
        "Easy there: at most 3 commands a minute. Try again in 60 seconds."
    )
    limiter.check("discord:1", "20")  # someone else is not affected
    limiter.check("slack:T2", "10")  # nor is the same member in another community
    now[0] += 60
    limiter.check("discord:1", "10")
