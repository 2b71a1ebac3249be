from typing import Any

import discord
import pytest
from discord import app_commands

from bot.discordbot.sync import command_payload, payload_hash, sync_if_changed
from bot.services.bot_state import BotStateService
from bot.store.database import Database


class RecordingTree(app_commands.CommandTree[Any]):
    """A real tree whose sync() records instead of calling Discord."""

    def __init__(self) -> None:
        super().__init__(discord.Client(intents=discord.Intents.none()))
        self.synced: list[int | None] = []

    async def sync(self, *, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        self.synced.append(None if guild is None else guild.id)
        return []


def add_command(tree: RecordingTree, name: str, description: str = "does a thing") -> None:
    async def callback(interaction: discord.Interaction[Any]) -> None:
        raise AssertionError("never invoked here")

    tree.add_command(app_commands.Command(name=name, description=description, callback=callback))


@pytest.fixture
def state(database: Database) -> BotStateService:
    return BotStateService(database)


async def test_first_start_syncs_and_an_unchanged_restart_does_not(
    state: BotStateService,
) -> None:
    tree = RecordingTree()
    add_command(tree, "help")
    first = await sync_if_changed(tree, state, application_id=7, dev_guild_id=None)
    second = await sync_if_changed(tree, state, application_id=7, dev_guild_id=None)
    assert (first.synced, second.synced) == (True, False)
    assert tree.synced == [None]


async def test_a_changed_description_syncs_again(state: BotStateService) -> None:
    tree = RecordingTree()
    add_command(tree, "help", "old words")
    await sync_if_changed(tree, state, application_id=7, dev_guild_id=None)
    tree.remove_command("help")
    add_command(tree, "help", "new words")
    outcome = await sync_if_changed(tree, state, application_id=7, dev_guild_id=None)
    assert outcome.synced
    assert tree.synced == [None, None]


async def test_force_and_other_scopes_sync_even_when_unchanged(state: BotStateService) -> None:
    tree = RecordingTree()
    add_command(tree, "help")
    await sync_if_changed(tree, state, application_id=7, dev_guild_id=None)
    await sync_if_changed(tree, state, application_id=7, dev_guild_id=None, force=True)
    await sync_if_changed(tree, state, application_id=8, dev_guild_id=None)
    dev = await sync_if_changed(tree, state, application_id=7, dev_guild_id=42)
    assert tree.synced == [None, None, None, 42]
    assert dev.scope == "guild:42"
    # The dev server gets a copy of the global commands, so they show up there at once.
    assert [c["name"] for c in command_payload(tree, discord.Object(42))] == ["help"]


def test_hash_ignores_command_order() -> None:
    a = {"name": "a", "type": 1, "description": "x"}
    b = {"name": "b", "type": 1, "description": "y"}
    assert payload_hash([a, b]) == payload_hash([b, a])
    assert payload_hash([a]) != payload_hash([a, b])
