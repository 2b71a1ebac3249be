"""Messages as plain text, for the terminal: what `studybot` commands print, with commands
spelled as members type them on the community's platform."""

from __future__ import annotations

from bot.messages.model import (
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
    Text,
)

PLACE_NAME = {"discord": "server", "slack": "workspace"}


def plain_piece(inline: Inline, platform: str) -> str:
    match inline:
        case str():
            return inline
        case Said(text) | Name(text) | Hidden(text) | Code(text):
            return text
        case Mention(user_id):
            return f"@{user_id}"
        case Channel(channel_id):
            return f"#{channel_id}"
        case Link(url, label):
            return f"{label} ({url})" if label else url
        case Command(path, args) if platform == "slack":
            return "/study " + " ".join([*path, *(example for _, example in args)])
        case Command(path, args):  # as Discord spells options
            return "/" + " ".join([*path, *(f"{name}:{example}" for name, example in args)])
        case Place():
            return PLACE_NAME.get(platform, "community")
    raise TypeError(f"not an inline piece: {inline!r}")


def plain_line(text: Text, platform: str) -> str:
    return "".join(plain_piece(piece, platform) for piece in text)


def plain_text(message: Message, platform: str) -> str:
    rows = [plain_line(row, platform) for row in message.content]
    for section in message.sections:
        rows.append(plain_line(section.title, platform))
        rows += [plain_line(row, platform) for row in section.body]
        for field in section.fields:
            rows.append(
                f"{field.name}: " + " / ".join(plain_line(v, platform) for v in field.value)
            )
    return "\n".join(rows)
