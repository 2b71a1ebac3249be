"""Show your work, plan the week, reflect: end to end on the fake Slack, as test_show_work.py does
on the fake Discord."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from tests.e2e.conftest import BotClock, tick
from tests.e2e.process import BotProcess
from tests.e2e.slack import StartSlack, rows, slack, slack_clock, start_slack, text_of
from tests.fakeslack import FakeChannel, FakeSlack, FakeUser

__all__ = ["slack", "slack_clock", "start_slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e

REPO = "https://github.com/alice/tiny-autograd"
LINK_REFUSED = "must be a web address starting with http:// or https://"


@pytest.fixture
async def slack_bot(start_slack: StartSlack) -> BotProcess:
    # These members run more than the default 10 commands a minute; the limit has its own test.
    return await start_slack(STUDYBOT_COMMANDS_PER_MINUTE="60")


async def ask(slack: FakeSlack, user: FakeUser, channel: FakeChannel, text: str) -> dict[str, Any]:
    return await slack.wait_response(await slack.slash(user, channel, text))


async def press(
    slack: FakeSlack, user: FakeUser, channel: FakeChannel, message: dict[str, Any], action: str
) -> dict[str, Any]:
    return await slack.wait_response(await slack.click(user, channel, message, action))


def action_ids(message: dict[str, Any]) -> list[str]:
    return [
        e["action_id"]
        for b in message.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    ]


async def opened_view(slack: FakeSlack, number: int, within: float = 10.0) -> dict[str, Any]:
    """The `number`th modal the bot opened (views.open comes after the ack)."""
    deadline = time.monotonic() + within
    while len(slack.views_opened) < number:
        if time.monotonic() > deadline:
            raise AssertionError(f"no view number {number} opened within {within} s")
        await asyncio.sleep(0.01)
    return slack.views_opened[number - 1]


def inputs(view: dict[str, Any]) -> list[tuple[str, bool]]:
    return [
        (b["label"]["text"], bool(b["element"].get("multiline")))
        for b in view["blocks"]
        if b["type"] == "input"
    ]


async def submitted(
    slack: FakeSlack, user: FakeUser, view: dict[str, Any], values: dict[str, str]
) -> dict[str, Any]:
    """What the bot acked a form with: its errors, or the view that replaces it."""
    ack = await slack.wait_ack(await slack.submit(user, view, values))
    payload: dict[str, Any] = ack.get("payload") or {}
    return payload


async def test_sharing_votes_and_the_portfolio(slack: FakeSlack, slack_bot: BotProcess) -> None:
    alice, bob, carol = slack.add_user("alice"), slack.add_user("bob"), slack.add_user("carol")
    study = slack.add_channel("study")
    # As Slack sends it: the typed link in angle brackets, @everyone as <!everyone>.
    reply = await ask(
        slack, alice, study, f"share repo <{REPO}> Autograd in 200 lines <!everyone> &lt;b&gt;"
    )
    assert reply["response_type"] == "in_channel"
    assert reply["unfurl_links"] is False  # no preview card of the link
    assert rows(slack_bot, "SELECT title, link, kind FROM shared_items") == [
        ("Autograd in 200 lines @everyone <b>", REPO, "repo")
    ]
    [post] = [m for m in slack.messages_in(study) if "Autograd in 200 lines" in text_of(m)]
    drawn = text_of(post)
    assert REPO in drawn
    assert "<!everyone>" not in drawn  # the title pings nobody
    assert "&lt;b&gt;" in drawn  # and shows what was typed
    [(item_id,)] = rows(slack_bot, "SELECT item_id FROM shared_items")
    useful = f"sb:useful:{item_id}"
    assert action_ids(post) == [useful]

    voted = await press(slack, bob, study, post, useful)
    assert voted["replace_original"] is True
    assert "Useful (1)" in text_of(post)  # redrawn in place, with the count
    assert "1 useful" in text_of(post)
    await press(slack, carol, study, post, useful)
    assert "Useful (2)" in text_of(post)
    await press(slack, bob, study, post, useful)  # pressing again takes the vote back
    assert "Useful (1)" in text_of(post)
    own = await press(slack, alice, study, post, useful)
    assert own["response_type"] == "ephemeral"
    assert own["replace_original"] is False
    assert "your own work" in text_of(own)
    assert "Useful (1)" in text_of(post)
    assert rows(slack_bot, "SELECT user_id FROM share_votes") == [(carol.id,)]
    assert len([m for m in slack.messages_in(study) if "Autograd" in text_of(m)]) == 1

    for bad in (
        "ftp://example.org/x",
        "<ftp://example.org/x>",
        "github.com/alice",
        "javascript:alert(1)",
    ):
        refused = await ask(slack, alice, study, f"share {bad} x")
        assert refused["response_type"] == "ephemeral"
        assert LINK_REFUSED in refused["text"]
        assert "\n" not in refused["text"]  # one line
    too_long = await ask(slack, alice, study, "share https://e.org/" + "a" * 290 + " x")
    assert "at most 300 characters" in too_long["text"]
    untitled = await ask(slack, alice, study, "share https://alice.dev/x")
    assert "Usage: `/study share [KIND] LINK TITLE…`" in untitled["text"]
    assert rows(slack_bot, "SELECT count(*) FROM shared_items") == [(1,)]

    await ask(
        slack,
        alice,
        study,
        "share notes <https://alice.dev/attn|alice.dev/attn> Notes on attention",
    )
    seen = await ask(slack, bob, study, f"portfolio <@{alice.id}|alice>")
    assert seen["response_type"] == "ephemeral"
    shown = text_of(seen)
    assert shown.index("Notes on attention") < shown.index("Autograd in 200 lines")
    assert "1 useful" in shown
    assert "0 useful" in shown
    assert "You have not shared any work yet" in text_of(await ask(slack, bob, study, "portfolio"))
    helped = text_of(await ask(slack, bob, study, "help"))
    for listed in ("share", "portfolio", "plan", "reflect", "journal"):
        assert f"/study {listed}`" in helped
    assert slack.problems == []


async def test_a_plan_its_review_for_planners_only_and_the_weekly_post(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    study = slack.add_channel("study")
    admin = slack.add_user("admin", is_admin=True)
    alice, bob, carol = slack.add_user("alice"), slack.add_user("bob"), slack.add_user("carol")
    slack_clock.set("2026-11-16T10:00:00+00:00")  # Monday of week 47
    bot = await start_slack(STUDYBOT_COMMANDS_PER_MINUTE="60")
    assert "Set up." in text_of(await ask(slack, admin, study, "admin setup 09:00 UTC"))
    none_yet = text_of(await ask(slack, alice, study, "plan"))
    assert "No plan for this week (2026-W47) yet" in none_yet
    assert "/study plan" in none_yet
    assert "at most 5 goals" in text_of(await ask(slack, alice, study, "plan a; b; c; d; e; f"))
    planned = await ask(slack, alice, study, "plan finish chapter 3; two LeetCode mediums")
    assert planned["response_type"] == "ephemeral"
    assert "Goal 1: finish chapter 3" in text_of(planned)
    assert "Goal 2: two LeetCode mediums" in text_of(await ask(slack, alice, study, "plan"))
    await ask(slack, carol, study, "plan rest")
    await ask(slack, carol, study, "away 2026-11-22")  # away the whole week
    await ask(slack, alice, study, "share https://alice.dev/ch3 Chapter 3 notes")

    slack_clock.set("2026-11-23T09:00:30+00:00")  # Monday: the weekly post for week 47
    await tick(bot)
    [weekly] = [m for m in slack.messages_in(study) if "week 47" in text_of(m)]
    assert "2 members planned the week: 0 of 3 goals met." in text_of(weekly)
    assert "Shared this week" in text_of(weekly)
    assert "1. Chapter 3 notes by alice (0 useful)" in text_of(weekly)
    [review] = slack.dms(alice)
    assert "Your week in review" in text_of(review)
    assert slack.dms(bob) == []
    assert slack.dms(carol) == []  # away all week
    dm = slack.dm_channel(alice)
    assert dm is not None
    labels = [
        e["text"]["text"] for b in review["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == ["Done: finish chapter 3", "Done: two LeetCode mediums", "Write a review"]
    done = [a for a in action_ids(review) if a.startswith("sb:goal:")]
    assert done == [f"sb:goal:{slack.team_id}:2026-W47:1", f"sb:goal:{slack.team_id}:2026-W47:2"]
    marked = await press(slack, alice, dm, review, done[0])
    assert marked["response_type"] == "ephemeral"
    assert "1 of 2 goals met in 2026-W47" in text_of(marked)

    await slack.click(alice, dm, review, f"sb:review:{slack.team_id}:2026-W47")
    form = await opened_view(slack, 1)
    assert inputs(form) == [("What helped this week?", True), ("What got in the way?", True)]
    empty = await submitted(slack, alice, form, {})
    assert empty["response_action"] == "errors"
    assert "what helped, what got in the way, or both" in json.dumps(empty)
    saved = await submitted(slack, alice, form, {"helped": "mornings", "hindered": "late nights"})
    assert saved["response_action"] == "update"
    assert "Review saved" in json.dumps(saved["view"])
    assert rows(bot, "SELECT helped, hindered FROM week_plans WHERE user_id = ?", alice.id) == [
        ("mornings", "late nights")
    ]
    await tick(bot)
    assert len(slack.dms(alice)) == 1  # once

    assert "No plan for this week (2026-W48) yet" in text_of(await ask(slack, alice, study, "plan"))
    stats = text_of(await ask(slack, alice, study, "stats"))
    assert "Last week: 1 of 2 goals met." in stats
    assert "No plan for this week yet." in stats
    assert slack.problems == []


async def test_reflections_are_private_a_journal_and_forgetme_removes_it_all(
    slack: FakeSlack, start_slack: StartSlack, slack_clock: BotClock
) -> None:
    alice, bob, study = slack.add_user("alice"), slack.add_user("bob"), slack.add_channel("study")
    slack_clock.set("2026-11-21T10:00:00+00:00")
    bot = await start_slack(STUDYBOT_COMMANDS_PER_MINUTE="60")
    first = await ask(slack, alice, study, f"reflect It broke on numpy 2 &amp; <@{bob.id}|bob>.")
    assert first["response_type"] == "ephemeral"
    assert "Saved" in text_of(first)
    [(question, answer)] = rows(bot, "SELECT question, answer FROM reflections")
    assert answer == "It broke on numpy 2 & @bob."

    await slack.slash(alice, study, "reflect")
    form = await opened_view(slack, 1)
    assert question in json.dumps(form)  # today's question, shown above the answer
    assert "What broke when you rebuilt the environment" in question
    assert inputs(form) == [("Your answer (private)", True)]
    empty = await submitted(slack, alice, form, {"answer": "   "})
    assert empty["response_action"] == "errors"
    assert "Write your answer" in json.dumps(empty)
    again = await submitted(slack, alice, form, {"answer": "Pinning would have caught it."})
    assert again["response_action"] == "update"
    assert "replaces the one you wrote earlier today" in json.dumps(again["view"])

    entries = await ask(slack, alice, study, "journal")
    assert entries["response_type"] == "ephemeral"
    assert "Pinning would have caught it." in text_of(entries)
    assert "It broke on numpy 2" not in text_of(entries)
    assert "2026-11-21" in text_of(entries)
    assert "Your journal is empty" in text_of(await ask(slack, bob, study, "journal"))
    assert "Current streak: 0" in text_of(await ask(slack, alice, study, "streak"))

    await ask(slack, alice, study, "share https://alice.dev/env Env notes")
    await ask(slack, bob, study, "share https://bob.dev/pins Pinning guide")
    [bobs] = [m for m in slack.messages_in(study) if "Pinning guide" in text_of(m)]
    await press(slack, alice, study, bobs, action_ids(bobs)[0])
    await ask(slack, alice, study, "plan pin versions")
    tables = ("reflections", "shared_items", "share_votes", "week_plans", "plan_goals")
    for table in tables:
        assert rows(bot, f"SELECT count(*) FROM {table} WHERE user_id = ?", alice.id) == [(1,)]

    warning = await ask(slack, alice, study, "forgetme")
    confirmed = await press(slack, alice, study, warning, "sb:forget:yes")
    assert "Done: everything about you" in text_of(confirmed)
    for table in tables:
        assert rows(bot, f"SELECT count(*) FROM {table} WHERE user_id = ?", alice.id) == [(0,)]
    assert rows(bot, "SELECT title FROM shared_items") == [("Pinning guide",)]
    assert slack.problems == []
