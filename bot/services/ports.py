"""The chat platform as the services see it: a small port each chat adapter implements.

Results and failures come back as plain values, so the posting logic never needs to know
which platform (or which exception types) it is talking to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Protocol

from bot.content.model import MlProblem, Problem, StudyDay
from bot.domain.selection import CurriculumPosition
from bot.messages.model import Message
from bot.services.leaderboard import WeeklySummary
from bot.store.plans import WeekCounts
from bot.store.shared_work import SharedItem


class SendFailure(Enum):
    FORBIDDEN = "forbidden"  # missing permission, or DMs closed: retrying will not help
    NOT_FOUND = "not_found"  # the channel is gone
    UNAVAILABLE = "unavailable"  # the platform had a problem or asked us to slow down
    REJECTED = "rejected"  # anything else the platform refused


@dataclass(frozen=True)
class SendResult:
    message_ref: str | None = None  # the platform's id of the (first) message sent
    failure: SendFailure | None = None
    detail: str = ""
    retry_after: float | None = None  # seconds the platform asked us to wait, if it did

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class DailyPost:
    curriculum_name: str
    total_days: int
    position: CurriculumPosition
    study_day: StudyDay
    problem: Problem | MlProblem
    problem_day: date
    zone_name: str


@dataclass(frozen=True)
class WeeklyPost:
    title: str
    summary: WeeklySummary
    card_png: bytes
    shared: tuple[SharedItem, ...] = ()  # the week's most useful shared work
    plans: WeekCounts | None = None


class ChatPort(Protocol):
    """What the services may ask of a chat platform. Ids are the platform-scoped strings."""

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        """Post in a channel. The same `key` again means the same post: never shown twice."""
        ...

    async def direct(self, community_id: str, user_id: str, message: Message) -> SendResult:
        """A direct message; FORBIDDEN when the member does not accept them."""
        ...

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        """Whether a member is still in the community; None when the platform cannot tell."""
        ...


# Whether this process serves a community: sends its posts and reminders. With Discord's shards
# split across processes, only the one running the server's shard does.
Serves = Callable[[str], bool]


def serves_every_community(community_id: str) -> bool:
    return True
