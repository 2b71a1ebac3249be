"""A ChatPort that records what the services send, for tests of the services alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.messages.model import Message, Text
from bot.messages.plain import plain_line
from bot.services.ports import SendFailure, SendResult


def plain(pieces: Text) -> str:
    """Inline text as a member would read it (commands as Discord spells them)."""
    return plain_line(pieces, "discord")


@dataclass(frozen=True)
class Sent:
    community_id: str
    to: str  # a channel id for posts, a user id for direct messages
    message: Message
    key: str | None = None

    @property
    def title(self) -> str:
        return plain(self.message.sections[0].title) if self.message.sections else ""

    @property
    def day_number(self) -> int:
        """N of a daily post's "Day N: ..." title."""
        return int(self.title.split(":")[0].removeprefix("Day "))

    @property
    def text(self) -> str:
        """Everything the message says, one line per row, sections after the content."""
        rows = [plain(row) for row in self.message.content]
        for section in self.message.sections:
            rows.append(plain(section.title))
            rows += [plain(row) for row in section.body]
            for f in section.fields:
                rows.append(f.name)
                rows += [plain(row) for row in f.value]
            rows.append(plain(section.footer))
        return "\n".join(rows)


@dataclass
class RecordingChat:
    posts: list[Sent] = field(default_factory=list)
    directs: list[Sent] = field(default_factory=list)
    failures: dict[str, list[SendResult]] = field(default_factory=dict)  # by channel, in order
    closed_dms: set[str] = field(default_factory=set)
    departed: set[str] = field(default_factory=set)
    channels_gone: set[str] = field(default_factory=set)
    _by_key: dict[tuple[str, str, str], str] = field(default_factory=dict)

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        if channel_id in self.channels_gone:
            return SendResult(failure=SendFailure.NOT_FOUND, detail="404 Unknown Channel")
        queued = self.failures.get(channel_id)
        if queued:
            return queued.pop(0)
        if key is not None and (community_id, channel_id, key) in self._by_key:
            # Like a platform honouring an idempotency key: the first message, not a second.
            return SendResult(message_ref=self._by_key[(community_id, channel_id, key)])
        self.posts.append(Sent(community_id, channel_id, message, key))
        ref = str(1000 + len(self.posts))
        if key is not None:
            self._by_key[(community_id, channel_id, key)] = ref
        return SendResult(message_ref=ref)

    async def direct(self, community_id: str, user_id: str, message: Message) -> SendResult:
        if user_id in self.closed_dms:
            return SendResult(failure=SendFailure.FORBIDDEN, detail="50007")
        self.directs.append(Sent(community_id, user_id, message))
        return SendResult(message_ref=str(5000 + len(self.directs)))

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        return user_id not in self.departed

    def in_channel(self, channel_id: str) -> list[Sent]:
        return [sent for sent in self.posts if sent.to == channel_id]

    @property
    def daily(self) -> list[Sent]:
        return [sent for sent in self.posts if (sent.key or "").startswith("daily:")]

    @property
    def weekly(self) -> list[Sent]:
        return [sent for sent in self.posts if (sent.key or "").startswith("weekly:")]
