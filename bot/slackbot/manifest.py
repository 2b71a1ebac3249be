"""The Slack app manifest `studybot slack manifest` prints, to paste into "From a manifest".

Each bot scope is there for something the bot does (README, 'Create the Slack app', says why).
"""

from __future__ import annotations

import json
from typing import Any

BOT_SCOPES = (
    "commands",  # the /study command
    "chat:write",  # daily and weekly posts, replies, reminders
    "im:write",  # open a direct message for reminders, the heatmap and exports
    "users:read",  # time zones, display names, and who is an admin or owner
    "channels:history",  # find a post sent before a crash (no nonce on Slack)
    "groups:history",  # the same in a private study channel
    "files:write",  # the leaderboard card
)


def manifest() -> dict[str, Any]:
    return {
        "display_information": {
            "name": "studybot",
            "description": "A daily study prompt, check-ins, streaks and a weekly leaderboard.",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "studybot", "always_online": True},
            "slash_commands": [
                {
                    "command": "/study",
                    "description": "Check in, streaks, the day's problem: /study help",
                    "usage_hint": "checkin 45 pandas",
                    "should_escape": True,
                }
            ],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": {"bot_events": ["app_home_opened"]},
            "interactivity": {"is_enabled": True},
            "org_deploy_enabled": False,
            "socket_mode_enabled": True,
            "token_rotation_enabled": False,
        },
    }


def manifest_json() -> str:
    return json.dumps(manifest(), indent=2)
