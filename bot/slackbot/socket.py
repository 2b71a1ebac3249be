"""Socket Mode that acks every envelope, even one no listener handles.

Bolt acks only what a listener handled: an envelope of a type the app does not serve would go
unacked, and Slack would send it again and again. Here it is acked with an empty payload and
logged once per kind, and bolt's own warning for it (a long suggestion, at every envelope) is
filtered out.
"""

from __future__ import annotations

import logging
from time import time
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import (
    run_async_bolt_app,
    send_async_response,
)
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

log = logging.getLogger(__name__)


class UnhandledFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unhandled request")


def kind_of(req: SocketModeRequest) -> str:
    payload: dict[str, Any] = req.payload if isinstance(req.payload, dict) else {}
    inner = payload.get("event") if isinstance(payload.get("event"), dict) else payload
    detail = inner.get("type") if isinstance(inner, dict) else None
    return f"{req.type}/{detail}" if detail else str(req.type)


class AckingSocketModeHandler(AsyncSocketModeHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ignored: set[str] = set()

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        start = time()
        response = await run_async_bolt_app(self.app, req)
        if response.status == 404:
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            kind = kind_of(req)
            if kind not in self._ignored:
                self._ignored.add(kind)
                log.info("Slack: ignored an envelope of kind %s (logged once per kind)", kind)
            return
        await send_async_response(client, req, response, start)
