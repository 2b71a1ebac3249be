"""Sync application commands only when they changed.

Discord rate-limits command creation (a couple of hundred a day), and a bot that syncs on
every start can lock itself out after a crash loop. So the payload is hashed and the hash kept
per application and scope; an unchanged command set is not sent again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.services.bot_state import BotStateService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncOutcome:
    scope: str
    synced: bool
    command_count: int


def command_payload(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> list[dict[str, Any]]:
    """Exactly what `tree.sync(guild=...)` would send, without sending it."""
    commands: list[Any] = []
    for kind in (
        discord.AppCommandType.chat_input,
        discord.AppCommandType.user,
        discord.AppCommandType.message,
    ):
        commands.extend(tree.get_commands(guild=guild, type=kind))
    return [command.to_dict(tree) for command in commands]


def payload_hash(payload: list[dict[str, Any]]) -> str:
    canonical = json.dumps(
        sorted(payload, key=lambda c: (c.get("type", 1), c["name"])), sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def sync_if_changed(
    tree: app_commands.CommandTree[Any],
    state: BotStateService,
    *,
    application_id: int,
    dev_guild_id: int | None,
    force: bool = False,
) -> SyncOutcome:
    guild = discord.Object(dev_guild_id) if dev_guild_id is not None else None
    if guild is not None:
        # While developing, the global commands go to one server, where changes show at once.
        tree.copy_global_to(guild=guild)
    scope = "global" if guild is None else f"guild:{guild.id}"
    payload = command_payload(tree, guild)
    digest = payload_hash(payload)
    key = f"command_sync:{application_id}:{scope}"
    if not force and await state.get(key) == digest:
        log.info("commands unchanged since the last sync (%s); not syncing", scope)
        return SyncOutcome(scope, synced=False, command_count=len(payload))
    await tree.sync(guild=guild)
    await state.set(key, digest)
    log.info("synced %d commands (%s)", len(payload), scope)
    return SyncOutcome(scope, synced=True, command_count=len(payload))
