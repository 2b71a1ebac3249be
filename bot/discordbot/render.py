"""Neutral messages drawn as Discord messages: embeds, buttons, a file, and Discord's limits.

Every text is cut to Discord's limits (title 256, description 4,096, field 1,024, footer 2,048,
25 fields, 6,000 characters of embeds per message) whatever the content, so an imported
curriculum can never make a post fail. Text above the embeds is split over several messages
when it passes 2,000 characters or 100 mentions, so a buddy round of any size reaches everyone.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import discord

from bot.discordbot.custom_ids import (
    CHECKIN_BUTTON,
    goal_button,
    review_button,
    solved_button,
    useful_button,
)
from bot.domain.ids import native_id
from bot.messages.model import (
    Accent,
    Action,
    Button,
    Channel,
    Code,
    Command,
    Field,
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

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELDS_PER_EMBED = 25
EMBEDS_LIMIT = 6000  # all embeds of one message together
SHRUNK_DESCRIPTION = 200  # a description that has to give way keeps at least this much
CONTENT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80
MENTIONS_PER_MESSAGE = 100
NAME_LIMIT = 64

COLOURS = {
    Accent.STUDY: discord.Colour.teal(),
    Accent.PROBLEM: discord.Colour.gold(),
    Accent.CHECKIN: discord.Colour.green(),
    Accent.STREAK: discord.Colour.orange(),
    Accent.INFO: discord.Colour.blurple(),
}
STYLES = {Style.SUCCESS: discord.ButtonStyle.success, Style.PRIMARY: discord.ButtonStyle.primary}


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A bracket after an even number of backslashes (none included) is live markdown.
_LIVE_BRACKET = re.compile(r"(\\*)([\[\]])")


def _escape_bracket(match: re.Match[str]) -> str:
    slashes, bracket = match.groups()
    return match[0] if len(slashes) % 2 else f"{slashes}\\{bracket}"


def member_text(text: str) -> str:
    """Text a member wrote, as the bot shows it in public: formatting stays, links stay plain.

    Escaping every live bracket means `[text](url)` can never become a masked link, which
    would hide where a click goes. `discord.utils.escape_markdown` is not enough: it escapes
    only the first link of a line. Mentions in it never ping either: only a message's `pings`
    are allowed to.
    """
    return _LIVE_BRACKET.sub(_escape_bracket, text)


def member_name(text: str) -> str:
    """A member's display name (or a name they chose) on one line, shown literally."""
    flat = " ".join(text.split())[:NAME_LIMIT]
    return member_text(discord.utils.escape_markdown(flat))


def spoiler(text: str) -> str:
    # A "||" inside the hint would end the spoiler early and show the rest.
    return f"||{text.replace('||', '| |')}||"


def piece(inline: Inline) -> str:
    match inline:
        case str():
            return inline
        case Said(text):
            return member_text(text)
        case Name(text):
            return member_name(text)
        case Mention(user_id):
            return f"<@{user_id}>"
        case Channel(channel_id):
            return f"<#{channel_id}>"
        case Link(url, None):
            return url
        case Link(url, label):
            return f"[{label}]({url})"
        case Hidden(text):
            return spoiler(text)
        case Code(text):
            return f"```\n{text}\n```"
        case Command(path, args):
            return "/" + " ".join([*path, *(f"{name}:{example}" for name, example in args)])
        case Place():
            return "server"
    raise TypeError(f"not an inline piece: {inline!r}")


def line(text: Text) -> str:
    return "".join(piece(p) for p in text)


def block(rows: tuple[Text, ...]) -> str:
    return "\n".join(line(row) for row in rows)


def field_values(field: Field) -> list[str]:
    """The field's lines in values of at most 1,024 characters, split between lines."""
    values: list[str] = []
    current = ""
    for row in field.value:
        text = fit(line(row), FIELD_LIMIT)
        candidate = f"{current}\n{text}" if current else text
        if len(candidate) > FIELD_LIMIT:
            values.append(current)
            candidate = text
        current = candidate
    if current:
        values.append(current)
    return values


def embed_of(section: Section, picture: str | None) -> discord.Embed:
    description = block(section.body)
    embed = discord.Embed(
        title=fit(line(section.title), TITLE_LIMIT),
        description=fit(description, DESCRIPTION_LIMIT) if description else None,
        url=section.url,
        colour=COLOURS[section.accent],
    )
    for field in section.fields:
        for index, value in enumerate(field_values(field)):
            name = field.name if index == 0 else f"{field.name} (cont.)"
            if len(embed.fields) < FIELDS_PER_EMBED:
                embed.add_field(name=fit(name, FIELD_NAME_LIMIT), value=value, inline=field.inline)
    if section.footer:
        embed.set_footer(text=fit(line(section.footer), FOOTER_LIMIT))
    if section.shows_image and picture:
        embed.set_image(url=f"attachment://{picture}")
    return embed


