"""Every LeetCode request the bot makes, in one place: the queries, the headers, the parsing.

LeetCode has no official public API; these are the GraphQL queries its own site uses. Any
answer that is not what we expect becomes a LeetCodeError with a reason, never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import aiohttp

TIMEOUT_SECONDS = 5.0
SITE = "https://leetcode.com"
# What a daily challenge must look like to be posted: the slug goes into button custom ids
# (at most 100 characters, with a prefix), the rest into embeds with their own limits.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 70
MAX_TITLE = 100
MAX_TOPICS = 10
MAX_TOPIC = 40

DAILY_QUERY = """
query questionOfToday {
  activeDailyCodingChallengeQuestion {
    date
    link
    question { questionFrontendId title titleSlug difficulty isPaidOnly topicTags { name slug } }
  }
}
"""
PROFILE_QUERY = """
query userPublicProfile($username: String!) {
  matchedUser(username: $username) { username profile { realName aboutMe } }
}
"""
RECENT_AC_QUERY = """
query recentAcSubmissions($username: String!, $limit: Int!) {
  recentAcSubmissionList(username: $username, limit: $limit) { id title titleSlug timestamp }
}
"""


class LeetCodeError(Exception):
    """LeetCode could not answer usefully; the message says why (for logs and replies)."""


@dataclass(frozen=True)
class DailyChallenge:
    date: date
    question_id: str
    title: str
    slug: str
    difficulty: str
    topics: tuple[str, ...]
    paid_only: bool
    url: str


@dataclass(frozen=True)
class Profile:
    username: str
    real_name: str
    about_me: str


@dataclass(frozen=True)
class AcceptedSubmission:
    slug: str
    title: str
    timestamp: int  # seconds since the epoch, UTC


def check_daily(daily: DailyChallenge) -> None:
    """Raise ValueError for a challenge that parsed but does not fit a post."""
    if len(daily.slug) > MAX_SLUG or not SLUG.fullmatch(daily.slug):
        raise ValueError(f"slug {daily.slug[:80]!r} is not lowercase words joined by '-'")
    if not 0 < len(daily.title) <= MAX_TITLE or "\n" in daily.title:
        raise ValueError(f"title of {len(daily.title)} characters")
    if len(daily.topics) > MAX_TOPICS or any(not 0 < len(t) <= MAX_TOPIC for t in daily.topics):
        raise ValueError(f"{len(daily.topics)} topics, or a topic of the wrong length")
    parts = urlsplit(daily.url)
    if parts.scheme != "https" or parts.hostname != "leetcode.com" or len(daily.url) > 200:
        raise ValueError(f"link {daily.url[:80]!r} is not a leetcode.com page")


class LeetCodeClient:
    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self._url = url
        self._timeout = timeout

    async def _query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        headers = {
            # LeetCode refuses GraphQL requests that do not look like they come from its site.
            "Origin": SITE,
            "Referer": f"{SITE}/",
            "Content-Type": "application/json",
            "User-Agent": "studybot (Discord study group bot)",
        }
        body = {"query": query, "variables": variables}
        try:
            timeout = aiohttp.ClientTimeout(total=self._timeout)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self._url, json=body, headers=headers) as response,
            ):
                if response.status != 200:
                    raise LeetCodeError(f"LeetCode answered HTTP {response.status}")
                payload = await response.json(content_type=None)
        except TimeoutError as exc:
            raise LeetCodeError(f"LeetCode did not answer within {self._timeout:.0f} s") from exc
        except (aiohttp.ClientError, ValueError, RecursionError) as exc:
            # RecursionError: JSON nested deeper than the parser's stack.
            raise LeetCodeError(f"LeetCode request failed: {type(exc).__name__}") from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            raise LeetCodeError("LeetCode's answer had no data")
        data: dict[str, Any] = payload["data"]
        return data

    async def daily_challenge(self) -> DailyChallenge:
        data = await self._query(DAILY_QUERY, {})
        try:
            daily = data["activeDailyCodingChallengeQuestion"]
            question = daily["question"]
            difficulty = str(question["difficulty"])
            if difficulty not in ("Easy", "Medium", "Hard"):
                raise ValueError(f"difficulty {difficulty!r}")
            link = str(daily["link"])
            challenge = DailyChallenge(
                date=date.fromisoformat(str(daily["date"])),
                question_id=str(question["questionFrontendId"]),
                title=str(question["title"]).strip(),
                slug=str(question["titleSlug"]),
                difficulty=difficulty,
                topics=tuple(str(tag["name"]) for tag in question["topicTags"]),
                paid_only=bool(question["isPaidOnly"]),
                url=link if link.startswith("https://") else SITE + link,
            )
            check_daily(challenge)
            return challenge
        except (KeyError, TypeError, ValueError) as exc:
            raise LeetCodeError(f"LeetCode's daily challenge was malformed ({exc})") from exc

    async def profile(self, username: str) -> Profile | None:
        data = await self._query(PROFILE_QUERY, {"username": username})
        user = data.get("matchedUser")
        if user is None:
            return None
        try:
            profile = user.get("profile") or {}
            return Profile(
                username=str(user["username"]),
                real_name=str(profile.get("realName") or ""),
                about_me=str(profile.get("aboutMe") or ""),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise LeetCodeError(f"LeetCode's profile answer was malformed ({exc})") from exc

    async def recent_accepted(self, username: str, limit: int = 20) -> list[AcceptedSubmission]:
        data = await self._query(RECENT_AC_QUERY, {"username": username, "limit": limit})
        try:
            return [
                AcceptedSubmission(str(s["titleSlug"]), str(s["title"]), int(s["timestamp"]))
                for s in data.get("recentAcSubmissionList") or []
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise LeetCodeError(f"LeetCode's submissions answer was malformed ({exc})") from exc
