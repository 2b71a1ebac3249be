"""The HTTP side of the fake: every API request is read, recorded, checked and routed here.

Order, as on Discord: unknown route (404) or method (405), then authentication (401), then
the body against the OpenAPI description (400, code 50035), then any failure a test asked
for, then the route's handler. Answers are JSON with a Content-Type of exactly
`application/json`, the only one discord.py parses.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import payloads as p
from .messages import FakeFile
from .openapi import spec_index
from .rest import ApiError, Call, Handler

if TYPE_CHECKING:
    from .server import FakeDiscord

_log = logging.getLogger(__name__)
_JSON = {"Content-Type": "application/json"}


@dataclass
class RecordedRequest:
    method: str
    path: str  # below the API prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # the JSON body, or multipart's payload_json
    files: list[FakeFile]
    template: str | None = None  # the spec's path template, e.g. "/channels/{channel_id}/messages"
    status: int = 0
    reason: str | None = None  # X-Audit-Log-Reason


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    remaining: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _path_pattern(path: str | re.Pattern[str]) -> re.Pattern[str]:
    """`/channels/{id}/messages` or `/channels/*` (or a compiled regex) to a full-match regex."""
    if isinstance(path, re.Pattern):
        return path
    parts = re.split(r"(\{\w*\}|\*)", path)
    regex = "".join(
        "[^/]+" if part.startswith("{") else ".*" if part == "*" else re.escape(part)
        for part in parts
    )
    return re.compile(regex)


class Pipeline:
    def __init__(self, fake: FakeDiscord, handlers: Mapping[tuple[str, str], Handler]) -> None:
        self.fake = fake
        self.handlers = dict(handlers)
        self._failures: list[_Failure] = []
        self._recent_bot_requests: deque[float] = deque()

    def fail_next(
        self,
        method: str,
        path: str | re.Pattern[str],
        status: int,
        *,
        times: int = 1,
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        body = dict(json) if json is not None else p.error_body(status)
        extra = dict(headers or {})
        if status == 429:
            # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
            extra = {"Via": "1.1 google", "Retry-After": "0", "X-RateLimit-Scope": "user", **extra}
        failure = _Failure(method.upper(), _path_pattern(path), status, times, body, extra)
        self._failures.append(failure)

    def _global_limit(self) -> tuple[int, Any, dict[str, str]] | None:
        """Discord's global limit: a 429 for the request beyond `global_rate_limit` a second.

        Interaction callbacks and webhooks are exempt, as on Discord (they carry no bot token).
        """
        limit = self.fake.global_rate_limit
        if limit is None:
            return None
        now = time.monotonic()
        recent = self._recent_bot_requests
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        if len(recent) >= limit:
            self.fake.rate_limited += 1
            retry_after = max(0.0, 1.0 - (now - recent[0]))
            body = {
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": True,
            }
            headers = {
                "Via": "1.1 google",
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Retry-After": str(retry_after),
            }
            return 429, body, headers
        recent.append(now)
        return None

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.remaining and failure.method == method and failure.pattern.fullmatch(path):
                failure.remaining -= 1
                return failure
        return None

    async def api(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        method, path = request.method, "/" + request.match_info["tail"]
        try:
            body, files, fields, has_body = await _read_body(request)
        except ValueError as exc:
            fake.problem(f"{method} {path}: {exc}")
            invalid = {"message": "The request body contains invalid JSON.", "code": 50109}
            return _answer(400, invalid)
        reason = request.headers.get("X-Audit-Log-Reason")
        record = RecordedRequest(method, path, dict(request.query), body, files, reason=reason)
        fake.requests.append(record)
        try:
            status, answer, headers = await self._route(request, record, fields, has_body)
        except Exception as exc:
            # A bug in the fake: say so loudly, and answer 503, which discord.py does not retry.
            fake.problem(f"{method} {path}: the fake crashed: {exc!r}")
            _log.exception("fake Discord crashed on %s %s", method, path)
            status, answer, headers = 503, p.error_body(503), {}
        record.status = status
        if fake.check_responses and record.template is not None:
            fake.problems += spec_index().check_response(method, record.template, status, answer)
        return _answer(status, answer, headers)

    async def _route(
        self, request: web.Request, record: RecordedRequest, fields: list[str], has_body: bool
    ) -> tuple[int, Any, dict[str, str]]:
        fake, index = self.fake, spec_index()
        method, path = record.method, record.path
        route = index.match(path)
        if route is None or index.operation(method, route.template) is None:
            fake.problems += index.check_request(method, path)
            status = 404 if route is None else 405
            return status, p.error_body(status), {}
        record.template = route.template
        if index.needs_bot_token(method, route.template):
            if request.headers.get("Authorization") != f"Bot {fake.token}":
                return 401, p.error_body(401), {}
            limited = self._global_limit()
            if limited is not None:
                return limited
            # Discord refuses bot requests without this User-Agent (webhook calls are exempt).
            if not request.headers.get("User-Agent", "").startswith("DiscordBot"):
                fake.problem(f"{method} {path}: User-Agent must start with 'DiscordBot'")
        if fake.validate:
            found = index.check_request(
                method, path, query=record.query, body=record.json, has_body=has_body,
                multipart_fields=fields,
            )  # fmt: skip
            if found:
                fake.problems += found
                return 400, {"code": 50035, "errors": {}, "message": "Invalid Form Body"}, {}
        failure = self._take_failure(method, path)
        if failure is not None:
            return failure.status, failure.body, failure.headers
        handler = self.handlers.get((method, route.template))
        if handler is None:
            fake.problem(f"{method} {path}: valid for Discord, not in the fake ({route.template})")
            return 404, p.error_body(404), {}
        call = Call(method, path, route.params, record.query, record.json, record.files)
        try:
            status, answer = await handler(call)
        except ApiError as exc:
            return exc.status, exc.body, {}
        return status, answer, {}

    async def attachment(self, request: web.Request) -> web.StreamResponse:
        """Our stand-in for Discord's CDN, so `Attachment.read()` works."""
        file = self.fake.attachments.get(int(request.match_info["attachment"]))
        if file is None:
            return web.Response(status=404)
        ctype = file.content_type or "application/octet-stream"
        return web.Response(body=file.data, content_type=ctype)

    async def elsewhere(self, request: web.Request) -> web.StreamResponse:
        where = f"{request.method} {request.path}"
        self.fake.problem(f"{where}: not under /api/v10 (wrong base URL or API version?)")
        return _answer(404, p.error_body(404))


async def _read_body(request: web.Request) -> tuple[Any, list[FakeFile], list[str], bool]:
    """(JSON body or payload_json, uploaded files, multipart field names, whether any body)."""
    if not request.body_exists:
        return None, [], [], False
    if request.content_type == "multipart/form-data":
        body, files, fields = None, [], []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            name = getattr(part, "name", None) or ""
            fields.append(name)
            if name == "payload_json":
                body = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                data = bytes(await part.read())  # type: ignore[union-attr]
                ctype = part.headers.get("Content-Type")
                files.append(FakeFile(getattr(part, "filename", None) or name, data, ctype))
        return body, files, fields, True
    raw = await request.read()
    if not raw:
        return None, [], [], False
    if request.content_type != "application/json":
        raise ValueError(f"body sent as {request.content_type!r}, not application/json")
    return json.loads(raw), [], [], True


def _answer(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    if status == 204 or body is None:
        return web.Response(status=status, headers=headers)
    data = json.dumps(body).encode()
    return web.Response(status=status, body=data, headers={**_JSON, **(headers or {})})
