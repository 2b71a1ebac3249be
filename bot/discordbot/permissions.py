"""What the bot needs in its study channel, and the invite link that asks for exactly that.

`/admin setup` checks these permissions, and the invite link requests them, so the two cannot
drift apart.
"""

from __future__ import annotations

import discord

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The link that adds this application to a server with the permissions it needs."""
    permissions = discord.Permissions(**dict.fromkeys(POST_PERMISSIONS, True))
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=INVITE_SCOPES)
