"""Messages as plain values, built once by the composers and drawn by each chat adapter.

A message is sections (each a title, body, fields, footer and accent), an optional text above
them, buttons that name an action and its arguments, and an optional PNG. Inline text keeps
apart what the bot wrote from what members wrote, so each adapter can escape the latter its own
way; mentions, links, channels and commands are explicit so each platform spells them. Limits
(lengths, counts) are the renderer's job: a composer never cuts text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Said:
    """Text a member wrote: formatting may stay, but it never links, pings or masks a link."""

    text: str


@dataclass(frozen=True)
class Name:
    """A member's display name: one line, shown literally."""

    text: str


@dataclass(frozen=True)
class Mention:
    """A member, addressed; it pings only if the message lists the member in `pings`."""

    user_id: str


@dataclass(frozen=True)
class Channel:
    channel_id: str


@dataclass(frozen=True)
class Link:
    """A link; with a label it shows the label (used only for links the bot or organiser chose)."""

    url: str
    label: str | None = None


@dataclass(frozen=True)
class Hidden:
    """Text behind a click: a spoiler on Discord, a "Show hint" button on Slack."""

    text: str


@dataclass(frozen=True)
class Code:
    """A block of preformatted text."""

    text: str


@dataclass(frozen=True)
class Command:
    """A command by its path, such as ("solved",) or ("admin", "setup"), spelled per platform.

    `args` are (option, example) pairs shown as part of the usage, such as
    (("until", "YYYY-MM-DD"),): Discord writes `/away until:YYYY-MM-DD`.
    """

    path: tuple[str, ...]
    args: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Place:
    """Where the study group lives, as its platform calls it: a server, a workspace."""


PLACE = Place()

# Plain `str` pieces are the bot's own wording (or content an organiser chose), shown as is.
Inline = str | Said | Name | Mention | Channel | Link | Hidden | Code | Command | Place
Text = tuple[Inline, ...]


def text(*pieces: Inline) -> Text:
    return tuple(pieces)


def lines(*rows: Text) -> tuple[Text, ...]:
    return tuple(rows)


class Accent(Enum):
    STUDY = "study"
    PROBLEM = "problem"
    CHECKIN = "checkin"
    STREAK = "streak"
    INFO = "info"


@dataclass(frozen=True)
class Field:
    name: str
    value: tuple[Text, ...]
    inline: bool = False


@dataclass(frozen=True)
class Section:
    title: Text
    body: tuple[Text, ...] = ()
    fields: tuple[Field, ...] = ()
    footer: Text = ()
    accent: Accent = Accent.INFO
    url: str | None = None
    shows_image: bool = False  # the message's picture belongs in this section


class Action(Enum):
    CHECK_IN = "check_in"  # opens the check-in form
    SOLVED = "solved"  # args: problem id, the problem's date (ISO)
    USEFUL = "useful"  # args: the shared item's id
    # Sent in direct messages, so they name the community: args community id, the week
    # (2026-W49) and, for a goal, its position.
    GOAL_DONE = "goal_done"
    WRITE_REVIEW = "write_review"  # opens the week's review form


class Style(Enum):
    SUCCESS = "success"
    PRIMARY = "primary"


@dataclass(frozen=True)
class Button:
    label: str
    action: Action
    args: tuple[str, ...] = ()
    emoji: str | None = None
    style: Style = Style.PRIMARY


@dataclass(frozen=True)
class Picture:
    filename: str
    png: bytes = field(repr=False)


@dataclass(frozen=True)
class Message:
    sections: tuple[Section, ...] = ()
    content: tuple[Text, ...] = ()  # lines of text above the sections
    buttons: tuple[Button, ...] = ()
    picture: Picture | None = None
    pings: tuple[str, ...] = ()  # the only members this message may ping
    fallback: str = ""  # a one-line summary for notifications and screen readers
