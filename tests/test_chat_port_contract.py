"""What every ChatPort implementation must do, whichever platform it speaks to.

Each implementation runs the same checks: the recording fake the service tests use (so those
tests stand on a port that behaves like the real ones), and the Discord adapter talking over
real HTTP, through discord.py, to the fake Discord on loopback.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.discordbot.chat import DiscordChat
from bot.discordbot.ids import community_of
from bot.discordbot.pacing import PacedSender
from bot.messages.accountability import buddy_round
from bot.messages.model import Message, Name, Section
from bot.services.ports import ChatPort, SendFailure
from bot.slackbot.chat import ChannelPacer, SlackChat
from bot.slackbot.ids import community_of as community_of_team
from tests.fake_chat import RecordingChat
from tests.fakediscord import FakeDiscord
from tests.fakeslack import FakeSlack


@dataclass
class PortWorld:
    """A port and the world behind it, with the handles the contract needs."""

    port: ChatPort
    community: str
    channel: str
    gone_channel: str
    member: str
    closed_dms: str
    departed: str
    channel_texts: Callable[[str], list[str]]  # what members can read there, oldest first
    dm_texts: Callable[[str], list[str]]


@contextlib.asynccontextmanager
async def recording() -> AsyncIterator[PortWorld]:
    chat = RecordingChat(closed_dms={"2"}, departed={"3"}, channels_gone={"999"})
    yield PortWorld(
        chat,
        "discord:1",
        "300",
        "999",
        "1",
        "2",
        "3",
        lambda channel: [sent.text for sent in chat.in_channel(channel)],
        lambda user: [sent.text for sent in chat.directs if sent.to == user],
    )


def discord_texts(messages: list[object]) -> list[str]:
    texts = []
    for message in messages:
        content = str(getattr(message, "content", ""))
        titles = [str(e.get("title", "")) for e in getattr(message, "embeds", [])]
        texts.append("\n".join([content, *titles]).strip())
    return texts


@contextlib.asynccontextmanager
async def on_fake_discord() -> AsyncIterator[PortWorld]:
    fake = FakeDiscord(token="fake-token")
    await fake.start()
    saved = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base_url
    client = discord.Client(intents=discord.Intents.none())
    try:
        guild = fake.add_guild("group")
        study, gone = guild.channel("study"), guild.add_text_channel("old")
        guild.delete_channel(gone)
        member, closed = guild.add_member("ada"), guild.add_member("bea")
        closed.accepts_dms = False
        await client.login(fake.token)  # REST only: the port needs no gateway
        yield PortWorld(
            DiscordChat(client, PacedSender()),
            community_of(guild.id),
            str(study.id),
            str(gone.id),
            str(member.id),
            str(closed.id),
            str(fake.add_user("cy").id),  # a user who is not (or no longer) in the server
            lambda channel: discord_texts(list(fake.channel_messages(int(channel)))),
            lambda user: discord_texts(list(fake.dms(fake.users[int(user)]))),
        )
    finally:
        await client.close()
        discord.http.Route.BASE = saved
        await fake.close()


def slack_texts(messages: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(m.get("blocks", [])) + m.get("text", "") for m in messages if "blocks" in m]


@contextlib.asynccontextmanager
async def on_fake_slack() -> AsyncIterator[PortWorld]:
    fake = await FakeSlack().start()
    try:
        study = fake.add_channel("study")
        member, closed = fake.add_user("ada"), fake.add_user("bea", accepts_dms=False)
        gone = fake.add_user("cy", deleted=True)
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_base_url)
        yield PortWorld(
            SlackChat(client, ChannelPacer(interval=0)),
            community_of_team(fake.team_id),
            study.id,
            "C0GONE",
            member.id,
            closed.id,
            gone.id,
            lambda channel: slack_texts(fake.messages_in(channel)),
            lambda user: slack_texts(fake.dms(fake.users[user])),
        )
        assert fake.problems == []  # nothing the real Slack would have refused
    finally:
        await fake.close()


IMPLEMENTATIONS = {
    "recording fake": recording,
    "discord": on_fake_discord,
    "slack": on_fake_slack,
}
HELLO = Message(
    sections=(Section(title=("Hello ", Name("ada")), body=(("A body.",),)),),
    fallback="Hello",
)


@pytest.fixture(params=list(IMPLEMENTATIONS))
async def world(request: pytest.FixtureRequest) -> AsyncIterator[PortWorld]:
    async with IMPLEMENTATIONS[request.param]() as port_world:
        yield port_world


async def test_a_post_is_seen_in_the_channel_and_names_its_message(world: PortWorld) -> None:
    result = await world.port.post(world.community, world.channel, HELLO, key="daily:2026-12-02:")
    assert result.ok
    assert isinstance(result.message_ref, str)
    assert result.message_ref
    assert any("Hello ada" in text for text in world.channel_texts(world.channel))


async def test_the_same_key_twice_shows_one_message(world: PortWorld) -> None:
    first = await world.port.post(world.community, world.channel, HELLO, key="daily:2026-12-02:")
    again = await world.port.post(world.community, world.channel, HELLO, key="daily:2026-12-02:")
    assert first.ok
    assert again.ok
    assert first.message_ref == again.message_ref
    assert len(world.channel_texts(world.channel)) == 1


async def test_a_channel_that_is_gone_is_not_found(world: PortWorld) -> None:
    result = await world.port.post(world.community, world.gone_channel, HELLO)
    assert result.failure is SendFailure.NOT_FOUND
    assert not result.ok


async def test_a_direct_message_arrives_or_is_refused_as_forbidden(world: PortWorld) -> None:
    sent = await world.port.direct(world.community, world.member, HELLO)
    assert sent.ok
    assert any("Hello ada" in text for text in world.dm_texts(world.member))
    refused = await world.port.direct(world.community, world.closed_dms, HELLO)
    assert refused.failure is SendFailure.FORBIDDEN


async def test_membership_is_known_for_members_and_for_people_who_left(world: PortWorld) -> None:
    assert await world.port.still_member(world.community, world.member) is True
    assert await world.port.still_member(world.community, world.departed) is False


async def test_a_buddy_round_of_any_size_names_every_member(world: PortWorld) -> None:
    members = [str(10**17 + n) for n in range(151)]
    groups = [tuple(members[i : i + 2]) for i in range(0, 150, 2)]
    groups[-1] = (*groups[-1], members[-1])
    result = await world.port.post(world.community, world.channel, buddy_round(groups))
    assert result.ok
    seen = "\n".join(world.channel_texts(world.channel))
    assert all(member in seen for member in members)
