"""A fake LeetCode GraphQL endpoint on 127.0.0.1, answering the three queries the bot makes."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakeLeetCode:
    daily: dict[str, Any] = field(
        default_factory=lambda: {
            "date": "2026-11-21",
            "link": "/problems/two-sum/",
            "question": {
                "questionFrontendId": "1",
                "title": "Two Sum",
                "titleSlug": "two-sum",
                "difficulty": "Easy",
                "isPaidOnly": False,
                "topicTags": [
                    {"name": "Array", "slug": "array"},
                    {"name": "Hash Table", "slug": "hash-table"},
                ],
            },
        }
    )
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    accepted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0
    malformed: bool = False
    raw_body: str | None = None  # answered as it is, for answers no JSON encoder would write
    gate: asyncio.Event | None = None  # when set, each answer waits for it: a slow LeetCode
    asked: asyncio.Event = field(default_factory=asyncio.Event)  # set at the first request
    requests: list[dict[str, Any]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> FakeLeetCode:
        app = web.Application()
        app.router.add_post("/graphql", self._graphql)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/graphql"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def queries(self, field_name: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if field_name in r["body"]["query"]]

    async def _graphql(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append({"headers": dict(request.headers), "body": body})
        self.asked.set()
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow LeetCode, for the client's timeout
        if self.gate is not None:
            await self.gate.wait()
        if self.raw_body is not None:
            return web.Response(text=self.raw_body, content_type="application/json")
        if self.status != 200:
            return web.Response(status=self.status, text="Forbidden")
        if self.malformed:
            return web.json_response({"data": {"activeDailyCodingChallengeQuestion": {"date": 7}}})
        query, variables = body["query"], body.get("variables") or {}
        if "activeDailyCodingChallengeQuestion" in query:
            data: dict[str, Any] = {"activeDailyCodingChallengeQuestion": self.daily}
        elif "matchedUser" in query:
            profile = self.profiles.get(variables["username"])
            data = {
                "matchedUser": None
                if profile is None
                else {"username": variables["username"], "profile": profile}
            }
        elif "recentAcSubmissionList" in query:
            data = {"recentAcSubmissionList": self.accepted.get(variables["username"], [])}
        else:
            return web.Response(status=400, text=json.dumps({"errors": ["unknown query"]}))
        return web.json_response({"data": data})
