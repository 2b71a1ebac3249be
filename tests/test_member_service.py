import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot.services.checkins import CheckinService
from bot.services.members import MemberService
from bot.services.privacy import PrivacyService
from bot.store import batching
from bot.store.database import Database
from bot.store.sql import Sql
from tests.conftest import MovableClock


async def test_first_interactions_of_many_new_members_share_batched_commits(
    database: Database, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    run_jobs = batching.run_jobs

    def counting(conn: Sql, begin: str, works: list[Callable[[Sql], Any]]) -> Any:
        batches.append(len(works))
        return run_jobs(conn, begin, works)

    monkeypatch.setattr(batching, "run_jobs", counting)
    members = MemberService(database, clock)
    await asyncio.gather(
        *(members.remember("discord:7", str(user), f"member {user}") for user in range(200))
    )

    assert sum(batches) == 200
    assert len(batches) < 20
    async with database.reader() as reader:
        cursor = await reader.execute(
            "SELECT count(*) FROM members WHERE community_id = 'discord:7'"
        )
        assert await cursor.fetchone() == (200,)
    # Known and unchanged: no write at all.
    await members.remember("discord:7", "5", "member 5")
    assert sum(batches) == 200


async def test_newcomers_arriving_apart_within_the_window_share_one_commit(
    database: Database, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    run_jobs = batching.run_jobs

    def counting(conn: Sql, begin: str, works: list[Callable[[Sql], Any]]) -> Any:
        batches.append(len(works))
        return run_jobs(conn, begin, works)

    monkeypatch.setattr(batching, "run_jobs", counting)
    # A window far longer than the test takes, so the arrivals below always fall inside it.
    members = MemberService(database, clock, recording_window=0.5)
    first = asyncio.create_task(members.remember("discord:7", "1", "first"))
    for _ in range(20):  # the loop turns many times between the two arrivals
        await asyncio.sleep(0)
    second = asyncio.create_task(members.remember("discord:7", "2", "second"))
    await asyncio.gather(first, second)

    assert batches == [2]
    assert await members.display_name("discord:7", "1") == "first"
    assert await members.display_name("discord:7", "2") == "second"


async def test_a_member_forgotten_while_their_recording_waits_is_not_written_back(
    database: Database, clock: MovableClock
) -> None:
    members = MemberService(database, clock, recording_window=0.5)
    privacy = PrivacyService(database, clock)
    await CheckinService(database, clock).check_in("discord:7", "1", "alice", 10)
    # An interaction of theirs a moment before they asked to be forgotten.
    recording = asyncio.create_task(members.remember("discord:7", "1", "alice (renamed)"))
    await asyncio.sleep(0)
    members.forget_cached("discord:7", "1")
    assert await privacy.forget("discord:7", "1") > 0
    await recording

    assert await members.display_name("discord:7", "1") is None
    # Their next interaction records them again, as anyone new.
    await members.remember("discord:7", "1", "alice")
    assert await members.display_name("discord:7", "1") == "alice"
