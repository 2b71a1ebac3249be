"""Slack: `/study checkin` against `/study help`, and reminders by DM, through the real bot.

1,000 `/study checkin` from 1,000 members offered at 250 a second, and 1,000 `/study help` at
the same rate: every envelope acked within Slack's 3 seconds, and check-in's p99 from envelope
to ack and from envelope to reply (on the response_url) within 1.5 times help's (median of 3
runs). Then 1,000 reminders due at one minute, by direct message, through a fake that enforces
Slack's limits (one message a second per channel, the method tiers): all delivered within the
minute, with no answer of 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import LAUNCHER, offered, percentile
from bot.slackbot.ids import community_of
from bot.store.database import Database
from tests.e2e.process import BotProcess, spawn
from tests.e2e.slack import slack_environment
from tests.fakeslack import FakeSlack, FakeUser

MEMBERS = 1000
RATE = 250.0
RUNS = 3
ACK_DEADLINE = 3.0
REMINDER_TARGET = 60.0


@contextlib.asynccontextmanager
async def slack_bot(fake: FakeSlack, workdir: Path, now: str) -> AsyncIterator[BotProcess]:
    environment = slack_environment(
        fake, workdir, STUDYBOT_LOG_LEVEL="WARNING", STUDYBOT_TEST_NOW=now
    )
    bot = await spawn([sys.executable, "-m", LAUNCHER, "run"], environment, workdir)
    try:
        await asyncio.wait_for(fake.connected.wait(), 30)
        yield bot
    finally:
        if bot.process.returncode is None:
            await bot.stop()


async def command(fake: FakeSlack, user: FakeUser, text: str) -> tuple[float, float, str]:
    """(envelope to ack, envelope to reply, the reply's text) of one `/study` command."""
    study = fake.channels[next(iter(fake.channels))]
    envelope = await fake.slash(user, study, text)
    await fake.acks[envelope]
    answered = await fake.answered_at(envelope)
    sent = fake.sent_at[envelope]
    reply = fake.responses[fake._response_keys[envelope]][0]
    shown = json.dumps(reply.get("blocks", [])) + str(reply.get("text", ""))
    return fake.acked_at[envelope] - sent, answered - sent, shown


async def one_run() -> dict[str, float]:
    fake = await FakeSlack(validate=False).start()
    fake.add_channel("study")
    members = [fake.add_user(f"m{i}") for i in range(MEMBERS)]
    timings: dict[str, list[tuple[float, float, str]]] = {"help": [], "checkin": []}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            async with slack_bot(fake, Path(scratch), "2026-12-02T10:00:00+00:00"):
                # Warm up: every member known (their profile looked up once), every path loaded.
                for start in range(0, MEMBERS, 50):
                    batch = members[start : start + 50]
                    await asyncio.gather(*(command(fake, m, "help") for m in batch))

                async def send(kind: str, text: str, i: int) -> None:
                    timings[kind].append(await command(fake, members[i], text))

                await offered(MEMBERS, RATE, lambda i: send("help", "help", i))
                await offered(MEMBERS, RATE, lambda i: send("checkin", "checkin 1", i))
    finally:
        await fake.close()
    checkins = timings["checkin"]
    assert all("-day streak" in text for _, _, text in checkins), "a check-in was not answered"
    every = [ack for kind in timings.values() for ack, _, _ in kind]
    return {
        "worst_ack": max(every),
        "help_ack": percentile([a for a, _, _ in timings["help"]], 0.99) * 1000,
        "checkin_ack": percentile([a for a, _, _ in checkins], 0.99) * 1000,
        "help_reply": percentile([r for _, r, _ in timings["help"]], 0.99) * 1000,
        "checkin_reply": percentile([r for _, r, _ in checkins], 0.99) * 1000,
    }


async def interactions() -> list[tuple[str, str, str, bool]]:
    runs = [await one_run() for _ in range(RUNS)]
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    worst = max(r["worst_ack"] for r in runs)
    ack = median["checkin_ack"] / median["help_ack"]
    reply = median["checkin_reply"] / median["help_reply"]
    print(
        f"Slack p99 ack: help {median['help_ack']:.2f} ms, checkin {median['checkin_ack']:.2f} "
        f"ms; p99 reply: help {median['help_reply']:.2f} ms, checkin "
        f"{median['checkin_reply']:.2f} ms; slowest ack {worst * 1000:.0f} ms"
    )
    return [
        (
            "Slack: slowest ack, 1,000 checkin + 1,000 help at 250/s",
            "<= 3 s",
            f"{worst:.2f} s",
            worst <= ACK_DEADLINE,
        ),
        (
            "Slack: checkin p99 envelope->ack / help's (median of 3)",
            "<= 1.50",
            f"{ack:.2f}",
            ack <= 1.5,
        ),
        (
            "Slack: checkin p99 envelope->reply / help's (median of 3)",
            "<= 1.50",
            f"{reply:.2f}",
            reply <= 1.5,
        ),
    ]


async def configure(path: Path, community_id: str, channel_id: str, user_ids: list[str]) -> None:
    db = await Database.open(path)
    now = datetime(2026, 12, 2, tzinfo=UTC).isoformat()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO communities (community_id, channel_id, timezone, post_time, created_at, "
            "updated_at) VALUES (?, ?, 'UTC', '23:00', ?, ?)",
            (community_id, channel_id, now, now),
        )
        await conn.executemany(
            "INSERT INTO members (community_id, user_id, display_name, timezone, remind_at, "
            "created_at) VALUES (?, ?, ?, 'UTC', '09:00', ?)",
            [(community_id, user, f"member {n}", now) for n, user in enumerate(user_ids)],
        )
    await db.close()


async def reminders() -> list[tuple[str, str, str, bool]]:
    fake = await FakeSlack(validate=False, enforce_limits=True).start()
    study = fake.add_channel("study")
    members = [fake.add_user(f"member{n}") for n in range(MEMBERS)]
    try:
        with tempfile.TemporaryDirectory() as scratch:
            workdir = Path(scratch)
            community = community_of(fake.team_id)
            await configure(workdir / "studybot.db", community, study.id, [m.id for m in members])
            async with slack_bot(fake, workdir, "2026-12-02T09:00:30+00:00"):
                spread = await wait_for_dms(fake, members)
    finally:
        await fake.close()
    delivered = sum(len(fake.dms(m)) == 1 for m in members)
    refused = len(fake.rate_limited)
    print(f"Slack reminders: {delivered} DMs in {spread:.1f} s, {refused} answered 429")
    return [
        (
            f"Slack reminders: {MEMBERS} due at one minute, by DM",
            "<= 60 s",
            f"{spread:.1f} s",
            spread <= REMINDER_TARGET and delivered == MEMBERS,
        ),
        (
            "Slack reminders: 429 answers from a fake enforcing Slack's limits",
            "0",
            str(refused),
            refused == 0,
        ),
    ]


async def wait_for_dms(fake: FakeSlack, members: list[FakeUser]) -> float:
    """From the bot's start to the last DM (polling the fake, bounded to two minutes)."""
    started = time.perf_counter()
    waiting = list(members)
    while waiting and time.perf_counter() - started < 120:
        waiting = [m for m in waiting if not fake.dms(m)]
        await asyncio.sleep(0.05)
    last = time.perf_counter()
    await asyncio.sleep(1.0)  # a little longer, to catch a second reminder to anyone
    return last - started


async def run() -> list[tuple[str, str, str, bool]]:
    return await interactions() + await reminders()
