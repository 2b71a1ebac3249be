"""Reflection: answering the day's question from the curriculum, in a journal only its writer
sees. A reflection is not a check-in: no points, no streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.clock import Clock
from bot.domain.days import local_day
from bot.domain.inputs import clean_text
from bot.domain.work import ANSWER_LIMIT
from bot.errors import UserError
from bot.services.content import ContentService
from bot.services.members import ensure_member, iso, zone_of
from bot.store import reflections
from bot.store.database import Database
from bot.store.reflections import JournalEntry

JOURNAL_SIZE = 10


@dataclass(frozen=True)
class Reflection:
    day: date
    question: str
    replaced: bool  # a second answer today replaces the first


class JournalService:
    def __init__(self, db: Database, clock: Clock, content: ContentService) -> None:
        self._db = db
        self._clock = clock
        self._content = content

    async def question(self, community_id: str) -> str:
        """Today's reflection question: the one of the study day the group is on."""
        return (await self._content.today(community_id)).day.reflection

    async def reflect(
        self, community_id: str, user_id: str, name: str, answer: str | None
    ) -> Reflection:
        text = clean_text(answer, "answer", ANSWER_LIMIT, multiline=True)
        if text is None:
            raise UserError("empty_answer")
        question = await self.question(community_id)
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, iso(self._clock))
            today = local_day(self._clock.now(), (await zone_of(conn, community_id, user_id)).zone)
            replaced = await conn.run(
                reflections.write,
                community_id,
                user_id,
                today.isoformat(),
                question,
                text,
                iso(self._clock),
            )
        return Reflection(today, question, replaced)

    async def journal(self, community_id: str, user_id: str) -> list[JournalEntry]:
        async with self._db.reader() as conn:
            return await conn.run(reflections.latest, community_id, user_id, JOURNAL_SIZE)
