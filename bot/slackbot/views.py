"""The views studybot opens or publishes: the check-in, review and reflection modals, and the
member's App Home tab."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.inputs import MAX_MINUTES, MIN_MINUTES, NOTE_LIMIT, TOPIC_LIMIT
from bot.domain.work import ANSWER_LIMIT, LINK_LIMIT, REVIEW_LIMIT
from bot.messages.daily import check_in_button
from bot.messages.journal import ANSWER_LABEL, REFLECT_TITLE
from bot.messages.model import Message
from bot.messages.plans import HELPED_LABEL, HINDERED_LABEL, REVIEW_TITLE
from bot.slackbot.render import SECTION_LIMIT, escape, fit, mrkdwn, render

CHECKIN_VIEW = "studybot:checkin"
REVIEW_VIEW = "sb:review-modal"
REFLECT_VIEW = "sb:reflect-modal"
VIEW_BLOCKS_LIMIT = 100  # Slack's limit for a modal or a Home tab
VIEW_TITLE_LIMIT = 24  # a modal's title and its buttons


def text_input(
    block: str, label: str, *, optional: bool, multiline: bool, limit: int
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": block,
            "multiline": multiline,
            "max_length": limit,
        },
    }


def checkin_view(channel_id: str) -> dict[str, Any]:
    """The check-in form; `channel_id` is where the group sees the check-in (may be empty)."""
    return {
        "type": "modal",
        "callback_id": CHECKIN_VIEW,
        "private_metadata": channel_id,
        "title": {"type": "plain_text", "text": "Check in"},
        "submit": {"type": "plain_text", "text": "Check in"},
        "blocks": [
            text_input(
                "minutes",
                f"Minutes studied ({MIN_MINUTES}-{MAX_MINUTES})",
                optional=False,
                multiline=False,
                limit=3,
            ),
            text_input(
                "topic", "Topic (optional)", optional=True, multiline=False, limit=TOPIC_LIMIT
            ),
            text_input(
                "note",
                "Note for the group (optional)",
                optional=True,
                multiline=True,
                limit=NOTE_LIMIT,
            ),
            text_input(
                "link",
                "Link to your work (optional)",
                optional=True,
                multiline=False,
                limit=LINK_LIMIT,
            ),
        ],
    }


def modal(callback_id: str, title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": fit(title, VIEW_TITLE_LIMIT)},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": blocks,
    }


def review_view(community_id: str, week: str) -> dict[str, Any]:
    """The week's review form; it names its workspace and week, as the button did."""
    view = modal(
        REVIEW_VIEW,
        REVIEW_TITLE,
        [
            {"type": "context", "elements": [mrkdwn(f"{week}. Only you will ever see this.")]},
            text_input("helped", HELPED_LABEL, optional=True, multiline=True, limit=REVIEW_LIMIT),
            text_input(
                "hindered", HINDERED_LABEL, optional=True, multiline=True, limit=REVIEW_LIMIT
            ),
        ],
    )
    view["private_metadata"] = json.dumps({"community": community_id, "week": week})
    return view


def review_of(view: dict[str, Any]) -> tuple[str, str]:
    """(community id, week) of a submitted review form."""
    found = json.loads(str(view.get("private_metadata") or "{}"))
    return str(found["community"]), str(found["week"])


def reflect_view(question: str) -> dict[str, Any]:
    return modal(
        REFLECT_VIEW,
        REFLECT_TITLE,
        [
            {"type": "section", "text": mrkdwn(fit(escape(question), SECTION_LIMIT))},
            text_input("answer", ANSWER_LABEL, optional=False, multiline=True, limit=ANSWER_LIMIT),
        ],
    )


def done_view(title: str, message: Message) -> dict[str, Any]:
    """What a submitted form turns into: its answer, in place of the form, with Close."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": fit(title, VIEW_TITLE_LIMIT)},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [b for b in render(message).blocks if b["type"] != "actions"],
    }


def submitted_values(view: dict[str, Any]) -> dict[str, str | None]:
    """A submitted form's inputs by block id."""
    return {
        block: next(iter(inputs.values())).get("value")
        for block, inputs in view["state"]["values"].items()
    }


def home_view(parts: list[Message], channel_id: str | None) -> dict[str, Any]:
    """The Home tab: each part drawn as on a message, with dividers, then a "Check in" button."""
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += [b for b in render(part).blocks if b["type"] != "actions"]
    blocks += render(Message(buttons=(check_in_button(),), fallback="Check in")).blocks
    # The last block is the button: the longest parts give way first.
    blocks = (
        blocks[: VIEW_BLOCKS_LIMIT - 1] + blocks[-1:] if len(blocks) > VIEW_BLOCKS_LIMIT else blocks
    )
    return {"type": "home", "private_metadata": channel_id or "", "blocks": blocks}
