"""The real `studybot run` on Slack alone, through the fake Slack: Socket Mode, /study, the form.

The process gets only Slack's tokens (no DISCORD_TOKEN) and its Web API base URL, so this also
proves that Slack runs on its own, with the same services and database as Discord.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.process import BotProcess
from tests.e2e.slack import slack, slack_bot, slack_clock, start_slack, text_of
from tests.fakeslack import FakeSlack

__all__ = ["slack", "slack_bot", "slack_clock", "start_slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e


async def test_a_member_checks_in_with_the_command_and_the_group_sees_it(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    ada, study = slack.add_user("ada"), slack.add_channel("study")
    envelope = await slack.slash(ada, study, "checkin 45 pandas &amp; &lt;@U999&gt;")
    await slack.wait_ack(envelope)  # acked within Slack's 3 seconds
    reply = await slack.wait_response(envelope)
    assert reply["response_type"] == "in_channel"
    assert "1-day streak" in text_of(reply)
    assert "<@U999>" not in text_of(reply)  # a typed mention in a topic never pings
    with sqlite3.connect(slack_bot.database_path) as conn:
        rows = conn.execute("SELECT community_id, user_id, minutes, topic FROM checkins").fetchall()
    assert rows == [(f"slack:{slack.team_id}", ada.id, 45, "pandas & <@U999>")]
    # A trailing link, as Slack sends a typed one, is the check-in's link.
    linked = await slack.wait_response(
        await slack.slash(ada, study, "checkin 20 transformers <https://ada.dev/attn>")
    )
    assert "https://ada.dev/attn" in text_of(linked)
    assert linked["unfurl_links"] is False
    with sqlite3.connect(slack_bot.database_path) as conn:
        stored = conn.execute("SELECT topic, link FROM checkins WHERE minutes = 20").fetchall()
    assert stored == [("transformers", "https://ada.dev/attn")]
    bad = await slack.wait_response(await slack.slash(ada, study, "checkin 20 x https://"))
    assert "must be a web address starting with http:// or https://" in text_of(bad)
    assert slack.problems == []


async def test_the_form_opens_and_its_check_in_is_posted_in_the_channel(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    bea, study = slack.add_user("bea"), slack.add_channel("study")
    envelope = await slack.slash(bea, study, "checkin")
    await slack.wait_ack(envelope)
    await slack_bot.wait_for_log("views.open")
    [view] = slack.views_opened
    labels = [block["label"]["text"] for block in view["blocks"]]
    assert [label.split(" ")[0] for label in labels] == ["Minutes", "Topic", "Note", "Link"]
    submitted = await slack.submit(
        bea,
        view,
        {"minutes": "30", "note": "built a tokenizer", "link": "https://bea.dev/tokenizer"},
    )
    assert (await slack.wait_ack(submitted)).get("payload") in (None, {})
    await slack_bot.wait_for_log("chat.postMessage")
    [posted] = slack.messages_in(study)
    assert "1-day streak" in text_of(posted)
    assert "built a tokenizer" in text_of(posted)
    assert "https://bea.dev/tokenizer" in text_of(posted)


async def test_bad_arguments_get_the_usage_and_unknown_subcommands_the_list(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    cy, study = slack.add_user("cy"), slack.add_channel("study")
    refused = await slack.wait_response(await slack.slash(cy, study, "checkin lots"))
    assert refused["response_type"] == "ephemeral"
    assert "Usage: `/study checkin [MINUTES [TOPIC…] [LINK]]`" in refused["text"]
    too_long = await slack.wait_response(await slack.slash(cy, study, "checkin 721"))
    assert "Minutes must be a whole number from 1 to 720" in too_long["text"]
    unknown = await slack.wait_response(await slack.slash(cy, study, "dance"))
    assert "There is no subcommand 'dance'" in unknown["text"]
    helped = await slack.wait_response(await slack.slash(cy, study, "help"))
    assert "/study checkin" in text_of(helped)
    with sqlite3.connect(slack_bot.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM checkins").fetchone() == (0,)


async def test_stats_answer_privately_and_the_heatmap_comes_by_direct_message(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    dee, study = slack.add_user("dee"), slack.add_channel("study")
    await slack.wait_response(await slack.slash(dee, study, "checkin 30"))
    stats = await slack.wait_response(await slack.slash(dee, study, "stats week"))
    assert stats["response_type"] == "ephemeral"
    assert "Days studied" in text_of(stats)
    [heatmap] = [f for f in slack.files.values() if f["filename"] == "heatmap.png"]
    assert heatmap["data"].startswith(b"\x89PNG")
    assert slack.problems == []


async def test_stats_still_answer_when_the_heatmap_cannot_be_sent(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    eve, study = slack.add_user("eve", accepts_dms=False), slack.add_channel("study")
    await slack.wait_response(await slack.slash(eve, study, "checkin 30"))
    stats = await slack.wait_response(await slack.slash(eve, study, "stats"))
    assert "Days studied" in text_of(stats)
    assert "I could not send heatmap.png to your direct messages" in text_of(stats)
