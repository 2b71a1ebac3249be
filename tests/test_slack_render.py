"""Block Kit for the neutral messages: valid, within the limits, never a ping by accident."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block

from bot.content import bundled_bank, bundled_curriculum
from bot.content.model import MlProblem, Problem
from bot.domain.selection import curriculum_position
from bot.errors import UserError
from bot.messages.accountability import buddy_round, reminder
from bot.messages.daily import daily_post
from bot.messages.model import Message, Said, Section
from bot.messages.refusals import refusal_text
from bot.services.ports import DailyPost
from bot.slackbot.render import (
    BLOCKS_LIMIT,
    CHECKIN_ACTION,
    HINT_ACTION,
    MESSAGE_LIMIT,
    line,
    render,
)
from tests.test_daily_post_limits import longest_day, longest_ml_problem


def check(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= BLOCKS_LIMIT
    for block in blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]  # slack_sdk's own checks
    total = sum(len(json.dumps(block)) for block in blocks)
    assert total < 3 * MESSAGE_LIMIT
    text = sum(len(b.get("text", {}).get("text", "")) for b in blocks)
    assert text <= MESSAGE_LIMIT


def post(problem: Problem | MlProblem) -> DailyPost:
    return DailyPost(
        "C" * 60,
        999,
        curriculum_position(1000, 999),
        longest_day(),
        problem,
        date(2026, 11, 22),
        "America/Argentina/Buenos_Aires",
    )


def test_the_largest_daily_post_is_valid_block_kit_within_the_limits() -> None:
    drawn = render(daily_post(post(longest_ml_problem())))
    check(drawn.blocks)
    assert drawn.text  # every message has its fallback
    actions = [b for b in drawn.blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions[0]["elements"]]
    assert ids == [CHECKIN_ACTION, "sb:solved:2026-11-22:p", HINT_ACTION]


def test_every_bundled_day_renders_and_hints_stay_behind_a_button() -> None:
    curriculum, bank = bundled_curriculum(), bundled_bank()
    problems: list[Problem | MlProblem] = [*bank.problems, *bank.ml_problems]
    for index, day in enumerate(curriculum.days):
        problem = problems[index % len(problems)]
        drawn = render(
            daily_post(
                DailyPost(
                    curriculum.name,
                    len(curriculum.days),
                    curriculum_position(index + 1, len(curriculum.days)),
                    day,
                    problem,
                    date(2026, 11, 21),
                    "Europe/Berlin",
                )
            )
        )
        check(drawn.blocks)
        hint = problem.hint if isinstance(problem, Problem) else problem.hints[0]
        shown = json.dumps([b for b in drawn.blocks if b["type"] != "actions"])
        assert hint[:30] not in shown  # no spoilers on Slack: the hint is not in the post


def test_member_text_never_pings_links_or_breaks_the_markup() -> None:
    hostile = "<!channel> <@U0123ABCD> &lt; <https://evil.example|click> & *bold*"
    drawn = render(Message(sections=(Section(title=("x",), body=((Said(hostile),),)),)))
    body = json.dumps(drawn.blocks)
    assert "<!channel>" not in body
    assert "<@U0123ABCD>" not in body
    assert "<https://evil.example" not in body
    assert "&amp;lt;" in body  # an entity a member typed is shown as typed
    sections = [b for b in drawn.blocks if b["type"] == "section"]
    assert all(b["text"]["verbatim"] is True for b in sections)


def test_only_the_mentions_the_bot_means_are_written_as_mentions() -> None:
    nudge = render(reminder("U1", "<@U2> &", 3, in_channel=True))
    text = json.dumps(nudge.blocks)
    assert "<@U1>" in text
    assert "<@U2>" not in text
    assert "/study checkin" in text  # the command as Slack members type it
    members = [f"U{n:08d}" for n in range(151)]
    groups = [tuple(members[i : i + 2]) for i in range(0, 150, 2)]
    groups[-1] = (*groups[-1], members[-1])
    round_blocks = render(buddy_round(groups)).blocks
    check(round_blocks)
    written = json.dumps(round_blocks)
    assert all(f"<@{member}>" in written for member in members)


def test_refusals_use_slack_command_syntax() -> None:
    assert line(refusal_text(UserError("not_away"))) == (
        "You are not away. (/study away YYYY-MM-DD starts time away.)"
    )
