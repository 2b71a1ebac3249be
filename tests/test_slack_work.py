"""The Slack side of showing work and planning: the new buttons' action ids, the review and
reflection modals, and how `/study share`, `plan` and `reflect` read what Slack sends."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.domain.work import ANSWER_LIMIT
from bot.messages.journal import ANSWER_LABEL
from bot.messages.plans import HELPED_LABEL, HINDERED_LABEL, review_saved, week_review
from bot.messages.work import share_post
from bot.slackbot.presses import GOAL_ACTION, REVIEW_ACTION, USEFUL_ACTION
from bot.slackbot.render import BUTTON_LABEL_LIMIT, render
from bot.slackbot.views import done_view, reflect_view, review_of, review_view
from bot.slackbot.work import share_arguments, typed
from bot.store.plans import Goal, WeekPlan
from bot.store.shared_work import SharedItem
from tests.test_slack_render import check


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def item(votes: int = 0) -> SharedItem:
    return SharedItem(
        42,
        "slack:T0ABC",
        "U1",
        "Autograd <!here> & <@U2>",
        "https://github.com/a/b",
        "repo",
        "2026-11-21T10:00:00+00:00",
        "2026-W47",
        votes,
        "alice",
    )


def test_the_useful_button_carries_the_item_and_the_count() -> None:
    drawn = render(share_post(item(votes=3)))
    check(drawn.blocks)
    [useful] = buttons(drawn.blocks)
    assert useful["action_id"] == "sb:useful:42"
    assert USEFUL_ACTION.fullmatch(useful["action_id"])
    assert useful["text"]["text"] == "👍 Useful (3)"
    shown = str(drawn.blocks)
    assert "<!here>" not in shown  # the title never pings
    assert "<@U2>" not in shown
    assert "&lt;!here&gt; &amp; &lt;@U2&gt;" in shown


def test_review_buttons_name_the_workspace_week_and_goal_and_fit_slack() -> None:
    long_goal = "read " + "the whole chapter " * 30
    plan = WeekPlan("2026-W49", (Goal(1, long_goal, False), Goal(2, "two mediums", True)), False)
    drawn = render(week_review("slack:T0ABC", plan))
    check(drawn.blocks)
    found = buttons(drawn.blocks)
    ids = [b["action_id"] for b in found]
    assert ids == [
        "sb:goal:T0ABC:2026-W49:1",
        "sb:goal:T0ABC:2026-W49:2",
        "sb:review:T0ABC:2026-W49",
    ]
    assert [bool(GOAL_ACTION.fullmatch(i)) for i in ids] == [True, True, False]
    assert REVIEW_ACTION.fullmatch(ids[2])
    labels = [b["text"]["text"] for b in found]
    assert labels[1:] == ["Done: two mediums", "Write a review"]
    assert labels[0].startswith("Done: read the whole chapter")
    assert all(len(label) <= BUTTON_LABEL_LIMIT for label in labels)


def test_a_button_of_another_platform_is_never_drawn_for_slack() -> None:
    plan = WeekPlan("2026-W49", (Goal(1, "x", False),), False)
    with pytest.raises(ValueError, match="not a Slack workspace"):
        render(week_review("discord:123", plan))


def test_the_review_form_asks_both_questions_and_knows_its_workspace_and_week() -> None:
    view = review_view("slack:T0ABC", "2026-W49")
    View(**view).validate_json()
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [HELPED_LABEL, HINDERED_LABEL]
    assert all(b["element"]["multiline"] for b in view["blocks"] if b["type"] == "input")
    assert review_of(view) == ("slack:T0ABC", "2026-W49")
    View(**done_view("Your week in review", review_saved())).validate_json()


def test_the_reflection_form_shows_the_question_as_text_that_cannot_ping() -> None:
    view = reflect_view("What broke? <!channel> & why")
    View(**view).validate_json()
    [question, answer] = view["blocks"]
    assert question["type"] == "section"
    assert question["text"]["text"] == "What broke? &lt;!channel&gt; &amp; why"
    assert answer["label"]["text"] == ANSWER_LABEL
    assert answer["element"]["multiline"] is True
    assert answer["element"]["max_length"] == ANSWER_LIMIT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://a.dev/x My notes", (None, "https://a.dev/x", "My notes")),
        ("<https://a.dev/x> My notes", (None, "https://a.dev/x", "My notes")),
        ("<https://a.dev/x?a=1&amp;b=2|a.dev/x> Title", (None, "https://a.dev/x?a=1&b=2", "Title")),
        (
            "Notes <https://a.dev/x> Notes on attention",
            ("notes", "https://a.dev/x", "Notes on attention"),
        ),
        ("https://a.dev/x notes on attention", (None, "https://a.dev/x", "notes on attention")),
        ("repo", (None, "repo", "")),
        (
            "https://a.dev/x two\nlines",
            (None, "https://a.dev/x", "two lines"),
        ),  # a lone kind word is taken as the (refused) link
        (
            "https://a.dev/x <!here> &lt;b&gt; <@U1|bob>",
            (None, "https://a.dev/x", "@here <b> @bob"),
        ),
    ],
)
def test_share_reads_an_optional_kind_then_the_link_then_the_title(
    raw: str, expected: tuple[str | None, str, str]
) -> None:
    assert share_arguments(raw) == expected


def test_typed_text_keeps_what_the_member_wrote_and_drops_slack_markup() -> None:
    assert typed("ship it <!channel> <#C1|general> <https://x.org|x.org> &amp; &lt;3") == (
        "ship it @channel #general x.org & <3"
    )
    assert typed("<!subteam^S1|@devs> <@U9> <!date^1^{date}|Feb 18>") == "@devs @U9 Feb 18"
