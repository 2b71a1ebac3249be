"""Neutral messages drawn as Slack Block Kit, within Slack's limits.

Limits: at most 50 blocks, section text 3,000, header 150 (plain text), a field's name and
value together in one section, about 12,000 characters in all, and a `text` fallback on every
message (notifications and screen readers read it). Member text is escaped (`&`, `<`, `>`), so it
never pings or links, and every mrkdwn object is `verbatim`, so Slack parses nothing on its own.
Slack has no spoilers: hidden text sits behind a "Show hint" button that answers privately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.messages.model import (
    Action,
    Button,
    Channel,
    Code,
    Command,
    Hidden,
    Inline,
    Link,
    Mention,
    Message,
    Name,
    Place,
    Said,
    Section,
    Style,
    Text,
)
from bot.slackbot.ids import team_of

BLOCKS_LIMIT = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_LIMIT = 2000
BUTTON_VALUE_LIMIT = 2000
MESSAGE_LIMIT = 12_000  # all text of a message together
FALLBACK_LIMIT = 3000
NAME_LIMIT = 64
COMMAND = "/study"

CHECKIN_ACTION = "studybot:checkin"
SOLVED_PREFIX = "sb:solved:"
HINT_ACTION = "sb:hint"
# Show your work and plan the week. Goal and review buttons are pressed in direct messages, so
# their ids carry the workspace (team) they belong to, as on Discord they carry the server.
USEFUL_PREFIX = "sb:useful:"  # then the shared item's id
GOAL_PREFIX = "sb:goal:"  # then team:week:position
REVIEW_PREFIX = "sb:review:"  # then team:week
BUTTON_LABEL_LIMIT = 75


def escape(text: str) -> str:
    """What Slack requires of any text it should show as it is."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bot_text(text: str) -> str:
    # Our own wording uses **bold**; Slack's mrkdwn bold is a single asterisk.
    return escape(text).replace("**", "*")


def command_text(command: Command) -> str:
    words = [COMMAND, *command.path, *(example for _, example in command.args)]
    return " ".join(words)


def piece(inline: Inline) -> str:
    match inline:
        case str():
            return bot_text(inline)
        case Said(text):
            return escape(text)
        case Name(text):
            return escape(" ".join(text.split())[:NAME_LIMIT])
        case Mention(user_id):
            return f"<@{user_id}>"
        case Channel(channel_id):
            return f"<#{channel_id}>"
        case Link(url, label):
            if label is None:
                return f"<{escape(url)}>"
            return f"<{escape(url)}|{escape(label.replace('|', '/'))}>"
        case Hidden():
            return "_(press Show hint)_"
        case Code(text):
            return f"```{escape(text)}```"
        case Command() as command:
            return command_text(command)
        case Place():
            return "workspace"
    raise TypeError(f"not an inline piece: {inline!r}")


def plain_piece(inline: Inline) -> str:
    """For plain_text objects (headers, the fallback): no markup at all."""
    match inline:
        case str() | Said() | Name() | Hidden() | Code():
            return str(getattr(inline, "text", inline))
        case Mention(user_id):
            return f"@{user_id}"
        case Channel(channel_id):
            return f"#{channel_id}"
        case Link(url, label):
            return label or url
        case Command() as command:
            return command_text(command)
        case Place():
            return "workspace"
    raise TypeError(f"not an inline piece: {inline!r}")


def line(text: Text) -> str:
    return "".join(piece(p) for p in text)


def plain(text: Text) -> str:
    return "".join(plain_piece(p) for p in text)


def block_text(rows: tuple[Text, ...]) -> str:
    return "\n".join(line(row) for row in rows)


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def sections_of(text: str) -> list[dict[str, Any]]:
    """Section blocks of at most 3,000 characters each, split between lines where possible."""
    blocks: list[dict[str, Any]] = []
    current = ""
    for row in text.split("\n"):
        row = fit(row, SECTION_LIMIT)
        candidate = f"{current}\n{row}" if current else row
        if len(candidate) > SECTION_LIMIT:
            blocks.append({"type": "section", "text": mrkdwn(current)})
            candidate = row
        current = candidate
    if current.strip():
        blocks.append({"type": "section", "text": mrkdwn(current)})
    return blocks


def hidden_texts(message: Message) -> list[str]:
    found: list[str] = []
    rows = [row for section in message.sections for row in section.body]
    rows += [row for s in message.sections for f in s.fields for row in f.value]
    for row in [*message.content, *rows]:
        found += [p.text for p in row if isinstance(p, Hidden)]
    return found


