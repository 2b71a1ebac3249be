"""LeetCode as a problem source and as proof of a solve.

The daily challenge is fetched once per date for every server and cached in the database;
whatever goes wrong (timeout, refusal, a malformed answer, a paid-only problem), the caller
gets None and falls back to the bundled bank, and the log says why. Member lookups are
rate-limited to one LeetCode request per member per minute, and answers are reused for that
minute.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from bot.clock import Clock
from bot.content.model import Problem, ProblemBank
from bot.errors import UserError
from bot.leetcode import AcceptedSubmission, LeetCodeClient, LeetCodeError, Profile
from bot.services.members import ensure_member
from bot.store import leetcode as store_leetcode
from bot.store.database import Database
from bot.store.leetcode import DailyRow

log = logging.getLogger(__name__)

MEMBER_INTERVAL_SECONDS = 60
FAILED_FETCH_BACKOFF_SECONDS = 300
USERNAME = re.compile(r"[A-Za-z0-9_-]{1,30}")
GENERIC_HINT = "Write the brute force first, then look for the work it repeats."
T = TypeVar("T")


@dataclass(frozen=True)
class PendingLink:
    username: str
    code: str


class LeetCodeService:
    def __init__(
        self, db: Database, clock: Clock, client: LeetCodeClient, bank: ProblemBank
    ) -> None:
        self._db = db
        self._clock = clock
        self._client = client
        self._hints = {p.slug: p.hint for p in bank.problems}
        self._failed_fetch_at: datetime | None = None
        self._member_answers: dict[tuple[str, str, str], tuple[datetime, object]] = {}
        # One fetch at a time: servers posting in the same minute wait for the first one's
        # answer (then read it from the cache) instead of each asking LeetCode.
        self._fetching = asyncio.Lock()

    # --- the daily challenge ---------------------------------------------------------------

    async def daily_problem(self, utc_date: date) -> Problem | None:
        """LeetCode's daily challenge for `utc_date`, from the cache or fetched once."""
        cached = await self._cached_daily(utc_date)
        if cached is not None:
            return cached
        async with self._fetching:
            return await self._cached_daily(utc_date) or await self._fetch_daily(utc_date)

    async def _fetch_daily(self, utc_date: date) -> Problem | None:
        now = self._clock.now()
        if utc_date != now.astimezone(UTC).date():
            return None  # only today's challenge can be fetched
        if (
            self._failed_fetch_at
            and (now - self._failed_fetch_at).total_seconds() < FAILED_FETCH_BACKOFF_SECONDS
        ):
            return None
        try:
            daily = await self._client.daily_challenge()
            if daily.paid_only:
                raise LeetCodeError(f"today's challenge {daily.slug!r} is for paying members only")
            if daily.date != utc_date:
                raise LeetCodeError(
                    f"LeetCode's active challenge is dated {daily.date}, not {utc_date}"
                )
        except LeetCodeError as exc:
            self._failed_fetch_at = now
            log.warning("LeetCode daily challenge unavailable, using the bundled bank: %s", exc)
            return None
        row = DailyRow(daily.slug, daily.title, daily.difficulty, daily.url, tuple(daily.topics))
        async with self._db.transaction() as conn:
            await conn.run(store_leetcode.cache_daily, utc_date.isoformat(), row, now.isoformat())
        log.info("LeetCode daily challenge for %s: %s", utc_date, daily.slug)
        return await self._cached_daily(utc_date)

    async def _cached_daily(self, utc_date: date) -> Problem | None:
        async with self._db.reader() as conn:
            row = await conn.run(store_leetcode.cached_daily, utc_date.isoformat())
        if row is None:
            return None
        return Problem(
            id=row.slug,
            title=row.title,
            slug=row.slug,
            difficulty=row.difficulty,
            topics=row.topics,
            url=row.url,
            hint=self._hints.get(row.slug, GENERIC_HINT),
        )

    # --- linked accounts -------------------------------------------------------------------

    async def start_link(
        self, community_id: str, user_id: str, name: str, username: str
    ) -> PendingLink:
        username = username.strip()
        if not USERNAME.fullmatch(username):
            raise UserError("leetcode_username", username=username)
        code = f"studybot-{secrets.token_hex(3)}"
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, now)
            await conn.run(store_leetcode.start_link, community_id, user_id, username, code, now)
        return PendingLink(username, code)

    async def verify_link(self, community_id: str, user_id: str) -> str:
        async with self._db.reader() as conn:
            link = await conn.run(store_leetcode.link_of, community_id, user_id)
        if link is None:
            raise UserError("leetcode_link_first")
        username, code, verified_at = link.username, link.code, link.verified_at
        if verified_at:
            return str(username)
        profile, _ = await self._per_member(
            ("profile", community_id, user_id), lambda: self._client.profile(username)
        )
        if profile is None:
            raise UserError("leetcode_no_profile", username=username)
        assert isinstance(profile, Profile)
        if code not in profile.real_name and code not in profile.about_me:
            raise UserError("leetcode_code_missing", code=code, username=username)
        async with self._db.transaction() as conn:
            now = self._clock.now().isoformat()
            if not await conn.run(store_leetcode.mark_verified, community_id, user_id, link, now):
                raise UserError("leetcode_link_changed")
        return str(username)

    async def unlink(self, community_id: str, user_id: str) -> bool:
        async with self._db.transaction() as conn:
            return await conn.run(store_leetcode.unlink, community_id, user_id)

    async def linked_username(self, community_id: str, user_id: str) -> str | None:
        async with self._db.reader() as conn:
            return await conn.run(store_leetcode.verified_username, community_id, user_id)

    async def solved_since(
        self, community_id: str, user_id: str, username: str, slug: str, since: datetime
    ) -> tuple[bool, int]:
        """(accepted submission of `slug` at or after `since`, seconds until a fresh check)."""
        submissions, wait = await self._per_member(
            ("recent", community_id, user_id), lambda: self._client.recent_accepted(username)
        )
        assert isinstance(submissions, list)
        cutoff = since.timestamp()
        found = any(
            isinstance(s, AcceptedSubmission) and s.slug == slug and s.timestamp >= cutoff
            for s in submissions
        )
        return found, wait

    async def _per_member(
        self, key: tuple[str, str, str], fetch: Callable[[], Awaitable[T]]
    ) -> tuple[T | object, int]:
        """One LeetCode request per member per minute; the answer is reused meanwhile.

        Returns the answer and how many seconds remain before LeetCode may be asked again.
        """
        now = self._clock.now()
        self._forget_answers_before(now - timedelta(seconds=MEMBER_INTERVAL_SECONDS))
        previous = self._member_answers.get(key)
        if previous is not None:
            asked_at, cached = previous
            wait = MEMBER_INTERVAL_SECONDS - int((now - asked_at).total_seconds())
            if wait > 0:
                if isinstance(cached, UserError):
                    raise UserError("leetcode_asked_too_soon", previous=cached, wait=wait)
                return cached, wait
        try:
            answer: T = await fetch()
        except LeetCodeError as exc:
            log.warning("LeetCode lookup %s failed: %s", key[0], exc)
            error = UserError("leetcode_unavailable", reason=str(exc))
            self._member_answers[key] = (now, error)
            raise error from exc
        self._member_answers[key] = (now, answer)
        return answer, 0

    def _forget_answers_before(self, cutoff: datetime) -> None:
        """Drop answers too old to reuse, so the cache holds about a minute of members."""
        for key in [k for k, (asked_at, _) in self._member_answers.items() if asked_at <= cutoff]:
            del self._member_answers[key]
