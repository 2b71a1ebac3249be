"""The fake gateway: Discord's websocket protocol (v10, JSON) on one aiohttp route.

It speaks what discord.py 2.7 expects: HELLO, then IDENTIFY -> READY + one GUILD_CREATE per
guild, heartbeats acknowledged, RESUME replaying what was missed, and the transport compression
discord.py asks for by default: zlib-stream, or zstd-stream when `zstandard` (or Python 3.14's
`compression.zstd`) is importable.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import secrets
import zlib
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads as p

if TYPE_CHECKING:
    from .server import FakeDiscord

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
_REPLAY_LIMIT = 2000


def _zlib_stream() -> Callable[[bytes], bytes]:
    context = zlib.compressobj()
    # Each message ends with a sync flush (00 00 ff ff), which discord.py waits for.
    return lambda data: context.compress(data) + context.flush(zlib.Z_SYNC_FLUSH)


def _zstd_stream() -> Callable[[bytes], bytes] | None:
    """One zstd stream, flushed per message; None if neither zstd module is importable."""
    try:
        zstandard: Any = importlib.import_module("zstandard")
    except ImportError:
        try:
            zstd: Any = importlib.import_module("compression.zstd")
        except ImportError:
            return None
        compressor = zstd.ZstdCompressor()
        return lambda data: compressor.compress(data, mode=zstd.ZstdCompressor.FLUSH_BLOCK)
    stream = zstandard.ZstdCompressor().compressobj()
    return lambda data: stream.compress(data) + stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)


class _Encoder:
    """Turns payloads into frames; a compression stream lives as long as its connection."""

    def __init__(self, kind: str | None) -> None:
        self._compress = {"zlib-stream": _zlib_stream, "zstd-stream": _zstd_stream}.get(
            kind or "", lambda: None
        )()

    def encode(self, payload: dict[str, Any]) -> str | bytes:
        text = json.dumps(payload, separators=(",", ":"))
        return text if self._compress is None else self._compress(text.encode())


class Session:
    def __init__(self, intents: int, shard: list[int] | None) -> None:
        self.id = secrets.token_hex(16)
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.log: deque[dict[str, Any]] = deque(maxlen=_REPLAY_LIMIT)
        self.connection: Connection | None = None


class Connection:
    """One websocket; a writer task keeps frames in order so `dispatch` can stay synchronous."""

    def __init__(self, gateway: Gateway, ws: web.WebSocketResponse, encoder: _Encoder) -> None:
        self.gateway = gateway
        self.ws = ws
        self.encoder = encoder
        self.session: Session | None = None
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write())

    def send(self, payload: dict[str, Any]) -> None:
        self.queue.put_nowait(payload)

    async def _write(self) -> None:
        while (payload := await self.queue.get()) is not None:
            if self.ws.closed:
                return
            frame = self.encoder.encode(payload)
            try:
                if isinstance(frame, bytes):
                    await self.ws.send_bytes(frame)
                else:
                    await self.ws.send_str(frame)
            except ConnectionError:
                return
            self.gateway.sent(payload)

    async def stop(self) -> None:
        self.writer.cancel()
        await asyncio.gather(self.writer, return_exceptions=True)


class Gateway:
    """Sessions, sequence numbers and the event log used to replay a RESUME."""

    def __init__(self, fake: FakeDiscord, heartbeat_interval_ms: int) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.session: Session | None = None  # the latest one, where events go
        self.current: Connection | None = None  # the connection that is identified or resumed
        self.connections: list[Connection] = []
        self.ready = asyncio.Event()
        self.connects: list[dict[str, str]] = []  # the query of each websocket connection
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0

    @property
    def connected(self) -> bool:
        return self.current is not None and not self.current.ws.closed

    def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> bool:
        """Send (or, while disconnected, keep for RESUME) one event; False if not delivered."""
        session = self.session
        if session is None or (intent is not None and not session.intents & intent):
            return False
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.log.append(payload)
        if session.connection is not None:
            session.connection.send(payload)
        return True

    def guild_joined(self, guild: Any) -> None:
        session = self.session
        if session is not None:
            all_members = bool(session.intents & GUILD_MEMBERS)
            self.dispatch("GUILD_CREATE", p.guild_create_payload(guild, all_members=all_members))

    def sent(self, payload: dict[str, Any]) -> None:
        if payload.get("t") == "INTERACTION_CREATE":
            self.fake.interaction_delivered(int(payload["d"]["id"]))

    async def drop(self, code: int = 4000, *, resumable: bool = True) -> None:
        conn = self.current
        if conn is None:
            raise AssertionError("the gateway has no connected bot to drop")
        self.current = None
        self.ready.clear()
        if conn.session is not None:
            conn.session.connection = None  # later events wait in the log for a RESUME
            if not resumable:
                self.sessions.pop(conn.session.id, None)
        await conn.ws.close(code=code, message=b"dropped by the test")

    async def close(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close(code=1001, message=b"fake Discord is shutting down")
            await conn.stop()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.connects.append(dict(request.query))
        refusal = self._check_query(request)
        if refusal is not None:
            self.fake.problem(f"gateway: {refusal[1]}")
            await ws.close(code=refusal[0], message=refusal[1].encode())
            return ws
        conn = Connection(self, ws, _Encoder(request.query.get("compress")))
        self.connections.append(conn)
        hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-gateway"]}
        conn.send({"op": 10, "d": hello, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._receive(conn, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await self._refuse(conn, 4002, "binary frames are not JSON")
        finally:
            await conn.stop()
            self.connections.remove(conn)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            if self.current is conn:
                self.current = None
                self.ready.clear()
        return ws

    def _check_query(self, request: web.Request) -> tuple[int, str] | None:
        query = request.query
        if query.get("v") != "10":
            return 4012, f"connect with v=10, not v={query.get('v')}"
        if query.get("encoding", "json") != "json":
            return 4000, f"encoding {query['encoding']!r} is not supported by the fake (use json)"
        compress = query.get("compress")
        if compress not in (None, "zlib-stream", "zstd-stream"):
            return 4000, f"unknown compress={compress!r}"
        if compress == "zstd-stream" and _zstd_stream() is None:
            return 4000, "zstd-stream requested but no zstd module is importable here"
        return None

    async def _refuse(self, conn: Connection, code: int, reason: str) -> None:
        self.fake.problem(f"gateway closed with {code}: {reason}")
        await conn.ws.close(code=code, message=reason.encode())

    async def _receive(self, conn: Connection, raw: str) -> None:
        try:
            message = json.loads(raw)
            op, data = message["op"], message.get("d")
        except (ValueError, KeyError, TypeError):
            await self._refuse(conn, 4002, f"cannot decode {raw[:100]!r}")
            return
        if op == 1:
            self.heartbeats += 1
            conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif conn.session is None:
            await self._refuse(conn, 4003, f"op {op} sent before IDENTIFY")
        elif op == 8:
            self._request_members(data or {})
        elif op not in (3, 4):  # presence and voice state updates need no answer
            await self._refuse(conn, 4001, f"unknown opcode {op}")

    def _token_ok(self, token: Any) -> bool:
        return isinstance(token, str) and token.removeprefix("Bot ") == self.fake.token

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await self._refuse(conn, 4005, "already authenticated")
            return
        if not self._token_ok(data.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await self._refuse(conn, 4013, "IDENTIFY without intents (required in v10)")
            return
        if intents & PRIVILEGED_INTENTS & ~self.fake.privileged_intents:
            await self._refuse(conn, 4014, f"privileged intents requested: {intents:#x}")
            return
        self.identifies.append({**data, "token": "<redacted>"})
        if self.session is not None:
            self.sessions.pop(self.session.id, None)  # a new IDENTIFY ends the old session
        session = Session(intents, data.get("shard"))
        self.sessions[session.id] = session
        self.session, session.connection, conn.session = session, conn, session
        self.dispatch("READY", self._ready_payload(session))
        for guild in self.fake.guilds.values():
            payload = p.guild_create_payload(guild, all_members=bool(intents & GUILD_MEMBERS))
            self.dispatch("GUILD_CREATE", payload)
        self.current = conn
        self.ready.set()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        if not self._token_ok(data.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        oldest = session.log[0]["s"] - 1 if session and session.log else 0
        self.resumes.append({**data, "token": "<redacted>", "accepted": session is not None})
        if session is None or not isinstance(seq, int) or not oldest <= seq <= session.seq:
            # Not resumable: discord.py then identifies afresh.
            self.resumes[-1]["accepted"] = False
            conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        session.connection, conn.session, self.session = conn, session, session
        for payload in session.log:
            if payload["s"] > seq:
                conn.send(payload)
        self.dispatch("RESUMED", {"_trace": ["fake-gateway"]})
        self.current = conn
        self.ready.set()

    def _request_members(self, data: dict[str, Any]) -> None:
        guild = self.fake.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        wanted = {int(u) for u in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        members = [
            m
            for m in guild.members.values()
            if (m.id in wanted if wanted else m.name.lower().startswith(query))
        ]
        chunk = {
            "guild_id": str(guild.id),
            "members": [p.member_payload(m) for m in members[: data.get("limit") or None]],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - {m.id for m in members}],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _ready_payload(self, session: Session) -> dict[str, Any]:
        fake = self.fake
        payload: dict[str, Any] = {
            "v": 10,
            "user_settings": {},
            "user": p.private_user_payload(fake.bot_user),
            "session_type": "normal",
            "session_id": session.id,
            "resume_gateway_url": fake.gateway_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": [{"id": str(g), "unavailable": True} for g in fake.guilds],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam", "frankfurt", "london"],
            "auth": {},
            "application": {"id": str(fake.app_id), "flags": p.APPLICATION_FLAGS},
            "_trace": ['["gateway-prd-fake",{"micros":1}]'],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload
