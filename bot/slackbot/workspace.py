"""What the bot asks Slack about its workspace: members' profiles, admins, channel membership.

A member's profile (display name and time zone) is looked up once per process, at their first
interaction, and recorded through the member service; admin rights are looked up afresh on
every admin subcommand, so a demoted admin loses them at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.members import MemberService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    name: str
    zone: str | None
    is_admin: bool


def profile_of(user: dict[str, Any]) -> Profile:
    shown = user.get("profile") or {}
    name = (
        shown.get("display_name")
        or shown.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or str(user.get("id", ""))
    )
    admin = any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))
    return Profile(str(name), user.get("tz") or None, admin)


class Workspace:
    def __init__(self, client: AsyncWebClient, members: MemberService) -> None:
        self._client = client
        self._members = members
        self._names: dict[tuple[str, str], str] = {}

    async def profile(self, user_id: str) -> Profile | None:
        try:
            answer = await self._client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
            return None
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("users.info for %s failed: %s", user_id, type(error).__name__)
            return None
        user = answer.get("user")
        return profile_of(user) if isinstance(user, dict) else None

    async def member(self, community_id: str, user_id: str, typed_name: str) -> str:
        """The member's display name, recording them (and their profile's zone) the first time."""
        known = self._names.get((community_id, user_id))
        if known is not None:
            return known
        profile = await self.profile(user_id)
        if profile is None:
            return typed_name  # looked up again next time
        await self._members.remember(community_id, user_id, profile.name, profile.zone)
        self._names[(community_id, user_id)] = profile.name
        return profile.name

    def forget(self, community_id: str, user_id: str) -> None:
        self._names.pop((community_id, user_id), None)
        self._members.forget_cached(community_id, user_id)

    async def is_admin(self, user_id: str) -> bool:
        profile = await self.profile(user_id)
        return profile is not None and profile.is_admin

    async def bot_is_in(self, channel_id: str) -> bool:
        """Whether the bot is in the channel. Reading its history needs no scope beyond the one
        the post lookup already has, and Slack answers `not_in_channel` when the bot is out."""
        try:
            await self._client.conversations_history(channel=channel_id, limit=1)
        except SlackApiError as error:
            if error.response.get("error") in ("channel_not_found", "not_in_channel"):
                return False
            raise
        return True
