"""Fetch a member's upload from where Discord keeps attachments, and no further than a cap.

An interaction names its attachment's URL; a crafted payload could name any URL. Only
Discord's attachment hosts are fetched (and the API host when DISCORD_API_BASE_URL points
elsewhere: a proxy, or the tests' fake), and reading stops as soon as the cap is passed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp

from bot.discordbot.errors import Refusal
from bot.settings import DEFAULT_API_BASE_URL

ATTACHMENT_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})
FETCH_SECONDS = 15.0
CHUNK = 16 * 1024


def upload_hosts(api_base_url: str) -> frozenset[str]:
    if api_base_url.rstrip("/") == DEFAULT_API_BASE_URL:
        return ATTACHMENT_HOSTS
    return ATTACHMENT_HOSTS | {urlsplit(api_base_url).hostname or ""}


async def fetch_upload(url: str, hosts: frozenset[str], limit: int) -> bytes:
    """The upload's bytes; a Refusal if it is elsewhere, too big, or cannot be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in hosts:
        raise Refusal("That attachment is not on Discord's file servers; upload the file again.")
    too_big = Refusal(f"That file is over {limit // 1024} KiB, the most a curriculum can be.")
    try:
        timeout = aiohttp.ClientTimeout(total=FETCH_SECONDS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise Refusal(f"Discord answered {response.status} for that file; try again.")
            if (response.content_length or 0) > limit:
                raise too_big
            data = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise too_big
    except (aiohttp.ClientError, TimeoutError):
        raise Refusal("I could not download that file from Discord; try again.") from None
    return bytes(data)
