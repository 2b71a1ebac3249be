"""JSON shapes as Discord sends them, plus ids, permission bits and error bodies.

Every builder answers with the fields Discord's OpenAPI description marks as required (the fake
checks its own REST answers against it), plus the gateway-only fields discord.py reads.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .world import FakeChannel, FakeGuild, FakeRole, FakeUser, Member

DISCORD_EPOCH_MS = 1_420_070_400_000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Permission bits the fake reasons about (the rest pass through untouched).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1
DEFAULT_EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS = DEFAULT_EVERYONE_PERMISSIONS | MANAGE_MESSAGES

# GATEWAY_MESSAGE_CONTENT_LIMITED | APPLICATION_COMMAND_BADGE: a typical unverified bot.
APPLICATION_FLAGS = (1 << 19) | (1 << 23)

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15

# Ready-made error bodies for `FakeDiscord.fail_next(..., json=...)`.
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
CANNOT_DM = {"message": "Cannot send messages to this user", "code": 50007}
UNKNOWN_CHANNEL = {"message": "Unknown Channel", "code": 10003}
UNKNOWN_MESSAGE = {"message": "Unknown Message", "code": 10008}

_counter = itertools.count()
_last_id = 0
_last_guild_ms = 0


def new_id() -> int:
    """A fresh snowflake whose timestamp is now (ids grow, as Discord's do)."""
    global _last_id
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    candidate = (ms << 22) | (1 << 17) | (next(_counter) & 0xFFF)
    _last_id = max(candidate, _last_id + 1)
    return _last_id


def new_guild_id(shard_id: int = 0, shard_count: int = 1) -> int:
    """A guild snowflake on shard `shard_id`: Discord's shard is `(id >> 22) % count`.

    Guilds made in the same millisecond would otherwise all land on one shard, so each guild
    takes a later millisecond than the last one, the first one that falls on its shard. Worker 2
    keeps these apart from `new_id`'s ids, so no other id can equal one.
    """
    global _last_guild_ms
    ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, _last_guild_ms + 1)
    ms += (shard_id - ms) % shard_count
    _last_guild_ms = ms
    return (ms << 22) | (2 << 17)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="microseconds")


def error_body(status: int) -> dict[str, Any]:
    """The JSON Discord answers for a status when there is nothing more specific."""
    known = {
        400: {"message": "400: Bad Request", "code": 0},
        401: {"message": "401: Unauthorized", "code": 0},
        403: MISSING_PERMISSIONS,
        404: {"message": "404: Not Found", "code": 0},
        405: {"message": "405: Method Not Allowed", "code": 0},
        429: {"message": "You are being rate limited.", "retry_after": 0.1, "global": False},
    }
    return dict(known.get(status, {"message": f"{status}: Server Error", "code": 0}))


def user_payload(user: FakeUser) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(user.id),
        "username": user.username,
        "avatar": None,
        "discriminator": user.discriminator,
        "public_flags": 0,
        "flags": 0,
        "global_name": user.global_name,
        "primary_guild": None,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
    }
    if user.bot:
        payload["bot"] = True
    return payload


def private_user_payload(user: FakeUser) -> dict[str, Any]:
    """`GET /users/@me` and READY: the user object with its private fields."""
    return {
        **user_payload(user),
        "mfa_enabled": True,
        "locale": user.locale,
        "premium_type": 0,
        "email": None,
        "verified": True,
    }


def role_payload(role: FakeRole) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(role.id),
        "name": role.name,
        "permissions": str(role.permissions),
        "position": role.position,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": role.bot_id is not None,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if role.bot_id is not None:
        payload["tags"] = {"bot_id": str(role.bot_id)}
    return payload


def member_payload(
    member: Member, *, permissions: int | None = None, with_user: bool = True
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "avatar": None,
        "banner": None,
        "communication_disabled_until": None,
        "flags": 0,
        "joined_at": iso(member.joined_at),
        "nick": member.nick,
        "pending": False,
        "premium_since": None,
        "roles": [str(r.id) for r in member.roles],
        "mute": False,
        "deaf": False,
    }
    if with_user:
        payload["user"] = user_payload(member.user)
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def channel_payload(channel: FakeChannel, *, permissions: int | None = None) -> dict[str, Any]:
    last = str(channel.last_message_id) if channel.last_message_id else None
    if channel.guild is None:
        recipients = [user_payload(channel.recipient)] if channel.recipient else []
        return {
            "id": str(channel.id),
            "type": 1,
            "last_message_id": last,
            "flags": 0,
            "recipients": recipients,
        }
    payload: dict[str, Any] = {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild.id),
        "name": channel.name,
        "position": channel.position,
        "flags": 0,
        "parent_id": str(channel.parent_id) if channel.parent_id else None,
        "permission_overwrites": [
            {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}
            for target, (kind, allow, deny) in channel.overwrites.items()
        ],
        "nsfw": False,
    }
    if channel.type == 0:
        payload |= {"topic": channel.topic, "last_message_id": last, "rate_limit_per_user": 0}
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def guild_payload(guild: FakeGuild) -> dict[str, Any]:
    """The guild as `GET /guilds/{id}` answers it."""
    nulls = (
        "icon",
        "description",
        "home_header",
        "splash",
        "discovery_splash",
        "banner",
        "application_id",
        "afk_channel_id",
        "widget_channel_id",
        "vanity_url_code",
        "rules_channel_id",
        "safety_alerts_channel_id",
        "public_updates_channel_id",
        "max_presences",
        "incidents_data",
    )
    payload: dict[str, Any] = dict.fromkeys(nulls)
    payload |= {
        "id": str(guild.id),
        "name": guild.name,
        "features": list(guild.features),
        "owner_id": str(guild.owner.id),
        "region": "deprecated",
        "afk_timeout": 300,
        "system_channel_id": str(guild.channels[0].id) if guild.channels else None,
        "system_channel_flags": 0,
        "widget_enabled": False,
        "verification_level": 1,
        "roles": [role_payload(r) for r in guild.roles],
        "default_message_notifications": 1,
        "mfa_level": 0,
        "explicit_content_filter": 0,
        "max_members": 500000,
        "max_stage_video_channel_users": 50,
        "max_video_channel_users": 25,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": guild.locale,
        "premium_progress_bar_enabled": False,
        "nsfw": False,
        "nsfw_level": 0,
        "emojis": [],
        "stickers": [],
        "approximate_member_count": len(guild.members),
        "approximate_presence_count": 0,
    }
    return payload


def guild_create_payload(guild: FakeGuild, *, all_members: bool) -> dict[str, Any]:
    """GUILD_CREATE: without the members intent Discord sends only the bot's own member."""
    members = guild.members.values() if all_members else [guild.me]
    return guild_payload(guild) | {
        "joined_at": iso(guild.me.joined_at),
        "large": False,
        "unavailable": False,
        "member_count": len(guild.members),
        "members": [member_payload(m) for m in members],
        "channels": [channel_payload(c) for c in guild.channels],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "lazy": True,
    }


def application_payload(app_id: int, name: str, bot: FakeUser, owner: FakeUser) -> dict[str, Any]:
    flags = APPLICATION_FLAGS
    return {
        "id": str(app_id),
        "name": name,
        "icon": None,
        "description": "",
        "type": None,
        "bot": user_payload(bot),
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": flags,
        "flags_new": str(flags),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "owner": user_payload(owner),
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "team": None,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
        "summary": "",
        "hook": True,
        "is_monetized": False,
        "storefront_available": False,
        "integration_types_config": {"0": {}},
        "tags": [],
    }
