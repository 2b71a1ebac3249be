"""The views studybot opens or publishes: the check-in modal and the member's App Home tab."""

from __future__ import annotations

from typing import Any

from bot.domain.inputs import MAX_MINUTES, MIN_MINUTES, NOTE_LIMIT, TOPIC_LIMIT
from bot.messages.daily import check_in_button
from bot.messages.model import Message
from bot.slackbot.render import render

CHECKIN_VIEW = "studybot:checkin"
VIEW_BLOCKS_LIMIT = 100  # Slack's limit for a modal or a Home tab


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
        ],
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
