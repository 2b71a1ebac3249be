"""Showing work: /share, "Useful" votes and /portfolio. Votes are not points: links earn
nothing, so there is nothing to farm."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.days import local_day
from bot.domain.inputs import clean_text
from bot.domain.work import TITLE_LIMIT, parse_kind, parse_link, week_of
from bot.errors import UserError
from bot.services.members import ensure_member, iso, zone_of
from bot.store import shared_work
from bot.store.database import Database
from bot.store.shared_work import SharedItem

PORTFOLIO_SIZE = 10
WEEK_TOP = 5


@dataclass(frozen=True)
class Vote:
    item: SharedItem
    added: bool  # False: the member took their vote back


class SharingService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def share(
        self,
        community_id: str,
        user_id: str,
        name: str,
        title: str | None,
        link: str | None,
        kind: str | None,
    ) -> SharedItem:
        checked_title = clean_text(title, "title", TITLE_LIMIT)
        if checked_title is None:
            raise UserError("share_needs", what="title")
        checked_link = parse_link(link)
        if checked_link is None:
            raise UserError("share_needs", what="link")
        checked_kind = parse_kind(kind)
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await ensure_member(conn, community_id, user_id, name, iso(self._clock))
            week = week_of(local_day(now, (await zone_of(conn, community_id, user_id)).server))
            item_id = await conn.run(
                shared_work.add,
                community_id,
                user_id,
                checked_title,
                checked_link,
                checked_kind,
                iso(self._clock),
                week,
            )
            item = await conn.run(shared_work.get, item_id)
        assert item is not None  # just added, in this transaction
        return item

    async def vote(self, community_id: str, item_id: int, user_id: str, name: str) -> Vote:
        """One vote per member, none for one's own work; a second press takes it back."""
        async with self._db.transaction() as conn:
            item = await conn.run(shared_work.get, item_id)
            if item is None or item.community_id != community_id:
                raise UserError("share_gone")
            if item.user_id == user_id:
                raise UserError("own_share")
            await ensure_member(conn, community_id, user_id, name, iso(self._clock))
            added = await conn.run(
                shared_work.toggle_vote, item_id, community_id, user_id, iso(self._clock)
            )
            counted = await conn.run(shared_work.get, item_id)
        assert counted is not None
        return Vote(counted, added)

    async def portfolio(self, community_id: str, user_id: str) -> list[SharedItem]:
        async with self._db.reader() as conn:
            return await conn.run(shared_work.of_member, community_id, user_id, PORTFOLIO_SIZE)

    async def top_of_week(self, community_id: str, week: str) -> list[SharedItem]:
        async with self._db.reader() as conn:
            return await conn.run(shared_work.top_of_week, community_id, week, WEEK_TOP)
