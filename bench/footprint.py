"""Footprint: start-up time to ready, and memory once ready with 1,000 servers."""

from __future__ import annotations

import shutil
import statistics
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import quick_fake, running_bot
from bot.discordbot.ids import community_of
from bot.store.database import Database

RUNS = 3
SERVERS = 1000
MEMBERS_EACH = 50


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


async def start_to_ready(database: Path | None) -> float:
    """Median seconds from starting the process to READY (and every GUILD_CREATE)."""
    times = []
    for _ in range(RUNS):
        fake = quick_fake()
        await fake.start()
        fake.add_guild("Study group")
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            if database is not None:
                shutil.copy(database, workdir / "studybot.db")
            try:
                async with running_bot(fake, workdir, STUDYBOT_TEST_NOW=NOW) as bot:
                    times.append(bot.started_to_ready)
            finally:
                await fake.close()
    return statistics.median(times)


NOW = "2026-11-21T10:00:00+00:00"


async def memory_with_many_servers() -> float:
    fake = quick_fake()
    await fake.start()
    try:
        guilds = [fake.add_guild(f"group {n}") for n in range(SERVERS)]
        members = {
            g.id: [g.add_member(f"m{n}-{i}") for i in range(MEMBERS_EACH)]
            for n, g in enumerate(guilds)
        }
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            db = await Database.open(workdir / "studybot.db")
            now = datetime(2026, 11, 21, tzinfo=UTC).isoformat()
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO communities (community_id, channel_id, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?)",
                    [(community_of(g.id), str(g.channels[0].id), now, now) for g in guilds],
                )
                await conn.executemany(
                    "INSERT INTO members (community_id, user_id, display_name, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    [
                        (community_of(gid), str(m.id), m.name, now)
                        for gid, ms in members.items()
                        for m in ms
                    ],
                )
            await db.close()
            # Before the post time, so what is measured is the bot at rest with 1,000 servers.
            early = "2026-11-21T08:00:00+00:00"
            async with running_bot(
                fake, workdir, STUDYBOT_TEST_NOW=early, STUDYBOT_LOG_LEVEL="INFO"
            ) as bot:
                await bot.bot.wait_for_log("catch-up done", within=120)
                return rss_mb(bot.bot.process.pid)
    finally:
        await fake.close()


async def run(big_database: Path) -> list[tuple[str, str, str, bool]]:
    empty = await start_to_ready(None)
    big = await start_to_ready(big_database)
    memory = await memory_with_many_servers()
    return [
        ("start to ready, empty database (median of 3)", "< 1.5 s", f"{empty:.2f} s", empty < 1.5),
        ("start to ready, 3.65 M check-ins (median of 3)", "< 3.0 s", f"{big:.2f} s", big < 3.0),
        (
            f"memory after ready, {SERVERS} servers x {MEMBERS_EACH} members",
            "< 150 MB",
            f"{memory:.0f} MB",
            memory < 150,
        ),
    ]
