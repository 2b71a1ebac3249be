"""LeetCode end to end: the daily challenge as the problem, a linked account, a verified solve."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from tests.e2e.conftest import BotClock, StartBot, start, tick
from tests.fake_leetcode import FakeLeetCode
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

VERIFY = "studybot:leetcode-verify"


@pytest.fixture
async def leetcode() -> AsyncIterator[FakeLeetCode]:
    fake = await FakeLeetCode().start()
    yield fake
    await fake.close()


async def test_daily_challenge_linking_and_a_verified_solve(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    leetcode: FakeLeetCode,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    clock.set("2026-11-21T08:30:00+00:00")  # before the 09:00 UTC post
    bot = await start(start_bot, clock, LEETCODE_GRAPHQL_URL=leetcode.url)
    await organiser.slash("admin", "setup", channel=study, timezone="UTC")
    chosen = await organiser.slash("admin", "problems", source="leetcode-daily")
    assert "Problems come from LeetCode's daily challenge" in chosen.text

    clock.set("2026-11-21T09:00:30+00:00")
    await tick(bot)
    [post] = [m for m in fake.channel_messages(study) if "Day 1: " in m.text]
    assert "Problem: Two Sum" in post.text
    assert "Array, Hash Table" in post.text
    problem = await alice.slash("problem")
    assert problem.text.startswith("Problem: Two Sum")
    assert len(leetcode.queries("activeDailyCodingChallengeQuestion")) == 1  # cached after

    linking = await alice.slash("leetcode", "link", username="alice_lc")
    assert VERIFY in linking.custom_ids
    code = linking.text.split("`")[1]
    leetcode.profiles["alice_lc"] = {"realName": "Alice", "aboutMe": ""}
    refused = await alice.click(linking, VERIFY)
    assert f"could not find {code}" in (await refused.final()).text
    leetcode.profiles["alice_lc"]["aboutMe"] = f"studying with {code}"
    clock.set("2026-11-21T09:02:00+00:00")  # a minute later: LeetCode may be asked again
    linked = await alice.click(linking, VERIFY)
    assert "Linked to LeetCode account alice_lc" in (await linked.final()).text

    missing = await alice.slash("solved")
    assert "found no accepted submission of Two Sum" in missing.text
    accepted_at = int(datetime(2026, 11, 21, 9, 1, tzinfo=UTC).timestamp())
    leetcode.accepted["alice_lc"] = [
        {"id": "9", "title": "Two Sum", "titleSlug": "two-sum", "timestamp": str(accepted_at)}
    ]
    clock.set("2026-11-21T09:03:30+00:00")
    solved = await alice.slash("solved")
    assert "verified on LeetCode" in solved.text
    board = await alice.slash("leaderboard")
    assert "1 solved, 1 verified" in board.text
    assert "unlinked" in (await alice.slash("leetcode", "unlink")).text.lower()
