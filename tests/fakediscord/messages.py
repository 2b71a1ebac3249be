"""Messages as the fake stores them, and the attachments and components inside them."""

from __future__ import annotations

import itertools
import re
import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .payloads import EPHEMERAL, LOADING, iso, utcnow


@dataclass(frozen=True)
class FakeFile:
    """A file the bot uploaded (or a member attaches to a command option)."""

    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return None


def attachment_payload(attachment_id: int, file: FakeFile, url: str) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(attachment_id),
        "filename": file.filename,
        "size": file.size,
        "url": url,
        "proxy_url": url,
        "flags": 0,
    }
    if file.content_type:
        payload["content_type"] = file.content_type
    if file.description:
        payload["description"] = file.description
    dims = _png_size(file.data)
    if dims:
        payload["width"], payload["height"] = dims
    return payload


@dataclass(eq=False)
class StoredMessage:
    """A message as the fake keeps it; `to_payload()` is what Discord would answer."""

    id: int
    channel_id: int
    author: dict[str, Any]
    guild_id: int | None = None
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: list[FakeFile] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    nonce: str | int | None = None
    tts: bool = False
    type: int = 0
    timestamp: datetime = field(default_factory=utcnow)
    edited_timestamp: datetime | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    poll: dict[str, Any] | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    mention_roles: list[str] = field(default_factory=list)
    mention_everyone: bool = False
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def text(self) -> str:
        """Content, embed texts and text displays, one per line, for `"phrase" in msg.text`."""
        parts: list[Any] = [self.content]
        for embed in self.embeds:
            parts += [(embed.get("author") or {}).get("name"), embed.get("title")]
            parts.append(embed.get("description"))
            for embed_field in embed.get("fields") or []:
                parts += [embed_field.get("name"), embed_field.get("value")]
            parts.append((embed.get("footer") or {}).get("text"))
        parts += [c.get("content") for c in walk_components(self.components) if c["type"] == 10]
        return "\n".join(p for p in parts if p)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]

    def component(self, custom_id: str) -> dict[str, Any] | None:
        return next(
            (c for c in walk_components(self.components) if c.get("custom_id") == custom_id), None
        )

    @property
    def pinged_user_ids(self) -> set[int]:
        """Users this message notifies, after `allowed_mentions` (what a member would see)."""
        parsed = {int(u["id"]) for u in self.mentions}
        rules = self.allowed_mentions
        if rules is None:
            return parsed
        allowed = {int(u) for u in rules.get("users") or []}
        if "users" in (rules.get("parse") or []):
            allowed = parsed
        return parsed & allowed

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": self.type,
            "content": self.content,
            "mentions": self.mentions,
            "mention_roles": self.mention_roles,
            "attachments": self.attachments,
            "embeds": self.embeds,
            "timestamp": iso(self.timestamp),
            "edited_timestamp": iso(self.edited_timestamp),
            "flags": self.flags,
            "components": self.components,
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author,
            "pinned": False,
            "mention_everyone": self.mention_everyone,
            "tts": self.tts,
        }
        if self.nonce is not None:
            payload["nonce"] = self.nonce
        for key in ("webhook_id", "application_id"):
            value = getattr(self, key)
            if value is not None:
                payload[key] = str(value)
        if self.interaction_metadata is not None:
            payload["interaction_metadata"] = self.interaction_metadata
        if self.message_reference is not None:
            payload["message_reference"] = self.message_reference
        if self.poll is not None:
            payload["poll"] = self.poll
        return payload

    def apply(
        self,
        body: Mapping[str, Any],
        uploads: Iterable[tuple[FakeFile, dict[str, Any]]] = (),
        find_user: Callable[[int], dict[str, Any] | None] = lambda _id: None,
    ) -> None:
        """Take the fields present in a create/edit body; `uploads` are (file, attachment)."""
        if "content" in body:
            self.content = body["content"] or ""
        if "embeds" in body:
            self.embeds = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            self.components = number_components(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            # EPHEMERAL and LOADING are decided by Discord, not by an edit.
            self.flags = (self.flags & (EPHEMERAL | LOADING)) | body["flags"]
        if "allowed_mentions" in body:
            self.allowed_mentions = body["allowed_mentions"]
        for key in ("tts", "message_reference", "poll"):
            if key in body:
                setattr(self, key, body[key])
        uploads = list(uploads)
        if "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"] or []}
            kept = [
                (f, a) for f, a in zip(self.files, self.attachments, strict=True) if a["id"] in keep
            ]
            self.files = [f for f, _ in kept]
            self.attachments = [a for _, a in kept]
        self.files += [f for f, _ in uploads]
        self.attachments += [a for _, a in uploads]
        self.mentions = [u for u in map(find_user, _mentioned_ids(self.content)) if u]
        self.mention_roles = re.findall(r"<@&(\d+)>", self.content)
        parse = (self.allowed_mentions or {"parse": ["everyone"]}).get("parse") or []
        self.mention_everyone = "@everyone" in self.content and "everyone" in parse


def _mentioned_ids(content: str) -> list[int]:
    return list(dict.fromkeys(int(m) for m in re.findall(r"<@!?(\d+)>", content)))


def walk_components(components: Iterable[Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every component, depth first, through rows, sections, containers and labels."""
    for component in components:
        yield dict(component)
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store components as Discord returns them.

    Discord assigns the numeric `id` the bot left out, and returns a unicode emoji as just its
    name (discord.py sends `"id": null` beside it).
    """
    counter = itertools.count(1)

    def visit(component: Mapping[str, Any]) -> dict[str, Any]:
        copy = dict(component)
        copy.setdefault("id", next(counter))
        emoji = copy.get("emoji")
        if isinstance(emoji, dict) and emoji.get("id") is None:
            copy["emoji"] = {k: v for k, v in emoji.items() if k not in ("id", "animated")}
        if "components" in copy:
            copy["components"] = [visit(c) for c in copy["components"]]
        for key in ("accessory", "component"):
            if isinstance(copy.get(key), dict):
                copy[key] = visit(copy[key])
        return copy

    return [visit(c) for c in components]
