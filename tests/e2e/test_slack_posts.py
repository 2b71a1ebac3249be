"""The scheduled posts on Slack, end to end: the daily post at its time, once across restarts, a
crash between sending and recording, and downtime; the weekly post with its card; reminders by
direct message and the buddy round in the channel."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.e2e.conftest import BotClock, tick
from tests.e2e.slack import StartSlack, rows, slack, slack_clock, start_slack, text_of
from tests.fakeslack import FakeChannel, FakeSlack

__all__ = ["slack", "slack_clock", "start_slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e


def post_key(message: dict[str, Any]) -> str:
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("key", ""))


def daily_posts(slack: FakeSlack, channel: FakeChannel) -> list[dict[str, Any]]:
    return [m for m in slack.messages_in(channel) if post_key(m).startswith("daily:")]


def action_ids(message: dict[str, Any]) -> list[str]:
    return [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


async def set_up(slack: FakeSlack, channel: FakeChannel, *words: str) -> None:
    admin = slack.add_user("admin", is_admin=True)
    envelope = await slack.slash(admin, channel, " ".join(("admin", "setup", *words)))
    assert "Set up." in text_of(await slack.wait_response(envelope))


async def test_the_daily_post_goes_out_once_at_its_time_across_restarts_crashes_and_downtime(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    study = slack.add_channel("study")
    slack_clock.set("2026-12-02T07:00:00+00:00")  # 08:00 in Berlin
    bot = await start_slack()
    await set_up(slack, study, "09:00", "Europe/Berlin")
    await tick(bot)
    assert daily_posts(slack, study) == []

    slack_clock.set("2026-12-02T08:00:30+00:00")
    await tick(bot)
    [post] = daily_posts(slack, study)
    assert "Day 1" in text_of(post)
    actions = action_ids(post)
    assert "studybot:checkin" in actions
    assert any(a.startswith("sb:solved:2026-12-02:") for a in actions)

    # Restarted: nothing new.
    await bot.stop()
    bot = await start_slack()
    assert len(daily_posts(slack, study)) == 1

    # As if killed after Slack took the post but before the ledger said so: the post is found
    # in the channel by its metadata, not sent again.
    await bot.stop()
    with sqlite3.connect(bot.database_path) as conn:
        conn.execute("UPDATE scheduled_posts SET status = 'claimed', message_id = NULL")
    bot = await start_slack()
    assert len(daily_posts(slack, study)) == 1
    await bot.wait_for_log("was already in channel")
    assert rows(bot, "SELECT status, message_id FROM scheduled_posts WHERE kind = 'daily'") == [
        ("sent", post["ts"])
    ]

    # Down over the next post time: caught up once at start, as Day 2.
    await bot.stop()
    slack_clock.set("2026-12-03T10:00:00+00:00")
    bot = await start_slack()
    posts = daily_posts(slack, study)
    assert len(posts) == 2
    assert "Day 2" in text_of(posts[1])
    assert slack.problems == []


async def test_the_weekly_post_has_the_card_and_the_buddy_round_mentions_each_member(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    study = slack.add_channel("study")
    bot = await start_slack()
    await set_up(slack, study, "09:00", "Europe/Berlin")
    ada, bo = slack.add_user("ada"), slack.add_user("bo")
    for member in (ada, bo):
        await slack.wait_response(await slack.slash(member, study, "checkin 30"))
        await slack.wait_response(await slack.slash(member, study, "buddy join"))
    slack_clock.set("2026-12-07T08:05:00+00:00")  # Monday 09:05 in Berlin
    await tick(bot)
    weekly = [m for m in slack.messages_in(study) if "1." in text_of(m) and "points" in text_of(m)]
    assert weekly, [text_of(m) for m in slack.messages_in(study)]
    [card] = [f for f in slack.files.values() if f["channel_id"] == study.id]
    assert card["data"].startswith(b"\x89PNG")
    [buddies] = [m for m in slack.messages_in(study) if "Study buddies" in text_of(m)]
    assert f"<@{ada.id}>" in text_of(buddies)
    assert f"<@{bo.id}>" in text_of(buddies)
    assert "<!channel>" not in text_of(buddies)
    assert "<!here>" not in text_of(buddies)
    assert slack.problems == []


async def test_reminders_come_by_direct_message_and_fall_back_to_a_mention_in_the_channel(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    study = slack.add_channel("study")
    slack_clock.set("2026-12-02T09:00:00+00:00")  # 10:00 in Berlin
    bot = await start_slack()
    await set_up(slack, study, "09:00", "Europe/Berlin")
    cy = slack.add_user("cy")
    dee = slack.add_user("dee", accepts_dms=False)
    for member in (cy, dee):
        reply = await slack.wait_response(await slack.slash(member, study, "remind 10:30"))
        assert "10:30" in text_of(reply)
    slack_clock.set("2026-12-02T09:31:00+00:00")
    await tick(bot)
    [nudge] = slack.dms(cy)
    assert "You have not checked in today yet" in text_of(nudge)
    [fallback] = [m for m in slack.messages_in(study) if "not checked in" in text_of(m)]
    assert f"<@{dee.id}>" in text_of(fallback)
    assert f"<@{cy.id}>" not in text_of(fallback)
    await tick(bot)
    assert len(slack.dms(cy)) == 1  # once a day


async def test_an_outage_and_a_429_then_the_daily_post_goes_out_once(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    study = slack.add_channel("study")
    slack_clock.set("2026-12-02T07:00:00+00:00")
    bot = await start_slack(STUDYBOT_TEST_RETRY_SECONDS="0.2")
    await set_up(slack, study, "09:00", "Europe/Berlin")
    slack.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)
    slack.fail_next("chat.postMessage", "internal_error", status=500)
    slack.fail_next("chat.postMessage", "service_unavailable", status=503)
    slack_clock.set("2026-12-02T08:00:30+00:00")
    await tick(bot)
    await bot.wait_for_log("sent to community slack:", within=20)
    assert len(daily_posts(slack, study)) == 1
    assert len(slack.calls_to("chat.postMessage")) >= 4  # the refused three, then the post
    assert rows(bot, "SELECT status FROM scheduled_posts WHERE kind = 'daily'") == [("sent",)]
