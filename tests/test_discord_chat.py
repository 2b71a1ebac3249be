"""The Discord chat adapter: every REST request takes its own turn, and DM channels are reused."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord

from bot.discordbot.chat import DiscordChat
from bot.discordbot.pacing import PacedSender
from bot.services.ports import SendFailure


class CountingPacer(PacedSender):
    def __init__(self) -> None:
        super().__init__()
        self.turns = 0

    async def wait_turn(self) -> None:
        self.turns += 1


class FakeRest:
    """Stands in for discord.py's HTTP client and channels, counting what would be requested."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.unknown_channels: set[int] = set()

    async def start_private_message(self, user_id: int) -> dict[str, Any]:
        self.requests.append(f"open dm {user_id}")
        return {"id": str(900 + user_id)}

    async def get_member(self, guild_id: int, user_id: int) -> dict[str, Any]:
        self.requests.append(f"member {guild_id}/{user_id}")
        return {}

    def get_partial_messageable(self, channel_id: int, **_: object) -> object:
        async def send(**fields: object) -> object:
            self.requests.append(f"send {channel_id}")
            if channel_id in self.unknown_channels:
                response = SimpleNamespace(status=404, reason="Not Found")
                raise discord.NotFound(response, {"code": 10003, "message": "Unknown Channel"})  # type: ignore[arg-type]
            return SimpleNamespace(id=1)

        return SimpleNamespace(send=send)


def adapter() -> tuple[DiscordChat, FakeRest, CountingPacer]:
    rest, pacer = FakeRest(), CountingPacer()
    bot = SimpleNamespace(http=rest, get_partial_messageable=rest.get_partial_messageable)
    return DiscordChat(bot, pacer), rest, pacer  # type: ignore[arg-type]


async def test_a_first_dm_is_two_requests_and_two_turns_then_one_of_each() -> None:
    chat, rest, pacer = adapter()
    assert (await chat.send_direct("7", "hi")).ok
    assert rest.requests == ["open dm 7", "send 907"]
    assert pacer.turns == 2
    assert (await chat.send_direct("7", "again")).ok
    assert rest.requests[2:] == ["send 907"]
    assert pacer.turns == 3


async def test_a_dm_channel_that_is_gone_is_opened_again_next_time() -> None:
    chat, rest, pacer = adapter()
    await chat.send_direct("7", "hi")
    rest.unknown_channels.add(907)
    assert (await chat.send_direct("7", "hi")).failure is SendFailure.NOT_FOUND
    rest.unknown_channels.clear()
    assert (await chat.send_direct("7", "hi")).ok
    assert rest.requests[-2:] == ["open dm 7", "send 907"]
    assert pacer.turns == len(rest.requests)


async def test_member_checks_take_a_turn_each() -> None:
    chat, rest, pacer = adapter()
    assert await chat.still_member("discord:1", "2") is True
    assert await chat.still_member("discord:1", "3") is True
    assert rest.requests == ["member 1/2", "member 1/3"]  # the bare guild id, as Discord wants
    assert pacer.turns == len(rest.requests) == 2
