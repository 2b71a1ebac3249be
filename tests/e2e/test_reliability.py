"""Crashes, outages, bad input, secrets and data rights, end to end."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import signal
import sqlite3

import psycopg
import pytest

from tests.e2e.conftest import LAUNCHER, BotClock, StartBot, start, tick
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

NOW = "2026-11-21T10:00:00+00:00"


@pytest.mark.both_engines
async def test_kill_9_during_a_burst_loses_no_answered_checkin(
    fake: FakeDiscord, start_bot: StartBot, guild: FakeGuild, engine: str | None
) -> None:
    members = [guild.add_member(f"m{i}") for i in range(50)]
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    answered: set[int] = set()
    refused: set[int] = set()

    async def one(i: int) -> None:
        await asyncio.sleep(i / 250)  # offered at 250 a second: the kill lands mid-burst
        if bot.process.returncode is not None:
            return
        try:
            reply = await members[i % 50].slash("checkin", minutes=1, topic=f"c{i}", timeout=5)
        except AssertionError:
            return  # no answer: the bot was killed first
        (answered if "-day streak" in reply.text else refused).add(i)
        if len(answered) == 100 and bot.process.returncode is None:
            bot.process.send_signal(signal.SIGKILL)  # mid-burst, with answers already given

    await asyncio.gather(*(one(i) for i in range(500)))
    assert await bot.process.wait() == -signal.SIGKILL
    assert 100 <= len(answered) < 500

    restarted = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    await restarted.stop()
    if engine is not None:
        with psycopg.connect(engine) as pg:
            stored = {row[0] for row in pg.execute("SELECT topic FROM checkins")}
    else:
        with sqlite3.connect(restarted.database_path) as conn:
            stored = {row[0] for row in conn.execute("SELECT topic FROM checkins")}
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert {f"c{i}" for i in answered} <= stored  # none lost
    assert not {f"c{i}" for i in refused} & stored  # none that was refused


async def test_gateway_drop_and_a_rest_outage_then_the_post_goes_out_once(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    clock.set("2026-11-21T08:00:00+00:00")
    bot = await start(start_bot, clock, STUDYBOT_TEST_RETRY_SECONDS="0.05")
    await organiser.slash("admin", "setup", channel=study, timezone="UTC")
    identifies = len(fake.identifies)
    await fake.drop_gateway()
    await fake.wait_until_ready(timeout=30)
    assert len(fake.identifies) + len(fake.resumes) > identifies  # it came back by itself
    assert "Commands for members" in (await alice.slash("help")).text

    fake.fail_next("POST", "/channels/{channel_id}/messages", 503, times=4)
    fake.fail_next("POST", "/channels/{channel_id}/messages", 502, times=2)
    clock.set("2026-11-21T09:00:30+00:00")
    await tick(bot)
    posts = [m for m in fake.channel_messages(study) if "Day 1: " in m.text]
    assert len(posts) == 1
    await tick(bot)
    assert len([m for m in fake.channel_messages(study) if "Day 1: " in m.text]) == 1


NASTY = [
    "@everyone look",
    "<@&123456789012345678> and <@123456789012345678>",
    "```\nunclosed code block",
    "‮right-to-left override",
    "zero\u200bwidth\u200djoiner",
    "**bold** __under__ ||spoiler||",
    "x" * 5000,
    "line\x00null",
    "",
    "   ",
]


async def test_bad_input_gets_clear_replies_and_pings_nobody(
    fake: FakeDiscord,
    start_bot: StartBot,
    alice: FakeMember,
    organiser: FakeMember,
    guild: FakeGuild,
) -> None:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    replies = []
    for text in NASTY:
        replies.append(await alice.slash("checkin", minutes=5, topic=text, unchecked=True))
        replies.append(await alice.slash("checkin", minutes=5, note=text, unchecked=True))
        replies.append(await alice.slash("timezone", zone=text, unchecked=True))
        replies.append(await alice.slash("remind", time=text, unchecked=True))
        replies.append(await alice.slash("away", until=text, unchecked=True))
        replies.append(await alice.slash("leetcode", "link", username=text, unchecked=True))
        replies.append(
            await organiser.slash(
                "admin",
                "setup",
                channel=guild.channel("study"),
                timezone="UTC",
                post_time=text,
                unchecked=True,
            )
        )
        replies.append(await organiser.slash("admin", "pause", until=text, unchecked=True))
        replies.append(await organiser.slash("admin", "problems", pattern=text, unchecked=True))
    for minutes in (0, -1, 721, 10**12):
        replies.append(await alice.slash("checkin", minutes=minutes, unchecked=True))
    for reply in replies:
        assert reply.text, "every case gets a reply"
        assert "error id" not in reply.text
        assert reply.message is not None
        assert reply.message.pinged_user_ids == set()
        assert not reply.message.mention_everyone
    assert "Traceback" not in bot.log()
    assert "ERROR" not in bot.log()


async def test_the_token_appears_nowhere(
    fake: FakeDiscord, start_bot: StartBot, alice: FakeMember
) -> None:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    await alice.slash("explode")
    await alice.slash("help")
    await bot.stop()
    assert fake.token not in bot.log()
    for request in fake.requests:
        assert fake.token not in str(request.json)
    for messages in fake.channel_log.values():
        assert all(fake.token not in m.text for m in messages)


async def test_forgetme_and_export(
    fake: FakeDiscord, start_bot: StartBot, alice: FakeMember, organiser: FakeMember
) -> None:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    await alice.slash("checkin", minutes=30, note="=cmd|' /C calc'!A0")
    export = await organiser.slash("admin", "export")
    [csv_file] = (await export.final()).files
    rows = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8-sig"))))
    assert rows[1][6].startswith("'=")  # a formula-looking note cannot run in a spreadsheet
    refused = await alice.slash("admin", "export", unchecked=True)
    assert refused.text == "You need the Manage Server permission for this."

    asked = await alice.slash("forgetme")
    assert "cannot be undone" in asked.text
    [confirm] = [c for c in asked.custom_ids if c.startswith("sb:forget:yes")]
    done = await alice.click(asked, confirm)
    assert re.search(r"deleted \(\d+ records\)", done.text)
    await bot.stop()
    with sqlite3.connect(bot.database_path) as conn:
        for table in ("members", "checkins", "study_days", "member_period_totals"):
            count = conn.execute(
                f"SELECT count(*) FROM {table} WHERE user_id = ?", (alice.id,)
            ).fetchone()
            assert count == (0,), table


async def test_the_command_limit_answers_kindly(start_bot: StartBot, alice: FakeMember) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW, STUDYBOT_COMMANDS_PER_MINUTE="3")
    for _ in range(3):
        assert "Commands for members" in (await alice.slash("help")).text
    slowed = await alice.slash("help")
    assert slowed.ephemeral
    assert slowed.text.startswith("Easy there: at most 3 commands a minute.")
    assert (await alice.autocomplete("timezone", zone="ber")) != []  # typing is not limited


async def test_buttons_and_modals_count_against_the_limit_too(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    clock.set("2026-11-21T09:30:00+00:00")
    bot = await start(start_bot, clock, STUDYBOT_COMMANDS_PER_MINUTE="3")
    await organiser.slash("admin", "setup", channel=study, timezone="UTC")
    posted = await organiser.slash("admin", "post", kind="daily")
    assert (await posted.final()).text == "Posted."
    [post] = [m for m in fake.channel_messages(study) if "studybot:checkin" in m.custom_ids]
    [solved_id] = [c for c in post.custom_ids if c.startswith("sb:solved:")]

    for minutes in (10, 20, 30):
        opened = await alice.click(post, "studybot:checkin")
        assert "-day streak" in (await alice.submit_modal(opened, {"minutes": str(minutes)})).text
    opened = await alice.click(post, "studybot:checkin")
    assert opened.modal is not None  # opening the modal writes nothing, so it is not counted
    refused = await alice.submit_modal(opened, {"minutes": "40"})
    assert refused.ephemeral
    assert refused.text.startswith("Easy there: at most 3 commands a minute.")
    slowed = await alice.click(post, solved_id)
    assert slowed.ephemeral
    assert slowed.text.startswith("Easy there: at most 3 commands a minute.")

    await bot.stop()
    with sqlite3.connect(bot.database_path) as conn:
        logged = [r[0] for r in conn.execute("SELECT minutes FROM checkins ORDER BY minutes")]
        solves = conn.execute("SELECT count(*) FROM solves").fetchone()
    assert logged == [10, 20, 30]
    assert solves == (0,)


# A masked link: an unescaped "[", then "](" with the "]" unescaped too.
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


async def test_member_text_never_renders_as_a_masked_link(
    start_bot: StartBot, guild: FakeGuild
) -> None:
    mallory = guild.add_member("mallory", nick="[Mallory](https://evil.example/name)")
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=NOW)
    streak = await mallory.slash("streak")  # before checking in, so it offers the button
    note = "[click](https://evil.example) then \\[again](https://evil.example/2)"
    by_command = await mallory.slash(
        "checkin", minutes=30, topic="[topic](https://evil.example/t)", note=note
    )
    opened = await mallory.click(streak, "studybot:checkin")
    by_modal = await mallory.submit_modal(opened, {"minutes": "20", "note": note})
    board = await mallory.slash("leaderboard")
    for reply in (by_command, by_modal, board):
        assert "evil.example" in reply.text
        assert MASKED_LINK.search(reply.text) is None, reply.text
    assert "evil.example/t" in by_command.text  # the topic is shown, just not as a link
