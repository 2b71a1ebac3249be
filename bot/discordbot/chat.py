"""The chat port on Discord: sends what the services ask for, and reports failures as values.

Every REST request made here is one the bot makes on its own (not an interaction reply), so
each takes its own turn from the pacer: Discord's global limit counts requests, not messages.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.discordbot.embeds import daily_post_embeds, daily_post_view, weekly_post_embed
from bot.discordbot.ids import guild_of, snowflake
from bot.discordbot.pacing import PacedSender
from bot.services.ports import DailyPost, SendFailure, SendResult, WeeklyPost

if TYPE_CHECKING:
    from discord.ext import commands


# Direct-message channel ids remembered per member, so a daily reminder costs one request
# instead of two. discord.py keeps only its 128 most recent DM channels.
DM_CHANNELS_KEPT = 20_000


class DiscordChat:
    def __init__(self, bot: commands.Bot, pacer: PacedSender) -> None:
        self._bot = bot
        self._pacer = pacer
        self._dm_channels: OrderedDict[str, int] = OrderedDict()

    async def send_daily_post(self, channel_id: str, post: DailyPost, nonce: str) -> SendResult:
        return await self._send(
            channel_id,
            nonce,
            embeds=daily_post_embeds(post),
            view=daily_post_view(post.problem.id, post.problem_day),
        )

    async def send_weekly_post(self, channel_id: str, post: WeeklyPost, nonce: str) -> SendResult:
        card = discord.File(io.BytesIO(post.card_png), filename="leaderboard.png")
        return await self._send(channel_id, nonce, embeds=[weekly_post_embed(post)], file=card)

    async def send_direct(self, user_id: str, text: str) -> SendResult:
        channel_id = self._dm_channels.get(user_id)
        if channel_id is None:
            await self._pacer.wait_turn()
            try:
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
        result = await self._deliver(channel, content=text, mentions=discord.AllowedMentions.none())
        if result.failure is SendFailure.NOT_FOUND:
            self._dm_channels.pop(user_id, None)
        return result

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        """Whether a member is still in a server (REST works without the members intent)."""
        await self._pacer.wait_turn()
        try:
            await self._bot.http.get_member(guild_of(community_id), snowflake(user_id))
        except discord.NotFound:
            return False
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            return None
        return True

    async def send_text(
        self, channel_id: str, text: str, ping_user_ids: tuple[str, ...] = ()
    ) -> SendResult:
        mentions = discord.AllowedMentions(
            everyone=False,
            roles=False,
            users=[discord.Object(snowflake(user_id)) for user_id in ping_user_ids],
        )
        channel = self._bot.get_partial_messageable(snowflake(channel_id))
        return await self._deliver(channel, content=text, mentions=mentions)

    async def _send(
        self,
        channel_id: str,
        nonce: str,
        *,
        embeds: list[discord.Embed],
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
    ) -> SendResult:
        channel = self._bot.get_partial_messageable(snowflake(channel_id))
        return await self._deliver(
            channel,
            embeds=embeds,
            view=view or discord.utils.MISSING,
            file=file or discord.utils.MISSING,
            nonce=nonce,
            mentions=discord.AllowedMentions.none(),
        )

    async def _deliver(
        self,
        channel: discord.abc.Messageable,
        *,
        mentions: discord.AllowedMentions,
        **fields: Any,
    ) -> SendResult:
        await self._pacer.wait_turn()
        try:
            message = await channel.send(allowed_mentions=mentions, **fields)
        except discord.HTTPException as exc:
            return failure_of(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(failure=SendFailure.UNAVAILABLE, detail=type(exc).__name__)
        return SendResult(message_id=str(message.id))


def failure_of(exc: discord.HTTPException) -> SendResult:
    detail = f"{exc.status} {exc.text}".strip()
    if isinstance(exc, discord.Forbidden):
        return SendResult(failure=SendFailure.FORBIDDEN, detail=detail)
    if isinstance(exc, discord.NotFound):
        return SendResult(failure=SendFailure.NOT_FOUND, detail=detail)
    failure = SendFailure.UNAVAILABLE if exc.status >= 500 else SendFailure.REJECTED
    return SendResult(failure=failure, detail=detail)
