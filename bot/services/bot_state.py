"""Small facts the bot remembers about itself between runs."""

from __future__ import annotations

from bot.store import bot_state
from bot.store.database import Database


class BotStateService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        async with self._db.reader() as conn:
            return await conn.run(bot_state.get, key)

    async def set(self, key: str, value: str) -> None:
        async with self._db.transaction() as conn:
            await conn.run(bot_state.put, key, value)
