import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bot.services.members import MemberService
from bot.store import database as store_database
from bot.store.database import Database
from tests.conftest import MovableClock


async def test_first_interactions_of_many_new_members_share_batched_commits(
    database: Database, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    run_jobs = store_database._run_jobs

    def counting(conn: sqlite3.Connection, works: list[Callable[[sqlite3.Connection], Any]]) -> Any:
        batches.append(len(works))
        return run_jobs(conn, works)

    monkeypatch.setattr(store_database, "_run_jobs", counting)
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
