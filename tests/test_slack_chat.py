"""The Slack chat port against the fake Slack: once per key, the card upload, 429s, pacing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages.model import Message, Picture, Section
from bot.services.ports import SendFailure
from bot.slackbot.chat import ChannelPacer, SlackChat
from tests.fakeslack import FakeSlack

COMMUNITY = "slack:T1"
HELLO = Message(sections=(Section(title=("Hello",)),), fallback="Hello")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    yield server
    assert server.problems == []
    await server.close()


def chat_on(fake: FakeSlack) -> SlackChat:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_base_url)
    return SlackChat(client, ChannelPacer(interval=0))


async def test_a_post_sent_before_a_crash_is_found_not_sent_again(fake: FakeSlack) -> None:
    study = fake.add_channel("study")
    first = await chat_on(fake).post(COMMUNITY, study.id, HELLO, key="daily:2026-12-02:")
    # A new process (the ledger never heard back) asks again with the same key.
    again = await chat_on(fake).post(COMMUNITY, study.id, HELLO, key="daily:2026-12-02:")
    assert first.ok
    assert again.message_ref == first.message_ref
    [message] = fake.messages_in(study)
    assert message["metadata"]["event_payload"]["key"] == "daily:2026-12-02:"
    other = await chat_on(fake).post(COMMUNITY, study.id, HELLO, key="daily:2026-12-03:")
    assert other.message_ref != first.message_ref
    assert len(fake.messages_in(study)) == 2


async def test_the_card_goes_up_with_the_external_upload_flow(fake: FakeSlack) -> None:
    study = fake.add_channel("study")
    png = b"\x89PNG\r\n\x1a\n" + b"card" * 100
    weekly = Message(
        sections=(Section(title=("Leaderboard",), shows_image=True),),
        picture=Picture("leaderboard.png", png),
    )
    assert (await chat_on(fake).post(COMMUNITY, study.id, weekly, key="weekly:2026-W49:")).ok
    [upload] = fake.files.values()
    assert (upload["filename"], upload["data"]) == ("leaderboard.png", png)
    assert fake.calls_to("files.upload") == []  # retired by Slack
    assert [m.get("files", [{}])[0].get("id") for m in fake.messages_in(study)][-1] == upload["id"]


async def test_too_many_requests_comes_back_with_how_long_to_wait(fake: FakeSlack) -> None:
    study = fake.add_channel("study")
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=7)
    result = await chat_on(fake).post(COMMUNITY, study.id, HELLO)
    assert result.failure is SendFailure.UNAVAILABLE
    assert result.retry_after == 7


async def test_a_channel_the_bot_is_not_in_is_forbidden(fake: FakeSlack) -> None:
    outside = fake.add_channel("elsewhere", bot_member=False)
    result = await chat_on(fake).post(COMMUNITY, outside.id, HELLO)
    assert result.failure is SendFailure.FORBIDDEN
    assert "not_in_channel" in result.detail


async def test_one_message_a_second_per_channel_and_channels_do_not_wait() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = ChannelPacer(1.0, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(3):
        await pacer.wait_turn("C1")
    await pacer.wait_turn("C2")
    assert slept == [1.0, 2.0]  # the second and third message in C1 wait; C2 does not
