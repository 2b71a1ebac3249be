"""Between Discord's integer snowflakes and the core's platform-scoped string ids."""

from __future__ import annotations

from bot.domain.ids import community_key, native_id, platform_of

PLATFORM = "discord"


def community_of(guild_id: int) -> str:
    return community_key(PLATFORM, guild_id)


def guild_of(community_id: str) -> int:
    if platform_of(community_id) != PLATFORM:
        raise ValueError(f"{community_id!r} is not a Discord server")
    return int(native_id(community_id))


def snowflake(platform_id: str) -> int:
    """A user, channel or message id the core holds as text, back as Discord's integer."""
    return int(platform_id)
