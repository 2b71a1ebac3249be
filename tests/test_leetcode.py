"""The LeetCode client and service against a fake GraphQL server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.content import load_bank
from bot.content.loader import load_curriculum
from bot.content.model import Problem
from bot.errors import UserError
from bot.leetcode import LeetCodeClient, LeetCodeError
from bot.services.content import ContentService
from bot.services.leetcode import LeetCodeService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM, GOOD_ML, GOOD_PROBLEMS
from tests.fake_leetcode import FakeLeetCode
from tests.refusals import refused

GUILD, OTHER_GUILD, ALICE = "discord:4", "discord:5", "40"
TODAY = date(2026, 11, 21)


@pytest.fixture
async def leetcode() -> AsyncIterator[FakeLeetCode]:
    fake = await FakeLeetCode().start()
    yield fake
    await fake.close()


@pytest.fixture
def service(database: Database, clock: MovableClock, leetcode: FakeLeetCode) -> LeetCodeService:
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    return LeetCodeService(database, clock, LeetCodeClient(leetcode.url, timeout=0.5), bank)


@pytest.fixture
async def content(
    database: Database, clock: MovableClock, service: LeetCodeService
) -> ContentService:
    bank = load_bank(GOOD_PROBLEMS, "p.toml", GOOD_ML, "ml.toml")
    curriculum = load_curriculum(GOOD_CURRICULUM, "c.toml")
    content = ContentService(database, clock, curriculum, bank, service)
    await content.set_problem_source(GUILD, "leetcode-daily")
    return content


async def test_the_client_sends_what_leetcode_expects_and_parses_the_daily(
    leetcode: FakeLeetCode,
) -> None:
    daily = await LeetCodeClient(leetcode.url).daily_challenge()
    assert (daily.date, daily.slug, daily.difficulty) == (TODAY, "two-sum", "Easy")
    assert daily.topics == ("Array", "Hash Table")
    assert daily.url == "https://leetcode.com/problems/two-sum/"
    headers = leetcode.requests[0]["headers"]
    assert headers["Origin"] == "https://leetcode.com"
    assert headers["Referer"] == "https://leetcode.com/"


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"status": 403}, "HTTP 403"),
        ({"malformed": True}, "malformed"),
        ({"delay": 1.0}, "did not answer within"),
    ],
)
async def test_every_failure_is_a_leetcode_error_with_a_reason(
    leetcode: FakeLeetCode, setup: dict[str, object], reason: str
) -> None:
    for name, value in setup.items():
        setattr(leetcode, name, value)
    with pytest.raises(LeetCodeError, match=reason):
        await LeetCodeClient(leetcode.url, timeout=0.3).daily_challenge()


async def test_the_daily_is_fetched_once_per_date_and_cached(
    leetcode: FakeLeetCode, content: ContentService
) -> None:
    await content.set_problem_source(OTHER_GUILD, "leetcode-daily")
    first = await content.problem_of_day(GUILD, TODAY)
    second = await content.problem_of_day(OTHER_GUILD, TODAY)  # another server, same date
    assert first.id == second.id == "two-sum"
    assert isinstance(first, Problem)
    assert first.hint == "Remember what you have seen."  # our own hint when the bank has one
    assert len(leetcode.queries("activeDailyCodingChallengeQuestion")) == 1


@pytest.mark.parametrize(
    ("setup", "logged"),
    [
        ({"status": 403}, "HTTP 403"),
        ({"malformed": True}, "malformed"),
        ({"delay": 1.0}, "did not answer within"),
        ({"paid": True}, "paying members only"),
    ],
)
async def test_each_failure_falls_back_to_the_bundled_bank_and_logs_why(
    leetcode: FakeLeetCode,
    content: ContentService,
    caplog: pytest.LogCaptureFixture,
    setup: dict[str, object],
    logged: str,
) -> None:
    for name, value in setup.items():
        if name == "paid":
            leetcode.daily["question"]["isPaidOnly"] = True
        else:
            setattr(leetcode, name, value)
    with caplog.at_level(logging.WARNING, logger="bot.services.leetcode"):
        problem = await content.problem_of_day(GUILD, TODAY)
    assert problem.id == content.problem_for(GUILD, TODAY, "EEMMMHX").id  # the bundled one
    assert any(
        logged in r.getMessage() and "bundled bank" in r.getMessage() for r in caplog.records
    )


async def test_linking_succeeds_only_with_the_code_in_the_profile(
    leetcode: FakeLeetCode, service: LeetCodeService, clock: MovableClock
) -> None:
    with refused("letters, digits"):
        await service.start_link(GUILD, ALICE, "alice", "bad name!")
    pending = await service.start_link(GUILD, ALICE, "alice", "alice_lc")
    leetcode.profiles["alice_lc"] = {"realName": "Alice", "aboutMe": "I like graphs"}
    with refused(f"could not find {pending.code}"):
        await service.verify_link(GUILD, ALICE)
    assert await service.linked_username(GUILD, ALICE) is None
    leetcode.profiles["alice_lc"]["aboutMe"] = f"hello {pending.code}"
    clock.move(seconds=61)
    assert await service.verify_link(GUILD, ALICE) == "alice_lc"
    assert await service.linked_username(GUILD, ALICE) == "alice_lc"
    assert await service.unlink(GUILD, ALICE)
    assert await service.linked_username(GUILD, ALICE) is None


async def test_a_verified_solve_a_missing_one_and_the_rate_limit(
    database: Database,
    leetcode: FakeLeetCode,
    service: LeetCodeService,
    content: ContentService,
    clock: MovableClock,
) -> None:
    pending = await service.start_link(GUILD, ALICE, "alice", "alice_lc")
    leetcode.profiles["alice_lc"] = {"realName": pending.code, "aboutMe": ""}
    await service.verify_link(GUILD, ALICE)
    # 10:00 UTC, after the 09:00 post: an old accepted submission does not count.
    before_post = int(datetime(2026, 11, 21, 8, 0, tzinfo=UTC).timestamp())
    leetcode.accepted["alice_lc"] = [
        {"id": "1", "title": "Two Sum", "titleSlug": "two-sum", "timestamp": str(before_post)}
    ]
    with refused("found no accepted submission of Two Sum"):
        await content.solve(GUILD, ALICE, "alice")
    # Within the minute, LeetCode is not asked again: the reply says when it can be.
    after_post = int(datetime(2026, 11, 21, 9, 30, tzinfo=UTC).timestamp())
    leetcode.accepted["alice_lc"].append(
        {"id": "2", "title": "Two Sum", "titleSlug": "two-sum", "timestamp": str(after_post)}
    )
    clock.move(seconds=20)
    with refused("check again in 40 s"):
        await content.solve(GUILD, ALICE, "alice")
    assert len(leetcode.queries("recentAcSubmissionList")) == 1
    clock.move(seconds=41)
    solved = await content.solve(GUILD, ALICE, "alice")
    assert solved.verified
    assert len(leetcode.queries("recentAcSubmissionList")) == 2
    async with database.reader() as conn:
        cursor = await conn.execute(
            "SELECT solves, verified_solves FROM member_period_totals WHERE period = 'all'"
        )
        assert await cursor.fetchone() == (1, 1)


async def test_unlinked_members_self_report(
    database: Database, leetcode: FakeLeetCode, content: ContentService
) -> None:
    solved = await content.solve(GUILD, ALICE, "alice")
    assert not solved.verified
    assert leetcode.queries("recentAcSubmissionList") == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda q: q.update(titleSlug="a" * 90),
        lambda q: q.update(titleSlug="Two-Sum"),
        lambda q: q.update(topicTags=[{"name": f"t{i}", "slug": f"t{i}"} for i in range(60)]),
        lambda q: q.update(title="x" * 500),
    ],
    ids=["90-character slug", "capitals", "60 topics", "500-character title"],
)
async def test_a_daily_that_parses_but_does_not_fit_falls_back_to_the_bank(
    leetcode: FakeLeetCode,
    content: ContentService,
    caplog: pytest.LogCaptureFixture,
    spoil: Callable[[dict[str, Any]], None],
) -> None:
    spoil(leetcode.daily["question"])
    with caplog.at_level(logging.WARNING, logger="bot.services.leetcode"):
        problem = await content.problem_of_day(GUILD, TODAY)
    assert problem.id == content.problem_for(GUILD, TODAY, "EEMMMHX").id
    assert any("malformed" in r.getMessage() for r in caplog.records)


async def test_deeply_nested_json_is_a_leetcode_error(leetcode: FakeLeetCode) -> None:
    leetcode.raw_body = '{"data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(LeetCodeError, match="RecursionError"):
        await LeetCodeClient(leetcode.url).daily_challenge()


async def test_servers_posting_at_once_ask_leetcode_once(
    leetcode: FakeLeetCode, service: LeetCodeService
) -> None:
    leetcode.gate = asyncio.Event()
    waiting = [asyncio.create_task(service.daily_problem(TODAY)) for _ in range(5)]
    await leetcode.asked.wait()
    leetcode.gate.set()
    problems = await asyncio.gather(*waiting)
    assert {p.id for p in problems if p is not None} == {"two-sum"}
    assert len(leetcode.queries("activeDailyCodingChallengeQuestion")) == 1


async def test_a_relink_during_verify_does_not_verify_the_new_name(
    leetcode: FakeLeetCode, service: LeetCodeService
) -> None:
    old = await service.start_link(GUILD, ALICE, "alice", "alice_old")
    leetcode.profiles["alice_old"] = {"realName": old.code, "aboutMe": ""}
    leetcode.gate = asyncio.Event()
    verifying = asyncio.create_task(service.verify_link(GUILD, ALICE))
    await leetcode.asked.wait()
    await service.start_link(GUILD, ALICE, "alice", "alice_new")  # while LeetCode is asked
    leetcode.gate.set()
    with refused("link changed while I was checking"):
        await verifying
    assert await service.linked_username(GUILD, ALICE) is None


async def test_member_answers_are_forgotten_after_their_minute(
    leetcode: FakeLeetCode, service: LeetCodeService, clock: MovableClock
) -> None:
    for member in range(20):
        await service.start_link(GUILD, str(member), "m", f"user{member}")
        with pytest.raises(UserError):
            await service.verify_link(GUILD, str(member))
    assert len(service._member_answers) == 20
    clock.move(seconds=61)
    await service.start_link(GUILD, "99", "m", "user99")
    with pytest.raises(UserError):
        await service.verify_link(GUILD, "99")
    assert list(service._member_answers) == [("profile", GUILD, "99")]
