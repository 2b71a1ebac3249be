"""What the bot answered to an interaction: the record the REST side fills in, and `Reply`."""

# Waits take `timeout=` on purpose: tests read better as `await x(timeout=5)`.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .messages import FakeFile, StoredMessage

if TYPE_CHECKING:
    from .members import FakeMember
    from .server import FakeDiscord
    from .world import FakeChannel

T = TypeVar("T")


class Signal:
    """Wakes waiters whenever watched state changes; waits are bounded, never clock-driven."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(
        self, check: Callable[[], T | None], timeout: float, why: Callable[[], str]
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := check()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(why())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), remaining)
        return found


class InteractionRecord:
    """One interaction the fake sent: the bot's callback, original response and followups."""

    def __init__(
        self,
        fake: FakeDiscord,
        payload: dict[str, Any],
        member: FakeMember,
        channel: FakeChannel,
        source: StoredMessage | None,
        trigger: InteractionRecord | None = None,
    ) -> None:
        self.fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.member = member
        self.channel = channel
        self.source = source  # the message a component/modal interaction came from
        self.trigger = trigger  # for a modal submit: the interaction that opened the modal
        self.sent_at = asyncio.get_running_loop().time()
        self.callback: dict[str, Any] | None = None
        self.original: StoredMessage | None = None
        self.finished = False  # a deferred answer has been edited in (or sent as a followup)
        self.followups: list[StoredMessage] = []
        self.error: str | None = None
        self.changed = Signal()

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    async def wait_acknowledged(self, what: str, timeout: float) -> None:
        def why() -> str:
            recent = "; ".join(self.fake.problems[-3:]) or "none"
            return (
                f"the bot did not answer {what} within {timeout} s: sent INTERACTION_CREATE "
                f"id={self.id} type={self.type} data={self.payload['data']}, and nothing came "
                f"back (recent problems: {recent})"
            )

        await self.changed.wait_for(
            lambda: True if self.callback or self.error else None, timeout, why
        )
        if self.error:
            raise AssertionError(f"{what}: {self.error}")


class Reply:
    """What the bot answered to one interaction (live: later edits and followups show up)."""

    def __init__(self, record: InteractionRecord) -> None:
        self.record = record

    @property
    def type(self) -> int:
        """Callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal."""
        return int((self.record.callback or {}).get("type", 0))

    @property
    def interaction(self) -> dict[str, Any]:
        return self.record.payload

    @property
    def message(self) -> StoredMessage | None:
        return self.record.original

    @property
    def deferred(self) -> bool:
        return self.type in (5, 6)

    @property
    def ephemeral(self) -> bool:
        return self.message is not None and self.message.ephemeral

    # The message's fields, empty while there is none (a modal, choices, a pending defer).
    @property
    def content(self) -> str:
        return self.message.content if self.message else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.embeds if self.message else []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.message.components if self.message else []

    @property
    def files(self) -> list[FakeFile]:
        return self.message.files if self.message else []

    @property
    def custom_ids(self) -> list[str]:
        return self.message.custom_ids if self.message else []

    @property
    def text(self) -> str:
        return self.message.text if self.message else ""

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.record.callback.get("data") if self.type == 9 and self.record.callback else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        if self.type != 8 or not self.record.callback:
            return None
        return list((self.record.callback.get("data") or {}).get("choices") or [])

    @property
    def followups(self) -> list[StoredMessage]:
        return list(self.record.followups)

    async def final(self, timeout: float = 10.0) -> StoredMessage:
        """The original response once a deferred answer has been filled in."""
        record = self.record

        def why() -> str:
            return (
                f"interaction {record.id} (callback {self.type}) not completed within {timeout} s"
            )

        return await record.changed.wait_for(
            lambda: record.original if record.finished and record.original else None, timeout, why
        )

    async def wait_followup(self, timeout: float = 10.0, count: int = 1) -> StoredMessage:
        """The `count`-th followup message (1-based), waiting for it if needed."""
        record = self.record

        def why() -> str:
            return f"interaction {record.id}: {len(record.followups)} followup(s), wanted {count}"

        return await record.changed.wait_for(
            lambda: record.followups[count - 1] if len(record.followups) >= count else None,
            timeout,
            why,
        )

    def __repr__(self) -> str:
        return f"<Reply type={self.type} ephemeral={self.ephemeral} text={self.text[:60]!r}>"
