"""`studybot curriculum import FILE --community ID`: a custom curriculum from the command line.

Slack has no way to attach a file to a slash command, so on Slack (and, if an organiser prefers,
on Discord) the curriculum comes from the bot's machine. It is validated exactly as a Discord
upload is, and a broken file changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import connect_database
from bot.clock import SystemClock
from bot.content import bundled_bank, bundled_curriculum
from bot.content.loader import ContentError
from bot.domain.ids import platform_of
from bot.errors import UserError
from bot.messages.admin import curriculum_imported, curriculum_refused
from bot.messages.plain import plain_line, plain_text
from bot.messages.refusals import refusal_text
from bot.services.communities import CommunitySettingsService
from bot.services.content import MAX_IMPORT_BYTES, ContentService
from bot.settings import Settings

COMMUNITY = re.compile(r"discord:[0-9]{1,21}|slack:[TE][A-Z0-9]{2,30}")
IMPORTED_BY = "command-line"


class ImportRefused(Exception):
    """One line for the terminal: what was wrong, and what is accepted."""


async def import_curriculum(settings: Settings, path: Path, community_id: str) -> str:
    """The line to print on success; raises ImportRefused with the line on any refusal."""
    if not COMMUNITY.fullmatch(community_id):
        raise ImportRefused(
            f"{community_id!r} is not a community id: use discord:<server id> or "
            "slack:<team id>, as /admin config (or /study admin config) shows it."
        )
    try:
        with path.open("rb") as file:
            data = file.read(MAX_IMPORT_BYTES + 1)  # one byte more says "too big"
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    platform = platform_of(community_id)
    database = await connect_database(settings)
    try:
        clock = SystemClock()
        if not await CommunitySettingsService(database, clock).exists(community_id):
            raise ImportRefused(
                f"studybot has not been used in {community_id} yet; check the id, as "
                "/admin config (or /study admin config) shows it."
            )
        content = ContentService(database, clock, bundled_curriculum(), bundled_bank())
        try:
            curriculum = await content.import_curriculum(community_id, IMPORTED_BY, path.name, data)
        except ContentError as error:
            raise ImportRefused(plain_text(curriculum_refused(error), platform)) from None
        except UserError as error:
            raise ImportRefused(plain_line(refusal_text(error), platform)) from None
        return plain_text(curriculum_imported(curriculum), platform)
    finally:
        await database.close()
