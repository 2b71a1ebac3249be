"""The Discord chat adapter: every REST request takes its own turn, and DM channels are reused."""

from __future__ import annotations

import hashlib
import re
from types import SimpleNamespace
from typing import Any

import discord

from bot.discordbot.chat import DiscordChat, failure_of, nonce_for
from bot.discordbot.pacing import PacedSender
from bot.messages.accountability import buddy_round
from bot.messages.model import Message
from bot.services.ports import SendFailure

HI = Message(content=(("hi",),))


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
        self.sent: list[dict[str, object]] = []

    async def start_private_message(self, user_id: int) -> dict[str, Any]:
        self.requests.append(f"open dm {user_id}")
        return {"id": str(900 + user_id)}

    async def get_member(self, guild_id: int, user_id: int) -> dict[str, Any]:
        self.requests.append(f"member {guild_id}/{user_id}")
        return {}

    def get_partial_messageable(self, channel_id: int, **_: object) -> object:
        async def send(**fields: object) -> object:
            self.requests.append(f"send {channel_id}")
            self.sent.append(fields)
            if channel_id in self.unknown_channels:
                response = SimpleNamespace(status=404, reason="Not Found")
                raise discord.NotFound(response, {"code": 10003, "message": "Unknown Channel"})
            return SimpleNamespace(id=1)

        return SimpleNamespace(send=send)


def adapter() -> tuple[DiscordChat, FakeRest, CountingPacer]:
    rest, pacer = FakeRest(), CountingPacer()
    bot = SimpleNamespace(http=rest, get_partial_messageable=rest.get_partial_messageable)
    return DiscordChat(bot, pacer), rest, pacer  # type: ignore[arg-type]


async def test_a_first_dm_is_two_requests_and_two_turns_then_one_of_each() -> None:
    chat, rest, pacer = adapter()
    assert (await chat.direct("discord:1", "7", HI)).ok
    assert rest.requests == ["open dm 7", "send 907"]
    assert pacer.turns == 2
    assert (await chat.direct("discord:1", "7", HI)).ok
    assert rest.requests[2:] == ["send 907"]
    assert pacer.turns == 3


async def test_a_dm_channel_that_is_gone_is_opened_again_next_time() -> None:
    chat, rest, pacer = adapter()
    await chat.direct("discord:1", "7", HI)
    rest.unknown_channels.add(907)
    assert (await chat.direct("discord:1", "7", HI)).failure is SendFailure.NOT_FOUND
    rest.unknown_channels.clear()
    assert (await chat.direct("discord:1", "7", HI)).ok
    assert rest.requests[-2:] == ["open dm 7", "send 907"]
    assert pacer.turns == len(rest.requests)


async def test_member_checks_take_a_turn_each() -> None:
    chat, rest, pacer = adapter()
    assert await chat.still_member("discord:1", "2") is True
    assert await chat.still_member("discord:1", "3") is True
    assert rest.requests == ["member 1/2", "member 1/3"]  # the bare guild id, as Discord wants
    assert pacer.turns == len(rest.requests) == 2


async def test_a_post_carries_the_nonce_releases_before_string_ids_gave_it() -> None:
    chat, rest, _ = adapter()
    result = await chat.post("discord:1", "300", HI, key="daily:2026-11-21:")
    assert result.ok
    assert result.message_ref == "1"
    [fields] = rest.sent
    # sha256 of "<bare guild id>:<period>:<attempt>", as the integer-id release hashed it.
    expected = "sb" + hashlib.sha256(b"1:daily:2026-11-21:").hexdigest()[:23]
    assert fields["nonce"] == nonce_for("discord:1", "daily:2026-11-21:") == expected
    assert len(expected) <= 25


async def test_a_buddy_round_for_150_members_reaches_everyone_in_messages_of_100_mentions() -> None:
    chat, rest, pacer = adapter()
    members = [str(10**17 + n) for n in range(150)]
    groups = [tuple(members[i : i + 2]) for i in range(0, 150, 2)]
    assert (await chat.post("discord:1", "300", buddy_round(groups), key="buddies:W49")).ok
    assert len(rest.sent) == 2
    mentioned: list[str] = []
    for fields in rest.sent:
        content = str(fields["content"])
        assert len(content) <= 2000
        ids = re.findall(r"<@(\d+)>", content)
        assert len(ids) <= 100
        allowed = fields["allowed_mentions"]
        assert isinstance(allowed, discord.AllowedMentions)
        assert isinstance(allowed.users, list)
        assert sorted(str(u.id) for u in allowed.users) == sorted(ids)  # pings exactly them
        mentioned += ids
    assert sorted(mentioned) == sorted(members)
    assert rest.sent[0]["nonce"] != rest.sent[1]["nonce"]
    assert pacer.turns == 2


async def test_too_many_requests_reports_how_long_to_wait() -> None:
    response = SimpleNamespace(
        status=429, reason="Too Many Requests", headers={"Retry-After": "2.5"}
    )
    result = failure_of(discord.HTTPException(response, {"message": "slow down", "code": 0}))
    assert result.failure is SendFailure.UNAVAILABLE
    assert result.retry_after == 2.5
