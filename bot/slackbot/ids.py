"""Between Slack's ids (team T…, user U…, channel C…/D…, message ts) and the core's strings."""

from __future__ import annotations

from bot.domain.ids import community_key, native_id, platform_of

PLATFORM = "slack"


def community_of(team_id: str) -> str:
    return community_key(PLATFORM, team_id)


def team_of(community_id: str) -> str:
    if platform_of(community_id) != PLATFORM:
        raise ValueError(f"{community_id!r} is not a Slack workspace")
    return native_id(community_id)