def embeds_of(message: Message) -> list[discord.Embed]:
    picture = message.picture.filename if message.picture else None
    embeds = [embed_of(section, picture) for section in message.sections]
    excess = sum(len(e) for e in embeds) - EMBEDS_LIMIT
    # Descriptions (a prompt, a statement) are the only long parts; the longest gives way.
    for embed in sorted(embeds, key=lambda e: -len(e.description or "")):
        if excess <= 0 or not embed.description:
            break
        before = len(embed.description)
        embed.description = fit(embed.description, max(SHRUNK_DESCRIPTION, before - excess))
        excess -= before - len(embed.description)
    return embeds


def custom_id_of(button: Button) -> str:
    match button.action, button.args:
        case Action.CHECK_IN, _:
            return CHECKIN_BUTTON
        case Action.USEFUL, (item_id,):
            return useful_button(item_id)
        case Action.GOAL_DONE, (community_id, week, position):
            return goal_button(native_id(community_id), week, position)
        case Action.WRITE_REVIEW, (community_id, week):
            return review_button(native_id(community_id), week)
        case Action.SOLVED, (problem_id, day):
            return solved_button(problem_id, date.fromisoformat(day))
    raise ValueError(f"no custom id for {button!r}")


def view_of(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """The buttons, drawn. Clicks are answered by the persistent handlers the cogs register
    for these custom ids, so this view is stopped before it is sent: discord.py then keeps no
    copy of it that would take the clicks instead."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(
            discord.ui.Button(
                label=fit(button.label, BUTTON_LABEL_LIMIT),
                emoji=button.emoji,
                style=STYLES[button.style],
                custom_id=custom_id_of(button),
            )
        )
    view.stop()
    return view


def content_parts(message: Message) -> list[str]:
    """The text above the embeds, in messages of at most 2,000 characters and 100 mentions."""
    parts: list[str] = []
    current: list[str] = []
    size = mentions = 0
    for row in message.content:
        text = fit(line(row), CONTENT_LIMIT)
        row_mentions = sum(isinstance(p, Mention) for p in row)
        if current and (
            size + 1 + len(text) > CONTENT_LIMIT or mentions + row_mentions > MENTIONS_PER_MESSAGE
        ):
            parts.append("\n".join(current))
            current, size, mentions = [], 0, 0
        current.append(text)
        size += len(text) + (1 if size else 0)
        mentions += row_mentions
    if current:
        parts.append("\n".join(current))
    return parts


@dataclass
class DiscordMessage:
    """One message to send. Files are made at send time: discord.py reads each one once."""

    content: str | None
    embeds: list[discord.Embed]
    view: discord.ui.View | None
    picture: tuple[str, bytes] | None
    mentions: discord.AllowedMentions

    def send_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"allowed_mentions": self.mentions}
        if self.content:
            fields["content"] = self.content
        if self.embeds:
            fields["embeds"] = self.embeds
        if self.view is not None:
            fields["view"] = self.view
        if self.picture is not None:
            filename, png = self.picture
            fields["file"] = discord.File(io.BytesIO(png), filename=filename)
        return fields


def allowed_mentions(message: Message, text: str) -> discord.AllowedMentions:
    pinged = [user for user in message.pings if f"<@{user}>" in text]
    if not pinged:
        return discord.AllowedMentions.none()
    users = [discord.Object(int(user)) for user in pinged]
    return discord.AllowedMentions(everyone=False, roles=False, users=users)


def render(message: Message) -> list[DiscordMessage]:
    """The message as one Discord message, or several when its text needs it."""
    parts: list[str | None] = [*content_parts(message)] or [None]
    rendered = []
    for index, content in enumerate(parts):
        first = index == 0
        picture = message.picture
        rendered.append(
            DiscordMessage(
                content=content,
                embeds=embeds_of(message) if first else [],
                view=view_of(message.buttons) if first else None,
                picture=(picture.filename, picture.png) if first and picture else None,
                mentions=allowed_mentions(message, content or ""),
            )
        )
    return rendered


async def reply(
    interaction: discord.Interaction[Any], message: Message, *, ephemeral: bool = False
) -> None:
    """Answer an interaction with a message that fits in one Discord message."""
    [only] = render(message)
    await send_rendered(interaction, only, ephemeral=ephemeral)


async def send_rendered(
    interaction: discord.Interaction[Any], message: DiscordMessage, *, ephemeral: bool = False
) -> None:
    """Answer with a message rendered earlier; its embeds are only read, so it can be reused."""
    await interaction.response.send_message(ephemeral=ephemeral, **message.send_fields())
