"""The chat port on Discord: renders neutral messages, sends them, reports failures as values.

Every REST request made here is one the bot makes on its own (not an interaction reply), so
each takes its own turn from the pacer: Discord's global limit counts requests, not messages.
A post's idempotency key becomes Discord's nonce (with `enforce_nonce`, discord.py's default),
so a repeat sent within minutes is dropped by Discord itself.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.discordbot.ids import guild_of, snowflake
from bot.discordbot.pacing import Pacer, turn_taken
from bot.discordbot.render import DiscordMessage, render
from bot.domain.ids import native_id
from bot.messages.model import Message
from bot.services.ports import SendFailure, SendResult

if TYPE_CHECKING:
    pass


# Direct-message channel ids remembered per member, so a daily reminder costs one request
# instead of two. discord.py keeps only its 128 most recent DM channels.
DM_CHANNELS_KEPT = 20_000


def nonce_for(community_id: str, key: str) -> str:
    """At most 25 characters, the same for every send of the same post.

    Hashes the bare guild id, as releases before platform-scoped ids did, so a post claimed
    then and retried now still carries the nonce it was first sent with.
    """
    digest = hashlib.sha256(f"{native_id(community_id)}:{key}".encode()).hexdigest()
    return "sb" + digest[:23]


class DiscordChat:
    def __init__(self, bot: discord.Client, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer
        self._dm_channels: OrderedDict[str, int] = OrderedDict()

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        channel = self._bot.get_partial_messageable(snowflake(channel_id))
        return await self._deliver_all(channel, render(message), community_id, key)

    async def direct(self, community_id: str, user_id: str, message: Message) -> SendResult:
        channel_id = self._dm_channels.get(user_id)
        if channel_id is None:
            await self._pacer.wait_turn()
            try:
                with turn_taken():
                    data = await self._bot.http.start_private_message(snowflake(user_id))
            except discord.HTTPException as exc:
                return failure_of(exc)
            except (aiohttp.ClientError, TimeoutError) as exc:
                return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
            channel_id = int(data["id"])
        self._dm_channels[user_id] = channel_id
        self._dm_channels.move_to_end(user_id)
        while len(self._dm_channels) > DM_CHANNELS_KEPT:
            self._dm_channels.popitem(last=False)
        channel = self._bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        result = await self._deliver_all(channel, render(message), community_id, None)
        if result.failure is SendFailure.NOT_FOUND:
            self._dm_channels.pop(user_id, None)
        return result

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        """Whether a member is still in a server (REST works without the members intent)."""
        await self._pacer.wait_turn()
        try:
            with turn_taken():
                await self._bot.http.get_member(guild_of(community_id), snowflake(user_id))
        except discord.NotFound:
            return False
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            return None
        return True

    async def _deliver_all(
        self,
        channel: discord.abc.Messageable,
        parts: list[DiscordMessage],
        community_id: str,
        key: str | None,
    ) -> SendResult:
        """Send each part in order; the result names the first message, or the first failure."""
        first: SendResult | None = None
        for index, part in enumerate(parts):
            part_key = None if key is None else (key if index == 0 else f"{key}#{index}")
            nonce = None if part_key is None else nonce_for(community_id, part_key)
            result = await self._deliver(channel, part, nonce)
            if not result.ok:
                return result
            first = first or result
        return first or SendResult()

    async def _deliver(
        self, channel: discord.abc.Messageable, part: DiscordMessage, nonce: str | None
    ) -> SendResult:
        await self._pacer.wait_turn()
        fields = part.send_fields()
        if nonce is not None:
            fields["nonce"] = nonce
        try:
            with turn_taken():
                message = await channel.send(**fields)
        except discord.HTTPException as exc:
            return failure_of(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
        return SendResult(message_ref=str(message.id))


def failure_of(exc: discord.HTTPException) -> SendResult:
    detail = f"{exc.status} {exc.text}".strip()
    if isinstance(exc, discord.Forbidden):
        return SendResult(failure=SendFailure.FORBIDDEN, detail=detail)
    if isinstance(exc, discord.NotFound):
        return SendResult(failure=SendFailure.NOT_FOUND, detail=detail)
    if exc.status == 429:
        return SendResult(
            failure=SendFailure.UNAVAILABLE, detail=detail, retry_after=retry_after_of(exc)
        )
    failure = SendFailure.UNAVAILABLE if exc.status >= 500 else SendFailure.REJECTED
    return SendResult(failure=failure, detail=detail)


def retry_after_of(exc: discord.HTTPException) -> float | None:
    """Seconds Discord asked us to wait (discord.py retries 429s itself before giving up)."""
    headers = getattr(exc.response, "headers", None) or {}
    try:
        return float(headers.get("Retry-After", ""))
    except ValueError:
        return None
