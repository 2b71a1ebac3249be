"""Answers to a command or a press through its `response_url`, on one shared HTTP session, and
the one line a member sees when something is refused or fails.

Bolt's own `respond` opens a new session (and a new connection) for every reply; a study group
checking in at once would pay for a TCP handshake each time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.errors import UserError
from bot.logs import new_error_id
from bot.messages.model import Message
from bot.messages.refusals import refusal_text
from bot.slackbot.invocation import Refused, Usage
from bot.slackbot.render import line, render

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


async def reply(
    respond: Respond,
    message: Message,
    *,
    public: bool = False,
    buttons: tuple[dict[str, Any], ...] = (),
    replace_original: bool | None = None,
) -> None:
    """`replace_original`: True redraws the message a button was on, False says beside it;
    None leaves the field out."""
    drawn = render(message)
    blocks = drawn.blocks + ([{"type": "actions", "elements": list(buttons)}] if buttons else [])
    # A public reply may show a member's link (a shared work): no preview card of it.
    fields: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False} if public else {}
    if replace_original is not None:
        fields["replace_original"] = replace_original
    await respond(
        text=drawn.text,
        blocks=blocks,
        response_type="in_channel" if public else "ephemeral",
        **fields,
    )


def refusal_line(error: BaseException) -> str | None:
    if isinstance(error, Usage | Refused):
        return error.text()
    if isinstance(error, UserError):
        try:
            return line(refusal_text(error))
        except (KeyError, TypeError):
            return None
    return None


def member_line(error: BaseException, where: str) -> str:
    """The one line a member sees: the refusal, or an error id the log has in full."""
    text = refusal_line(error)
    if text is not None:
        return text
    error_id = new_error_id()
    log.error("error id %s: Slack %s failed", error_id, where, exc_info=error)
    return f"Something went wrong on my side (error id {error_id}). Please try again."
