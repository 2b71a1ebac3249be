"""The chat platform as the services see it: a small port the Discord adapter implements.

Results and failures come back as plain values, so the posting logic never needs to know
which platform (or which exception types) it is talking to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Protocol

from bot.content.model import MlProblem, Problem, StudyDay
from bot.domain.selection import CurriculumPosition
from bot.services.leaderboard import WeeklySummary


class SendFailure(Enum):
    FORBIDDEN = "forbidden"  # missing permission: retrying will not help until someone acts
    NOT_FOUND = "not_found"  # the channel is gone
    UNAVAILABLE = "unavailable"  # the platform had a problem (5xx): worth retrying soon
    REJECTED = "rejected"  # anything else the platform refused


@dataclass(frozen=True)
class SendResult:
    message_id: str | None = None
    failure: SendFailure | None = None
    detail: str = ""

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


class ChatPort(Protocol):
    async def send_daily_post(self, channel_id: str, post: DailyPost, nonce: str) -> SendResult:
        """Post the daily message with its Check in and Solved buttons."""
        ...

    async def send_weekly_post(self, channel_id: str, post: WeeklyPost, nonce: str) -> SendResult:
        """Post the weekly leaderboard with its card attached."""
        ...

    async def send_direct(self, user_id: str, text: str) -> SendResult:
        """A direct message; FORBIDDEN when the member does not accept them."""
        ...

    async def send_text(
        self, channel_id: str, text: str, ping_user_ids: tuple[str, ...] = ()
    ) -> SendResult:
        """A plain message that pings exactly `ping_user_ids` and nobody else."""
        ...

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        """Whether a member is still in the community; None when the platform cannot tell."""
        ...
