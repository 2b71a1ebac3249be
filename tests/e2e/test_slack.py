"""The real `studybot run` on Slack alone, through the fake Slack: Socket Mode, /study, the form.

The process gets only Slack's tokens (no DISCORD_TOKEN) and its Web API base URL, so this also
proves that Slack runs on its own, with the same services and database as Discord.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.process import REPO, BotProcess, spawn
from tests.fakeslack import FakeSlack

pytestmark = pytest.mark.e2e


def slack_environment(fake: FakeSlack, workdir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_APP_TOKEN": fake.app_token,
        "SLACK_API_BASE_URL": fake.api_base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'studybot.db'}",
        "STUDYBOT_LOG_LEVEL": "DEBUG",
        "STUDYBOT_TEST_NOW": "2026-12-02T10:00:00+00:00",
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[BotProcess]:
    command = [sys.executable, "-m", "tests.e2e.launcher", "run"]
    process = await spawn(command, slack_environment(fake, tmp_path), tmp_path)
    try:
        await fake.connected.wait()
        yield process
        for envelope in list(fake.acks):
            await fake.wait_ack(envelope)  # every envelope acked, before the bot stops
    finally:
        if process.process.returncode is None:
            assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()


def text_of(reply: dict[str, object]) -> str:
    return json.dumps(reply.get("blocks", [])) + str(reply.get("text", ""))


async def test_a_member_checks_in_with_the_command_and_the_group_sees_it(
    fake: FakeSlack, bot: BotProcess
) -> None:
    ada, study = fake.add_user("ada"), fake.add_channel("study")
    envelope = await fake.slash(ada, study, "checkin 45 pandas &amp; &lt;@U999&gt;")
    await fake.wait_ack(envelope)  # acked within Slack's 3 seconds
    reply = await fake.wait_response(envelope)
    assert reply["response_type"] == "in_channel"
    assert "1-day streak" in text_of(reply)
    assert "<@U999>" not in text_of(reply)  # a typed mention in a topic never pings
    with sqlite3.connect(bot.database_path) as conn:
        rows = conn.execute("SELECT community_id, user_id, minutes, topic FROM checkins").fetchall()
    assert rows == [(f"slack:{fake.team_id}", ada.id, 45, "pandas & <@U999>")]
    assert fake.problems == []


async def test_the_form_opens_and_its_check_in_is_posted_in_the_channel(
    fake: FakeSlack, bot: BotProcess
) -> None:
    bea, study = fake.add_user("bea"), fake.add_channel("study")
    envelope = await fake.slash(bea, study, "checkin")
    await fake.wait_ack(envelope)
    await bot.wait_for_log("views.open")
    [view] = fake.views_opened
    labels = [block["label"]["text"] for block in view["blocks"]]
    assert [label.split(" ")[0] for label in labels] == ["Minutes", "Topic", "Note"]
    submitted = await fake.submit(bea, view, {"minutes": "30", "note": "built a tokenizer"})
    assert (await fake.wait_ack(submitted)).get("payload") in (None, {})
    await bot.wait_for_log("chat.postMessage")
    [posted] = fake.messages_in(study)
    assert "1-day streak" in text_of(posted)
    assert "built a tokenizer" in text_of(posted)


async def test_bad_arguments_get_the_usage_and_unknown_subcommands_the_list(
    fake: FakeSlack, bot: BotProcess
) -> None:
    cy, study = fake.add_user("cy"), fake.add_channel("study")
    refused = await fake.wait_response(await fake.slash(cy, study, "checkin lots"))
    assert refused["response_type"] == "ephemeral"
    assert "Usage: `/study checkin [MINUTES [TOPIC…]]`" in refused["text"]
    too_long = await fake.wait_response(await fake.slash(cy, study, "checkin 721"))
    assert "Minutes must be a whole number from 1 to 720" in too_long["text"]
    unknown = await fake.wait_response(await fake.slash(cy, study, "dance"))
    assert "There is no subcommand 'dance'" in unknown["text"]
    helped = await fake.wait_response(await fake.slash(cy, study, "help"))
    assert "/study checkin" in text_of(helped)
    with sqlite3.connect(bot.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM checkins").fetchone() == (0,)


async def test_stats_answer_privately_and_the_heatmap_comes_by_direct_message(
    fake: FakeSlack, bot: BotProcess
) -> None:
    dee, study = fake.add_user("dee"), fake.add_channel("study")
    await fake.wait_response(await fake.slash(dee, study, "checkin 30"))
    stats = await fake.wait_response(await fake.slash(dee, study, "stats week"))
    assert stats["response_type"] == "ephemeral"
    assert "Days studied" in text_of(stats)
    [heatmap] = [f for f in fake.files.values() if f["filename"] == "heatmap.png"]
    assert heatmap["data"].startswith(b"\x89PNG")
    assert fake.problems == []
