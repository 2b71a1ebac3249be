from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "studybot.db")
    try:
        yield db
    finally:
        await db.close()
