"""A fake Slack on 127.0.0.1: the Web API methods studybot uses, with Slack's answer shapes.

It keeps a small world (one workspace, its users and channels, every message posted), records
every call, and checks what real Slack would refuse: the token, required arguments, Block Kit
(through slack_sdk.models) and the limits of a message. A refused call answers
`{"ok": false, "error": ...}` as Slack does and is also kept in `problems`, so a test can fail
on a request the bot should never have made. Failures can be injected per method (an error, a
429 with Retry-After, a 5xx).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_sdk.models.blocks import Block

BLOCKS_LIMIT = 50
TEXT_LIMIT = 40_000
POST_INTERVAL = 0.9  # a second per channel, less a little for the timers' jitter
# Calls a minute by method (Slack's tiers: 2 is 20+, 3 is 50+, 4 is 100+).
TIER_LIMITS = {
    "conversations.open": 50,
    "conversations.history": 50,
    "users.info": 100,
    "views.publish": 100,
    "files.getUploadURLExternal": 20,
    "files.completeUploadExternal": 20,
}

_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):08X}"


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str = "Europe/Berlin"
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False
    accepts_dms: bool = True

    def payload(self, team_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.name.title(),
            "deleted": self.deleted,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": False,
            "tz": self.tz,
            "profile": {"display_name": self.name, "real_name": self.name.title()},
        }


@dataclass
class FakeChannel:
    id: str
    name: str
    bot_member: bool = True
    is_im: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class Injected:
    error: str
    status: int = 200
    retry_after: int | None = None


class FakeSlack:
    def __init__(
        self,
        bot_token: str = "xoxb-fake",
        app_token: str = "xapp-fake",
        *,
        validate: bool = True,
        enforce_limits: bool = False,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        # Benchmarks turn Block Kit validation off (the tests cover it) so the fake costs little.
        self.validate = validate
        self.enforce_limits = enforce_limits
        self.rate_limited: list[str] = []  # every call answered 429
        self._calls_by_method: dict[str, list[float]] = {}
        self._last_post: dict[str, float] = {}
        # When each envelope went out, was acked, and was first answered (perf_counter).
        self.sent_at: dict[str, float] = {}
        self.acked_at: dict[str, float] = {}
        self.answered: dict[str, asyncio.Future[float]] = {}
        self.team_id = new_id("T")
        self.bot_user = new_id("U")
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self.uploads: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self._inject: dict[str, list[Injected]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Socket Mode: the app's open websockets, the acks they sent, replies to response_urls.
        self._sockets: list[web.WebSocketResponse] = []
        self.connected = asyncio.Event()
        self.acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.ephemeral: list[dict[str, Any]] = []
        self.views_opened: list[dict[str, Any]] = []
        self.home_views: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, float] = {}
        self._response_channels: dict[str, str] = {}
        self._response_keys: dict[str, str] = {}
        self._pressed: dict[str, str] = {}  # a press's response key: the ts of its message

    # -- the world ------------------------------------------------------------------------

    def add_user(self, name: str, **options: Any) -> FakeUser:
        user = FakeUser(new_id("U"), name, **options)
        self.users[user.id] = user
        return user

    def add_channel(self, name: str, *, bot_member: bool = True) -> FakeChannel:
        channel = FakeChannel(new_id("C"), name, bot_member=bot_member)
        self.channels[channel.id] = channel
        return channel

    def dm_channel(self, user: FakeUser) -> FakeChannel | None:
        return self.channels.get(f"D{user.id}")

    def messages_in(self, channel: FakeChannel | str) -> list[dict[str, Any]]:
        channel_id = channel if isinstance(channel, str) else channel.id
        return list(self.channels[channel_id].messages)

    def dms(self, user: FakeUser) -> list[dict[str, Any]]:
        channel = self.dm_channel(user)
        return [] if channel is None else list(channel.messages)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def fail_next(
        self, method: str, error: str, *, status: int = 200, retry_after: int | None = None
    ) -> None:
        self._inject.setdefault(method, []).append(Injected(error, status, retry_after))

    # -- serving --------------------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/respond/{envelope}", self._respond)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        for key in ("blocks", "view", "files", "metadata"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        args = await self._args(request)
        token = token or args.pop("token", None)
        self.calls.append(Call(method, args, token))
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            return self._refuse(method, "invalid_auth")
        if self.enforce_limits:
            wait = self._over_limit(method, args)
            if wait is not None:
                self.rate_limited.append(method)
                body = {"ok": False, "error": "ratelimited"}
                return web.json_response(body, status=429, headers={"Retry-After": str(wait)})
        queued = self._inject.get(method)
        if queued:
            injected = queued.pop(0)
            headers = {}
            if injected.retry_after is not None:
                headers["Retry-After"] = str(injected.retry_after)
            body = {"ok": False, "error": injected.error}
            return web.json_response(body, status=injected.status, headers=headers)
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        if handler is None:
            return self._refuse(method, "unknown_method")
        answer: dict[str, Any] = handler(args)
        return web.json_response(answer)

    def _over_limit(self, method: str, args: dict[str, Any]) -> int | None:
        """Slack's published limits: seconds to wait, or None if the call may go through.

        chat.postMessage: about one message a second per channel (Slack names no fixed number
        for a workspace). Other methods: their tier's calls per minute.
        """
        now = time.monotonic()
        if method == "chat.postMessage":
            channel = str(args.get("channel"))
            last = self._last_post.get(channel)
            if last is not None and now - last < POST_INTERVAL:
                return 1
            self._last_post[channel] = now
            return None
        per_minute = TIER_LIMITS.get(method)
        if per_minute is None:
            return None
        recent = [t for t in self._calls_by_method.get(method, []) if now - t < 60]
        if len(recent) >= per_minute:
            return int(60 - (now - recent[0])) + 1
        self._calls_by_method[method] = [*recent, now]
        return None

    def _refuse(self, method: str, error: str, detail: str = "") -> web.Response:
        self.problems.append(f"{method}: {error} {detail}".strip())
        return web.json_response({"ok": False, "error": error})

    def _require(self, method: str, args: dict[str, Any], *names: str) -> str | None:
        missing = [name for name in names if not args.get(name)]
        if missing:
            self.problems.append(f"{method}: missing {', '.join(missing)}")
            return "invalid_arguments"
        return None

    def _check_message(self, method: str, args: dict[str, Any]) -> str | None:
        blocks = args.get("blocks") or []
        if not args.get("text"):
            self.problems.append(f"{method}: no text fallback")
        if len(blocks) > BLOCKS_LIMIT:
            return "invalid_blocks"
        for block in blocks if self.validate else []:
            try:
                parsed = Block.parse(block)
                assert parsed is not None
                parsed.validate_json()
            except Exception as exc:  # slack_sdk raises its own formation errors
                self.problems.append(f"{method}: invalid block {exc}")
                return "invalid_blocks"
        if len(str(args.get("text", ""))) > TEXT_LIMIT:
            return "msg_too_long"
        return None

    # -- methods --------------------------------------------------------------------------

    def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "team_id": self.team_id, "user_id": self.bot_user, "bot_id": "B1"}

    def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.payload(self.team_id)}

    def m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("users")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        channel_id = f"D{user.id}"
        self.channels.setdefault(channel_id, FakeChannel(channel_id, user.name, is_im=True))
        return {"ok": True, "channel": {"id": channel_id}}

    def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._require("chat.postMessage", args, "channel") or self._check_message(
            "chat.postMessage", args
        )
        if error:
            return {"ok": False, "error": error}
        channel = self.channels.get(str(args["channel"]))
        user = self.users.get(str(args["channel"]))
        if channel is None and user is not None:  # a user id: the app's DM with them
            channel = self.channels.setdefault(
                f"D{user.id}", FakeChannel(f"D{user.id}", user.name, is_im=True)
            )
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if channel.is_im:
            owner = self.users[channel.id[1:]]
            if not owner.accepts_dms:
                return {"ok": False, "error": "messages_tab_disabled"}
        elif not channel.bot_member:
            return {"ok": False, "error": "not_in_channel"}
        ts = f"{time.time():.6f}"
        while any(m["ts"] == ts for m in channel.messages):
            ts = f"{float(ts) + 0.000001:.6f}"
        message = {
            "type": "message",
            "ts": ts,
            "user": self.bot_user,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
        }
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        channel.messages.append(message)
        return {"ok": True, "channel": channel.id, "ts": ts, "message": message}

    def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.bot_member:
            return {"ok": False, "error": "not_in_channel"}
        limit = int(args.get("limit", 100))
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = list(reversed(channel.messages))[:limit]
        shown = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in newest_first
        ]
        return {"ok": True, "messages": shown, "has_more": len(channel.messages) > limit}

    def m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._require("files.getUploadURLExternal", args, "filename", "length")
        if error:
            return {"ok": False, "error": error}
        file_id = new_id("F")
        self.uploads[file_id] = {"filename": args["filename"], "length": int(args["length"])}
        upload_url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
        return {"ok": True, "upload_url": upload_url, "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        upload = self.uploads.get(file_id)
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        data = await request.read()
        if len(data) != upload["length"]:
            self.problems.append(
                f"upload {file_id}: {len(data)} bytes, announced {upload['length']}"
            )
        upload["data"] = data
        return web.Response(text=f"OK - {len(data)}")

    def m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or []
        done = []
        for entry in files:
            upload = self.uploads.get(str(entry.get("id")))
            if upload is None or "data" not in upload:
                self.problems.append(f"files.completeUploadExternal: {entry} was never uploaded")
                return {"ok": False, "error": "file_not_found"}
            record = {
                "id": entry["id"],
                "title": entry.get("title"),
                "channel_id": args.get("channel_id"),
                "initial_comment": args.get("initial_comment"),
                **upload,
            }
            self.files[entry["id"]] = record
            done.append({"id": entry["id"], "title": entry.get("title")})
        channel_id = args.get("channel_id")
        if channel_id:
            channel = self.channels.get(str(channel_id))
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
            if channel.is_im and not self.users[channel.id[1:]].accepts_dms:
                return {"ok": False, "error": "messages_tab_disabled"}
            for entry in done:
                channel.messages.append(
                    {"type": "message", "ts": f"{time.time():.6f}", "files": [entry]}
                )
        return {"ok": True, "files": done}

    # -- Socket Mode ----------------------------------------------------------------------

    def m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket?ticket={new_id('t')}"}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "debug_info": {"host": "fakeslack", "approximate_connection_time": 3600},
                "connection_info": {"app_id": "A0FAKE"},
            }
        )
        self.connected.set()
        try:
            async for frame in ws:
                if frame.type != web.WSMsgType.TEXT:
                    continue
                ack = json.loads(frame.data)
                self.acked_at.setdefault(str(ack.get("envelope_id")), time.perf_counter())
                future = self.acks.get(str(ack.get("envelope_id")))
                if future is not None and not future.done():
                    future.set_result(ack)
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            if not self._sockets:
                self.connected.clear()
        return ws

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Deliver one envelope to the app; returns its id (see `wait_ack`)."""
        await asyncio.wait_for(self.connected.wait(), 20)
        envelope_id = new_id("e")
        self.acks[envelope_id] = asyncio.get_running_loop().create_future()
        self.sent_at[envelope_id] = time.perf_counter()
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return envelope_id

    async def wait_ack(self, envelope_id: str, within: float = 3.0) -> dict[str, Any]:
        """The app's ack; Slack gives up after 3 seconds."""
        return await asyncio.wait_for(self.acks[envelope_id], within)

    # -- members acting -------------------------------------------------------------------

    async def slash(
        self, user: FakeUser, channel: FakeChannel, text: str, *, team_id: str | None = None
    ) -> str:
        """`/study <text>` typed by `user` in `channel`; returns the envelope id.

        `team_id` sends the payload as if from another workspace."""
        key = new_id("r")
        self._response_channels[key] = channel.id
        payload = {
            "token": "verification-token",
            "team_id": team_id or self.team_id,
            "team_domain": "fake",
            "channel_id": channel.id,
            "channel_name": channel.name,
            "user_id": user.id,
            "user_name": user.name,
            "command": "/study",
            "text": text,
            "api_app_id": "A0FAKE",
            "is_enterprise_install": "false",
            "response_url": self.response_url(key),
            "trigger_id": self.trigger_id(),
        }
        self.answered[key] = asyncio.get_running_loop().create_future()
        envelope = await self.send_envelope("slash_commands", payload)
        self._response_keys[envelope] = key
        return envelope

    async def click(
        self, user: FakeUser, channel: FakeChannel, message: dict[str, Any], action_id: str
    ) -> str:
        """A button press on a message; returns the envelope id."""
        elements = [
            element
            for block in message.get("blocks", [])
            if block.get("type") == "actions"
            for element in block["elements"]
        ]
        [action] = [e for e in elements if e.get("action_id") == action_id]
        key = new_id("r")
        self._response_channels[key] = channel.id
        if message.get("ts"):
            self._pressed[key] = str(message["ts"])
        payload = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "fake"},
            "user": {"id": user.id, "username": user.name, "team_id": self.team_id},
            "api_app_id": "A0FAKE",
            "channel": {"id": channel.id, "name": channel.name},
            "container": {
                "type": "message",
                "message_ts": message.get("ts"),
                "channel_id": channel.id,
            },
            "message": message,
            "trigger_id": self.trigger_id(),
            "response_url": self.response_url(key),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": action.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        envelope = await self.send_envelope("interactive", payload)
        self._response_keys[envelope] = key
        return envelope

    async def submit(self, user: FakeUser, view: dict[str, Any], values: dict[str, str]) -> str:
        """Submit a modal the app opened, with `values` by action_id."""
        state: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks", []):
            element = block.get("element") or {}
            action_id = element.get("action_id")
            if block.get("type") == "input" and action_id:
                value = values.get(action_id)
                state[block.get("block_id", action_id)] = {
                    action_id: {"type": element.get("type"), "value": value}
                }
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "fake"},
            "user": {"id": user.id, "username": user.name, "team_id": self.team_id},
            "api_app_id": "A0FAKE",
            "trigger_id": self.trigger_id(),
            "view": {
                "id": new_id("V"),
                "type": "modal",
                "callback_id": view.get("callback_id"),
                "private_metadata": view.get("private_metadata", ""),
                "state": {"values": state},
            },
        }
        return await self.send_envelope("interactive", payload)

    async def open_home(self, user: FakeUser) -> str:
        payload = {
            "token": "verification-token",
            "team_id": self.team_id,
            "api_app_id": "A0FAKE",
            "type": "event_callback",
            "event_id": new_id("Ev"),
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user.id,
                "channel": f"D{user.id}",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
        }
        return await self.send_envelope("events_api", payload)

    async def wait_response(
        self, envelope_id: str, within: float = 10.0, number: int = 1
    ) -> dict[str, Any]:
        """The `number`th reply the app sent to this envelope's response_url."""
        key = self._response_keys[envelope_id]
        deadline = time.monotonic() + within
        while len(self.responses.get(key, [])) < number:
            if time.monotonic() > deadline:
                raise AssertionError(f"no reply to envelope {envelope_id} within {within} s")
            await asyncio.sleep(0.01)
        return self.responses[key][number - 1]

    async def answered_at(self, envelope_id: str) -> float:
        """When the first reply to this command's response_url arrived (perf_counter)."""
        return await self.answered[self._response_keys[envelope_id]]

    async def drop_socket(self) -> None:
        """Close every open socket, as Slack does when it moves a connection."""
        for ws in list(self._sockets):
            self._sockets.remove(ws)
            await ws.close()
        self.connected.clear()

    def response_url(self, envelope_key: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{envelope_key}"

    def trigger_id(self) -> str:
        trigger = new_id("trig")
        self.triggers[trigger] = time.monotonic()
        return trigger

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["envelope"]
        body = await request.json()
        error = self._check_message("response_url", body)
        if error:
            return web.json_response({"ok": False, "error": error})
        self.responses.setdefault(key, []).append(body)
        answered = self.answered.get(key)
        if answered is not None and not answered.done():
            answered.set_result(time.perf_counter())
        if key not in self._response_channels:
            return web.json_response({"ok": True})
        channel = self.channels[self._response_channels[key]]
        if body.get("replace_original") in (True, "true") and key in self._pressed:
            # As Slack does: the message the button was on is redrawn in place.
            for message in channel.messages:
                if message["ts"] == self._pressed[key]:
                    message.update(text=body.get("text", ""), blocks=body.get("blocks", []))
                    message["edited"] = {"user": self.bot_user, "ts": f"{time.time():.6f}"}
            return web.json_response({"ok": True})
        if body.get("response_type") == "in_channel":
            channel.messages.append({"type": "message", "ts": f"{time.time():.6f}", **body})
        return web.json_response({"ok": True})

    def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._require("chat.postEphemeral", args, "channel", "user") or self._check_message(
            "chat.postEphemeral", args
        )
        if error:
            return {"ok": False, "error": error}
        self.ephemeral.append(args)
        return {"ok": True, "message_ts": f"{time.time():.6f}"}

    def _check_trigger(self, method: str, args: dict[str, Any]) -> str | None:
        opened = self.triggers.pop(str(args.get("trigger_id")), None)
        if opened is None:
            self.problems.append(f"{method}: unknown or reused trigger_id")
            return "invalid_trigger"
        if time.monotonic() - opened > 3.0:
            return "expired_trigger_id"
        return None

    def m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._check_trigger("views.open", args)
        if error:
            return {"ok": False, "error": error}
        view = args.get("view") or {}
        self.views_opened.append(view)
        return {"ok": True, "view": {"id": new_id("V"), **view}}

    def m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._require("views.publish", args, "user_id", "view")
        if error:
            return {"ok": False, "error": error}
        view = args["view"]
        for block in view.get("blocks", []):
            Block.parse(block).validate_json()  # type: ignore[union-attr]
        self.home_views[str(args["user_id"])] = view
        return {"ok": True, "view": {"id": new_id("V"), **view}}
