"""What a `/study` subcommand receives and answers, shared by the member and admin subcommands.

Slash-command text arrives with `&`, `<` and `>` as entities and typed mentions as `<@U…|name>`:
it is decoded once here, so services store plain text (the renderer escapes it on the way out).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.messages.model import Message
from bot.services.catalog import Services
from bot.slackbot.workspace import Workspace

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# Slack's own limit on a command's text; anything longer is not from Slack.
COMMAND_TEXT_LIMIT = 4000


class Usage(Exception):
    """Bad arguments: the reply is the subcommand's usage."""

    def __init__(self, usage: str, problem: str = "") -> None:
        super().__init__(usage)
        self.usage = usage
        self.problem = problem

    def text(self) -> str:
        lead = f"{self.problem} " if self.problem else ""
        return f"{lead}Usage: `/study {self.usage}`"


class Refused(Exception):
    """A refusal worded by the Slack adapter itself (the core's are `UserError`)."""

    def text(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Invocation:
    community_id: str
    user_id: str
    name: str
    channel_id: str
    words: list[str]
    workspace: Workspace
    # The arguments as Slack sent them (entities and markup intact), for subcommands that keep
    # what the member wrote: decoded text cannot tell a typed "<b>" from Slack's own markup.
    raw: str = ""


@dataclass(frozen=True)
class DirectFile:
    """A file for the member's direct messages, with the line that comes with it."""

    filename: str
    data: bytes
    comment: str


@dataclass(frozen=True)
class Answer:
    message: Message
    public: bool = False
    open_checkin_form: bool = False  # answered by opening the modal instead of a reply
    open_view: dict[str, Any] | None = None  # answered by opening this modal instead
    direct_files: tuple[DirectFile, ...] = ()  # Slack cannot attach a file to an ephemeral reply
    buttons: tuple[dict[str, Any], ...] = ()  # Slack-only buttons (confirm, verify)


Handler = Callable[[Services, Invocation], Awaitable[Answer]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    description: str
    handler: Handler
    for_admins: bool = False


def decoded(text: str) -> str:
    """Slack's command text as the member typed it (entities decoded once)."""
    return html.unescape(text)


def parse(text: str) -> tuple[str, list[str]]:
    words = decoded(text[:COMMAND_TEXT_LIMIT]).split()
    if not words:
        return "help", []
    return words[0].lower(), words[1:]


def raw_arguments(text: str) -> str:
    """Everything after the subcommand, as Slack sent it."""
    parts = text[:COMMAND_TEXT_LIMIT].split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def said(message: str) -> Message:
    return Message(content=((message,),))


def mentioned(word: str, usage: str) -> str:
    """The user id of a typed @mention (`<@U…|name>`)."""
    match = MENTION.fullmatch(word)
    if match is None:
        raise Usage(usage, "Name the member with an @mention.")
    return match[1]


def one_member(call: Invocation, usage: str) -> tuple[str, str, bool]:
    """(user id, shown name, own) of the member a subcommand is about."""
    if not call.words:
        return call.user_id, call.name, True
    if len(call.words) > 1:
        raise Usage(usage, "Name one member with an @mention.")
    user_id = mentioned(call.words[0], usage)
    label = call.words[0].partition("|")[2].rstrip(">") or user_id
    return user_id, label, user_id == call.user_id


def button(label: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    drawn: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
    }
    if value:
        drawn["value"] = value
    if style is not None:
        drawn["style"] = style
    return drawn
