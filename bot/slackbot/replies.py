"""Answers to a command or a press through its `response_url`, on one shared HTTP session.

Bolt's own `respond` opens a new session (and a new connection) for every reply; a study group
checking in at once would pay for a TCP handshake each time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[None]]
TIMEOUT = aiohttp.ClientTimeout(total=30)


def response_url_of(body: dict[str, Any]) -> str | None:
    url = body.get("response_url")
    if not url and body.get("response_urls"):
        url = body["response_urls"][0].get("response_url")
    return str(url) if url else None


class Replies:
    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def to(self, body: dict[str, Any]) -> Respond:
        """`respond(text=…, blocks=…, response_type=…)` for this payload's response_url."""
        url = response_url_of(body)

        async def respond(**payload: Any) -> None:
            if url is None:
                log.warning("Slack: no response_url to answer %s", body.get("type", "a command"))
                return
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession(timeout=TIMEOUT)
            async with self._session.post(url, json=payload) as answer:
                if answer.status >= 300:
                    log.warning("Slack: response_url answered %s", answer.status)

        return respond

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
