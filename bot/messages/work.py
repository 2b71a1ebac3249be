"""Shared work: the /share post with its "Useful" button, /portfolio, and the weekly section."""

from __future__ import annotations

from bot.messages.model import (
    Accent,
    Action,
    Button,
    Command,
    Field,
    Link,
    Message,
    Name,
    Said,
    Section,
    Text,
)
from bot.messages.words import plural
from bot.store.shared_work import SharedItem

SHARE = Command(("share",))
KIND_LABELS = {
    "notebook": "📓 notebook",
    "repo": "📦 repository",
    "blog": "✍️ blog post",
    "video": "🎬 video",
    "notes": "🗒️ notes",
    "other": "🔗 work",
}


SHARED_WHAT = {
    "notebook": "a notebook",
    "repo": "a repository",
    "blog": "a blog post",
    "video": "a video",
    "notes": "their notes",
    "other": "their work",
}


def useful(votes: int) -> str:
    return f"{votes} useful"


def share_post(item: SharedItem) -> Message:
    # The link stays inside the section: no preview card of it, and never behind a label.
    section = Section(
        title=(Name(item.author_name), f" shared {SHARED_WHAT[item.kind]}"),
        body=((Said(item.title),), (Link(item.link),)),
        footer=(f"{KIND_LABELS[item.kind]} · {useful(item.votes)}",),
        accent=Accent.STUDY,
    )
    button = Button(f"Useful ({item.votes})", Action.USEFUL, (str(item.item_id),), emoji="👍")
    return Message(
        sections=(section,), buttons=(button,), fallback=f"{item.author_name} shared their work"
    )


def vote_counted(added: bool) -> Message:
    words = "Marked useful: thanks for cheering them on." if added else "Vote taken back."
    return Message(content=((words,),))


def portfolio(name: str, items: list[SharedItem], own: bool) -> Message:
    if not items:
        nothing: Text = (
            ("You have not shared any work yet. Share a notebook, repo or post with ", SHARE, ".")
            if own
            else (Name(name), " has not shared any work yet.")
        )
        return Message(content=(nothing,))
    fields = tuple(
        Field(
            f"{item.shared_at[:10]} · {KIND_LABELS[item.kind]} · {useful(item.votes)}",
            ((Said(item.title),), (Link(item.link),)),
        )
        for item in items
    )
    section = Section(
        title=(Name(name), f"'s portfolio: {len(items)} {plural(len(items), 'piece', 'pieces')}"),
        fields=fields,
        footer=("Newest first.",),
        accent=Accent.STUDY,
    )
    return Message(sections=(section,), fallback=f"{name}'s portfolio")


def shared_this_week(items: list[SharedItem]) -> Field:
    if not items:
        # A command piece, so each platform spells it (Slack: /study share).
        return Field(
            "Shared this week", (("Nothing shared this week. Show your work with ", SHARE, "!"),)
        )
    rows = tuple(
        (
            f"{rank}. ",
            Said(item.title),
            " by ",
            Name(item.author_name),
            f" ({useful(item.votes)}): ",
            Link(item.link),
        )
        for rank, item in enumerate(items, start=1)
    )
    return Field("Shared this week", rows)
