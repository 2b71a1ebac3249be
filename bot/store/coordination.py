"""What processes sharing one PostgreSQL database agree on besides the data: the REST budget
(`rest_budget`), the spacing of gateway identifies (advisory locks) and named job leases
(`job_leases`). One connection of its own, so a wait here never holds up the writer.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.connection import AsyncConnection, connect_postgres
from bot.store.sql import Sql

# The first key of the two-key advisory locks taken here; the second is the identify bucket.
IDENTIFY_LOCKS = 7210002
DISCORD_BUDGET = "discord"


def reserve_slot(conn: Sql, budget: str, interval: float) -> float:
    """Take the next free slot of `budget`, `interval` seconds after the one before it (or now,
    if the budget lay idle); returns how long to wait for it, in seconds."""
    row = conn.execute(
        "INSERT INTO rest_budget (budget, next_slot) VALUES (?, extract(epoch FROM now()) + ?) "
        "ON CONFLICT (budget) DO UPDATE SET next_slot = "
        "GREATEST(rest_budget.next_slot, extract(epoch FROM now())) + ? "
        "RETURNING next_slot - ? - extract(epoch FROM now())",
        (budget, interval, interval, interval),
    ).fetchone()
    return max(0.0, float(row[0])) if row else 0.0


def take_job_lease(conn: Sql, name: str, owner: str, now: str, until: str) -> bool:
    """True when `owner` holds the lease on `name` until `until` (UTC ISO instants)."""
    cursor = conn.execute(
        "INSERT INTO job_leases (name, owner, until) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
        "WHERE job_leases.until < ? OR job_leases.owner = excluded.owner",
        (name, owner, until, now),
    )
    return cursor.rowcount == 1


def try_lock(conn: Sql, space: int, key: int) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(?, ?)", (space, key)).fetchone()
    return bool(row and row[0])


def unlock(conn: Sql, space: int, key: int) -> None:
    conn.execute("SELECT pg_advisory_unlock(?, ?)", (space, key)).fetchone()


class Coordination:
    """The shared agreements, on a dedicated PostgreSQL connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @classmethod
    async def open(cls, url: str) -> Coordination:
        return cls(await connect_postgres(url))

    async def reserve_rest_slot(self, interval: float) -> float:
        return await self._conn.run(reserve_slot, DISCORD_BUDGET, interval)

    async def try_identify_lock(self, bucket: int) -> bool:
        return await self._conn.run(try_lock, IDENTIFY_LOCKS, bucket)

    async def identify_unlock(self, bucket: int) -> None:
        await self._conn.run(unlock, IDENTIFY_LOCKS, bucket)

    async def take_job_lease(self, name: str, owner: str, now: datetime, until: datetime) -> bool:
        return await self._conn.run(take_job_lease, name, owner, now.isoformat(), until.isoformat())

    async def close(self) -> None:
        await self._conn.close()
