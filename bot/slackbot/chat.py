"""The chat port on Slack: Block Kit messages through the Web API, failures as values.

Slack has no nonce, so a post with an idempotency key carries it in the message's metadata,
and before sending it the channel's recent history is searched for that key: a post claimed and
sent before a crash, but never recorded, is found there instead of being sent twice. Sends are
paced to about one a second per channel (Slack's posting limit), and a 429 is honoured: the
SDK's retry handler waits out `Retry-After` once, and a second 429 comes back as UNAVAILABLE
with its `retry_after`. A direct message is posted to the member's user id (Slack delivers it in
the app's DM with them); only files need the DM channel opened.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages.model import Message
from bot.services.ports import SendFailure, SendResult
from bot.slackbot.render import SlackMessage, render

log = logging.getLogger(__name__)

METADATA_EVENT = "studybot_post"
HISTORY_SEARCHED = 100  # a post is looked for among the channel's latest messages
CHANNEL_INTERVAL = 1.0  # seconds between two messages in one channel

NOT_FOUND = {"channel_not_found", "user_not_found", "message_not_found"}
FORBIDDEN = {
    "not_in_channel",
    "is_archived",
    "missing_scope",
    "restricted_action",
    "messages_tab_disabled",
    "cannot_dm_bot",
    "user_disabled",
    "channel_is_archived",
}


def failure_of(exc: SlackApiError) -> SendResult:
    error = str(exc.response.get("error", "")) if exc.response is not None else ""
    status = exc.response.status_code if exc.response is not None else 0
    detail = f"{status} {error}".strip()
    if status == 429 or error == "ratelimited":
        headers = exc.response.headers if exc.response is not None else {}
        retry_after = headers.get("Retry-After") or headers.get("retry-after")
        wait = float(retry_after) if retry_after else None
        return SendResult(failure=SendFailure.UNAVAILABLE, detail=detail, retry_after=wait)
    if error in NOT_FOUND:
        return SendResult(failure=SendFailure.NOT_FOUND, detail=detail)
    if error in FORBIDDEN:
        return SendResult(failure=SendFailure.FORBIDDEN, detail=detail)
    if status >= 500 or error in {"fatal_error", "internal_error", "service_unavailable"}:
        return SendResult(failure=SendFailure.UNAVAILABLE, detail=detail)
    return SendResult(failure=SendFailure.REJECTED, detail=detail)


class ChannelPacer:
    """About one message a second per channel; channels do not wait for each other."""

    def __init__(
        self,
        interval: float = CHANNEL_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}

    async def wait_turn(self, channel_id: str) -> None:
        now = self._monotonic()
        slot = max(now, self._next.get(channel_id, now))
        self._next[channel_id] = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)


class SlackChat:
    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer | None = None) -> None:
        self._client = client
        self._pacer = pacer or ChannelPacer()
        self._dm_channels: dict[str, str] = {}

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        drawn = render(message)
        if key is not None:
            try:
                found = await self._find_posted(channel_id, key)
            except SlackApiError as exc:
                return failure_of(exc)
            except (aiohttp.ClientError, TimeoutError) as exc:
                return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
            if found is not None:
                log.info("post %s was already in channel %s (ts %s)", key, channel_id, found)
                return SendResult(message_ref=found)
            drawn.metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        return await self._send(channel_id, drawn)

    async def direct(self, community_id: str, user_id: str, message: Message) -> SendResult:
        # chat.postMessage to a user id lands in the app's direct messages with them: no
        # conversations.open (a Tier 3 method, about 50 a minute) for each of many reminders.
        return await self._send(user_id, render(message))

    async def direct_file(
        self, user_id: str, filename: str, data: bytes, comment: str
    ) -> SendResult:
        """A file in the member's direct messages (Slack has no ephemeral files)."""
        opened = await self._open_direct(user_id)
        if isinstance(opened, SendResult):
            return opened
        await self._pacer.wait_turn(opened)
        try:
            await self._client.files_upload_v2(
                channel=opened,
                content=data,
                filename=filename,
                title=filename,
                initial_comment=comment,
            )
        except SlackApiError as exc:
            return failure_of(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
        return SendResult(message_ref=opened)

    async def _open_direct(self, user_id: str) -> str | SendResult:
        """The member's direct-message channel id, or why it could not be opened."""
        channel_id = self._dm_channels.get(user_id)
        if channel_id is not None:
            return channel_id
        try:
            opened = await self._client.conversations_open(users=user_id)
        except SlackApiError as exc:
            return failure_of(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
        channel_id = str(opened["channel"]["id"])
        self._dm_channels[user_id] = channel_id
        return channel_id

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        try:
            answer = await self._client.users_info(user=user_id)
        except SlackApiError as exc:
            if exc.response is not None and exc.response.get("error") == "user_not_found":
                return False
            return None
        except (aiohttp.ClientError, TimeoutError):
            return None
        user: dict[str, Any] = answer.get("user") or {}
        return not user.get("deleted", False)

    async def _find_posted(self, channel_id: str, key: str) -> str | None:
        history = await self._client.conversations_history(
            channel=channel_id, limit=HISTORY_SEARCHED, include_all_metadata=True
        )
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return str(message["ts"])
        return None

    async def _send(self, channel_id: str, drawn: SlackMessage) -> SendResult:
        await self._pacer.wait_turn(channel_id)
        try:
            sent = await self._client.chat_postMessage(channel=channel_id, **drawn.post_fields())
            ref = str(sent["ts"])
            if drawn.picture is not None:
                filename, png = drawn.picture
                await self._pacer.wait_turn(channel_id)
                await self._client.files_upload_v2(
                    channel=channel_id, content=png, filename=filename, title=filename
                )
        except SlackApiError as exc:
            return failure_of(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
        return SendResult(message_ref=ref)