def section_blocks(section: Section) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": fit(plain(section.title), HEADER_LIMIT)},
        }
    ]
    if section.url:
        blocks.append({"type": "section", "text": mrkdwn(f"<{escape(section.url)}>")})
    blocks += sections_of(block_text(section.body))
    inline_fields = [f for f in section.fields if f.inline]
    for f in section.fields:
        if f.inline and f is not inline_fields[0]:
            continue
        if f.inline:
            # Short fields side by side, as Slack's section fields (10 at most, 2,000 each).
            pairs = [
                mrkdwn(fit(f"*{bot_text(g.name)}*\n{block_text(g.value)}", 2000))
                for g in inline_fields
            ]
            blocks.append({"type": "section", "fields": pairs[:10]})
            continue
        blocks += sections_of(f"*{bot_text(f.name)}*\n{block_text(f.value)}")
    if section.footer:
        blocks.append(
            {"type": "context", "elements": [mrkdwn(fit(line(section.footer), CONTEXT_LIMIT))]}
        )
    return blocks


def action_id_of(button: Button) -> str:
    match button.action:
        case Action.CHECK_IN:
            return CHECKIN_ACTION
        case Action.SOLVED:
            problem_id, day = button.args
            return f"{SOLVED_PREFIX}{date.fromisoformat(day).isoformat()}:{problem_id}"
        case Action.USEFUL:
            (item_id,) = button.args
            return f"{USEFUL_PREFIX}{int(item_id)}"
        case Action.GOAL_DONE:
            community_id, week, position = button.args
            return f"{GOAL_PREFIX}{team_of(community_id)}:{week}:{int(position)}"
        case Action.WRITE_REVIEW:
            community_id, week = button.args
            return f"{REVIEW_PREFIX}{team_of(community_id)}:{week}"
    raise ValueError(f"no Slack action for {button.action}")


def button_of(button: Button) -> dict[str, Any]:
    shown = f"{button.emoji} {button.label}" if button.emoji else button.label
    label = fit(shown, BUTTON_LABEL_LIMIT)  # a button that names a goal can be long
    drawn: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id_of(button),
    }
    if button.style is Style.PRIMARY:
        drawn["style"] = "primary"
    return drawn


@dataclass
class SlackMessage:
    """One chat.postMessage: blocks, the fallback text, and a picture to upload beside it."""

    text: str
    blocks: list[dict[str, Any]]
    picture: tuple[str, bytes] | None = None
    metadata: dict[str, Any] | None = field(default=None)

    def post_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"text": self.text, "blocks": self.blocks, "unfurl_links": False}
        fields["unfurl_media"] = False
        if self.metadata is not None:
            fields["metadata"] = self.metadata
        return fields


def within_limits(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most 50 blocks and about 12,000 characters: the longest sections give way."""

    def size(block: dict[str, Any]) -> int:
        return len(block.get("text", {}).get("text", "")) if "text" in block else 0

    excess = sum(size(b) for b in blocks) - MESSAGE_LIMIT
    for block in sorted(
        (b for b in blocks if b["type"] == "section" and "text" in b), key=size, reverse=True
    ):
        if excess <= 0:
            break
        text = block["text"]["text"]
        keep = max(200, len(text) - excess)
        block["text"]["text"] = fit(text, keep)
        excess -= len(text) - len(block["text"]["text"])
    if len(blocks) > BLOCKS_LIMIT:
        actions = [b for b in blocks if b["type"] == "actions"]
        others = [b for b in blocks if b["type"] != "actions"]
        blocks = others[: BLOCKS_LIMIT - len(actions)] + actions
    return blocks


def render(message: Message) -> SlackMessage:
    blocks = sections_of(block_text(message.content))
    for section in message.sections:
        blocks += section_blocks(section)
    buttons = [button_of(b) for b in message.buttons]
    hidden = hidden_texts(message)
    if hidden:
        buttons.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Show hint"},
                "action_id": HINT_ACTION,
                "value": fit("\n".join(hidden), BUTTON_VALUE_LIMIT),
            }
        )
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    fallback = message.fallback or (plain(message.sections[0].title) if message.sections else "")
    fallback = fallback or "\n".join(plain(row) for row in message.content)
    picture = message.picture
    return SlackMessage(
        text=fit(escape(fallback), FALLBACK_LIMIT),
        blocks=within_limits(blocks),
        picture=(picture.filename, picture.png) if picture else None,
    )
