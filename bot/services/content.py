"""What a server studies today: the curriculum day, the day's problem, solves and imports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from bot.clock import Clock
from bot.content.model import Curriculum, MlProblem, Problem, ProblemBank, StudyDay
from bot.content.untrusted import parse_uploaded_curriculum
from bot.domain.days import local_day
from bot.domain.ids import native_id
from bot.domain.points import problem_points
from bot.domain.schedule import local_instant
from bot.domain.selection import (
    CurriculumPosition,
    curriculum_position,
    parse_pattern,
    problem_index,
    slot_for,
)
from bot.errors import UserError
from bot.services.communities import CommunitySettings, read_settings
from bot.services.leetcode import LeetCodeService
from bot.services.members import ensure_member
from bot.store import communities as store_communities
from bot.store import curricula, posts, solves, totals
from bot.store.database import Database
from bot.store.solves import Solve

MAX_IMPORT_BYTES = 256 * 1024
PROBLEM_SOURCES = ("bundled", "leetcode-daily")


@dataclass(frozen=True)
class TodayStudy:
    curriculum_name: str
    custom: bool
    position: CurriculumPosition
    day: StudyDay
    # False until the first daily post went out: then /today previews what Day 1 will be.
    posted: bool


@dataclass(frozen=True)
class DailyProblem:
    problem: Problem | MlProblem
    day: date
    slot: str
    zone_name: str
    post_instant: datetime


@dataclass(frozen=True)
class SolveResult:
    problem: Problem | MlProblem
    day: date
    points: int
    verified: bool = False


@dataclass(frozen=True)
class ActiveCurriculum:
    curriculum: Curriculum
    custom: bool
    filename: str | None
    imported_at: str | None


class ContentService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        bundled: Curriculum,
        bank: ProblemBank,
        leetcode: LeetCodeService | None = None,
    ) -> None:
        self._db = db
        self._leetcode = leetcode
        self._clock = clock
        self._bundled = bundled
        self._slots: dict[str, list[Problem] | list[MlProblem]] = {
            "E": sorted((p for p in bank.problems if p.difficulty == "Easy"), key=lambda p: p.id),
            "M": sorted((p for p in bank.problems if p.difficulty == "Medium"), key=lambda p: p.id),
            "H": sorted((p for p in bank.problems if p.difficulty == "Hard"), key=lambda p: p.id),
            "X": sorted(bank.ml_problems, key=lambda p: p.id),
        }
        # Each server's parsed import and the digest of its text: one entry per server, so
        # re-imports replace rather than pile up, and a re-import is seen at once.
        self._parsed: dict[str, tuple[str, Curriculum]] = {}

    async def active_curriculum(self, community_id: str) -> ActiveCurriculum:
        async with self._db.reader() as conn:
            stored = await conn.run(curricula.imported, community_id)
        if stored is None:
            return ActiveCurriculum(self._bundled, custom=False, filename=None, imported_at=None)
        source, filename, imported_at = stored.source, stored.filename, stored.imported_at
        digest = hashlib.sha256(source.encode()).hexdigest()
        cached = self._parsed.get(community_id)
        if cached is None or cached[0] != digest:
            cached = (digest, await parse_uploaded_curriculum(source, filename))
            self._parsed[community_id] = cached
        return ActiveCurriculum(cached[1], True, filename, imported_at)

    async def today(self, community_id: str) -> TodayStudy:
        active = await self.active_curriculum(community_id)
        async with self._db.reader() as conn:
            sent = await conn.run(posts.sent_count, community_id, "daily")
        position = curriculum_position(max(sent, 1), len(active.curriculum.days))
        return TodayStudy(
            curriculum_name=active.curriculum.name,
            custom=active.custom,
            position=position,
            day=active.curriculum.days[position.index],
            posted=sent > 0,
        )

    def problem_for(self, community_id: str, day: date, pattern: str) -> Problem | MlProblem:
        """The bundled bank's problem for a server and day (pure: no I/O)."""
        slot = slot_for(day, pattern)
        problems = self._slots[slot]
        return problems[problem_index(native_id(community_id), day, pattern, len(problems))]

    async def problem_of_day(self, community_id: str, day: date) -> Problem | MlProblem:
        """The day's problem from the server's source, the bundled bank if LeetCode fails."""
        async with self._db.reader() as conn:
            settings = await read_settings(conn, community_id)
        return await self._problem_of_day(community_id, day, settings)

    async def _problem_of_day(
        self, community_id: str, day: date, settings: CommunitySettings
    ) -> Problem | MlProblem:
        if settings.source == "leetcode-daily" and self._leetcode is not None:
            # LeetCode dates its challenge in UTC: take the one active at the post time.
            post_instant = local_instant(day, settings.post_time, settings.zone)
            daily = await self._leetcode.daily_problem(post_instant.astimezone(UTC).date())
            if daily is not None:
                return daily
        return self.problem_for(community_id, day, settings.pattern)

    async def current_problem(self, community_id: str) -> DailyProblem:
        """Today's problem once today's post time has passed, until then yesterday's."""
        async with self._db.reader() as conn:
            settings = await read_settings(conn, community_id)
        return await self._current(community_id, settings, self._clock.now())

    async def _current(
        self, community_id: str, settings: CommunitySettings, now: datetime
    ) -> DailyProblem:
        today = local_day(now, settings.zone)
        local_time = now.astimezone(settings.zone).time()
        day = today if local_time >= settings.post_time else today - timedelta(days=1)
        return DailyProblem(
            problem=await self._problem_of_day(community_id, day, settings),
            day=day,
            slot=slot_for(day, settings.pattern),
            zone_name=settings.zone.key,
            post_instant=local_instant(day, settings.post_time, settings.zone),
        )

    async def _verify_solve(self, community_id: str, user_id: str, current: DailyProblem) -> bool:
        """True for a solve LeetCode confirms; False for a self-reported one; raises if refuted."""
        problem = current.problem
        if self._leetcode is None or not isinstance(problem, Problem):
            return False
        username = await self._leetcode.linked_username(community_id, user_id)
        if username is None:
            return False
        found, wait = await self._leetcode.solved_since(
            community_id, user_id, username, problem.slug, current.post_instant
        )
        if not found:
            raise UserError("no_submission", problem=problem.title, username=username, wait=wait)
        return True

    async def solve(
        self,
        community_id: str,
        user_id: str,
        display_name: str,
        expected: tuple[str, date] | None = None,
    ) -> SolveResult:
        """Mark the current problem solved.

        `expected` is the (problem id, day) a daily post's button was made for: an old post's
        button must not solve a different problem.
        """
        now = self._clock.now()
        current = await self.current_problem(community_id)
        problem = current.problem
        if expected is not None and expected != (problem.id, current.day):
            raise UserError("problem_closed", current=problem.title)
        if await self._already_solved(community_id, user_id, problem.id):
            raise UserError("already_solved", problem=problem.title)
        # Asked before the write transaction: a slow LeetCode must never hold up check-ins.
        verified = await self._verify_solve(community_id, user_id, current)
        points = problem_points(problem.difficulty)
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, display_name, now.isoformat())
            solve = Solve(
                community_id,
                user_id,
                problem.id,
                current.day,
                problem.difficulty,
                points,
                verified,
                now.isoformat(),
            )
            if not await conn.run(solves.record, solve):
                raise UserError("already_solved", problem=problem.title)
            server_day = local_day(now, await conn.run(store_communities.zone, community_id))
            add = partial(
                totals.add_to_totals, points=points, solves=1, verified_solves=int(verified)
            )
            await conn.run(add, community_id, user_id, server_day)
        return SolveResult(problem, current.day, points, verified)

    async def _already_solved(self, community_id: str, user_id: str, problem_id: str) -> bool:
        async with self._db.reader() as conn:
            return await conn.run(solves.already_solved, community_id, user_id, problem_id)

    async def import_curriculum(
        self, community_id: str, user_id: str, filename: str, data: bytes
    ) -> Curriculum:
        """Validate and activate an uploaded curriculum; a broken one changes nothing."""
        if not filename.lower().endswith(".toml"):
            raise UserError("curriculum_not_toml", filename=filename)
        if len(data) > MAX_IMPORT_BYTES:
            raise UserError(
                "curriculum_too_big", kib=len(data) // 1024, most_kib=MAX_IMPORT_BYTES // 1024
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError("curriculum_not_utf8") from None
        # Raises ContentError with every problem; parsed in a child process, time-bound.
        curriculum = await parse_uploaded_curriculum(text, filename)
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(store_communities.ensure_community, community_id, now)
            await conn.run(
                curricula.save, community_id, curriculum.name, text, filename, user_id, now
            )
        self._parsed[community_id] = (hashlib.sha256(text.encode()).hexdigest(), curriculum)
        return curriculum

    async def problem_source(self, community_id: str) -> str:
        async with self._db.reader() as conn:
            return (await read_settings(conn, community_id)).source

    async def set_problem_source(self, community_id: str, source: str) -> None:
        if source not in PROBLEM_SOURCES:
            raise UserError("problem_source", sources=PROBLEM_SOURCES)
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(
                store_communities.save_settings, community_id, now, {"problem_source": source}
            )

    async def problem_pattern(self, community_id: str) -> str:
        async with self._db.reader() as conn:
            return (await read_settings(conn, community_id)).pattern

    async def set_problem_pattern(self, community_id: str, raw: str) -> str:
        """Set the weekly difficulty pattern (Monday first, letters E, M, H, X)."""
        pattern = parse_pattern(raw)
        now = self._clock.now().isoformat()
        async with self._db.transaction() as conn:
            await conn.run(
                store_communities.save_settings, community_id, now, {"difficulty_pattern": pattern}
            )
        return pattern

    async def reset_curriculum(self, community_id: str) -> bool:
        """Back to the bundled curriculum; False if it already was."""
        async with self._db.transaction() as conn:
            removed = await conn.run(curricula.remove, community_id)
        self._parsed.pop(community_id, None)
        return removed
