"""The fake gateway: Discord's websocket protocol (v10, JSON) on one aiohttp route.

It speaks what discord.py 2.7 expects: HELLO, then IDENTIFY -> READY + one GUILD_CREATE per
guild, heartbeats acknowledged, RESUME replaying what was missed, and the transport compression
discord.py asks for by default: zlib-stream, or zstd-stream when `zstandard` (or Python 3.14's
`compression.zstd`) is importable. Sessions are sharded as Discord shards them (`shards.py`).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads as p
from .shards import IdentifyLimit, Session, Shards, guild_of

if TYPE_CHECKING:
    from .server import FakeDiscord

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


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


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


class Connection:
    """One websocket; a writer task keeps frames in order so `dispatch` can stay synchronous."""

    def __init__(self, gateway: Gateway, ws: web.WebSocketResponse, encoder: _Encoder) -> None:
        self.gateway = gateway
        self.ws = ws
        self.encoder = encoder
        self.session: Session | None = None
        self.closed_by_fake = False
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write())

    def send(self, payload: dict[str, Any]) -> None:
        self.queue.put_nowait(payload)

    async def close(self, code: int, reason: str) -> None:
        self.closed_by_fake = True
        # A close frame's reason has room for 123 bytes.
        message = reason.encode()[:123].decode(errors="ignore").encode()
        await self.ws.close(code=code, message=message)

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

    def __init__(
        self,
        fake: FakeDiscord,
        heartbeat_interval_ms: int,
        *,
        shards: int = 1,
        max_concurrency: int = 1,
        identify_spacing: float | None = None,
    ) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.shards = Shards(shards)
        self.identify_limit = IdentifyLimit(max_concurrency, identify_spacing)
        self.clock: Callable[[], float] = _loop_time  # a test may put its own clock here
        self.connections: list[Connection] = []
        self.ready = asyncio.Event()  # set while every shard has a live session
        self.connects: list[dict[str, str]] = []  # the query of each websocket connection
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0

    @property
    def sessions(self) -> dict[str, Session]:
        return self.shards.sessions

    @property
    def session(self) -> Session | None:
        """The session identified or resumed last, on any shard."""
        return self.shards.latest()

    @property
    def current(self) -> Connection | None:
        """The live connection identified or resumed last, on any shard."""
        session = self.shards.latest(live=True)
        return session.connection if session is not None else None

    @property
    def connected(self) -> bool:
        return self.current is not None

    @property
    def identify_times(self) -> dict[int, list[float]]:
        """Bucket (`shard_id % max_concurrency`) -> the `clock()` time of each IDENTIFY."""
        return self.identify_limit.times

    def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> bool:
        """Send (or, while disconnected, keep for RESUME) one event; False if not delivered.

        The payload's guild picks the shard, as on Discord; an interaction goes to one session.
        """
        guild_id = guild_of(event, data)
        if event == "INTERACTION_CREATE":
            receiver = self.shards.interaction_receiver(guild_id)
            sessions = [receiver] if receiver is not None else []
        else:
            sessions = self.shards.receivers(guild_id)
        delivered = False
        for session in sessions:
            if intent is None or session.intents & intent:
                self._send(session, event, data)
                delivered = True
        return delivered

    def _send(self, session: Session, event: str, data: Any) -> None:
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.log.append(payload)
        if session.connection is not None:
            session.connection.send(payload)

    def guild_joined(self, guild: Any) -> None:
        for session in self.shards.receivers(guild.id):
            self._guild_create(session, guild)

    def _guild_create(self, session: Session, guild: Any) -> None:
        all_members = bool(session.intents & GUILD_MEMBERS)
        self._send(session, "GUILD_CREATE", p.guild_create_payload(guild, all_members=all_members))
        self.shards.delivered(session, guild.id)

    def _update_ready(self) -> None:
        if self.shards.missing():
            self.ready.clear()
        else:
            self.ready.set()
        self.fake.changed.notify()  # for `wait_for_sessions`

    def sent(self, payload: dict[str, Any]) -> None:
        if payload.get("t") == "INTERACTION_CREATE":
            self.fake.interaction_delivered(int(payload["d"]["id"]))

    async def drop(
        self, code: int = 4000, *, resumable: bool = True, shard: int | None = None
    ) -> None:
        """Close the live connection identified or resumed last (of `shard`, if given)."""
        session = self.shards.latest(live=True, shard_id=shard)
        if session is None or session.connection is None:
            where = "" if shard is None else f" on shard {shard}"
            raise AssertionError(f"the gateway has no connected bot to drop{where}")
        conn = session.connection
        session.connection = None  # later events wait in the log for a RESUME
        if not resumable:
            self.shards.end(session)
        self._update_ready()
        await conn.close(code, "dropped by the test")

    async def close(self) -> None:
        for conn in list(self.connections):
            await conn.close(1001, "fake Discord is shutting down")
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
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                if ws.close_code in (1000, 1001) and not conn.closed_by_fake:
                    self.shards.end(session)  # Discord ends a session its bot closes cleanly
            self._update_ready()
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
        await conn.close(code, reason)

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
            self._request_members(conn.session, data or {})
        elif op not in (3, 4):  # presence and voice state updates need no answer
            await self._refuse(conn, 4001, f"unknown opcode {op}")

    def _token_ok(self, token: Any) -> bool:
        return isinstance(token, str) and token.removeprefix("Bot ") == self.fake.token

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            await self._refuse(conn, 4005, "already authenticated")
            return
        if not self._token_ok(data.get("token")):
            await conn.close(4004, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await self._refuse(conn, 4013, "IDENTIFY without intents (required in v10)")
            return
        if intents & PRIVILEGED_INTENTS & ~self.fake.privileged_intents:
            await self._refuse(conn, 4014, f"privileged intents requested: {intents:#x}")
            return
        shard = data.get("shard")
        refusal = self.shards.refusal(shard)
        if refusal is not None:
            await self._refuse(conn, *refusal)
            return
        shard_id = shard[0] if shard is not None else 0
        self.identifies.append({**data, "token": "<redacted>"})
        too_soon = self.identify_limit.record(shard_id, self.clock())
        if too_soon is not None:
            self.fake.problem(too_soon)
        session = self.shards.start(intents, shard, shard_id)
        session.connection, conn.session = conn, session
        self._send(session, "READY", self._ready_payload(session))
        for guild in self.fake.guilds.values():
            if self.shards.shard_of(guild.id) == shard_id:
                self._guild_create(session, guild)
        self._update_ready()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        if not self._token_ok(data.get("token")):
            await conn.close(4004, "Authentication failed.")
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
        session.connection, conn.session = conn, session
        self.shards.resumed(session)
        for payload in session.log:
            if payload["s"] > seq:
                conn.send(payload)
        self._send(session, "RESUMED", {"_trace": ["fake-gateway"]})
        self._update_ready()

    def _request_members(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.fake.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        if self.shards.shard_of(guild.id) != session.shard_id:
            self.fake.problem(
                f"gateway: shard {session.shard_id} asked for members of guild {guild.id}, "
                f"which is on shard {self.shards.shard_of(guild.id)}"
            )
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
        self._send(session, "GUILD_MEMBERS_CHUNK", chunk)  # to the session that asked only

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
            "guilds": [
                {"id": str(g), "unavailable": True}
                for g in fake.guilds
                if self.shards.shard_of(g) == session.shard_id
            ],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam", "frankfurt", "london"],
            "auth": {},
            "application": {"id": str(fake.app_id), "flags": p.APPLICATION_FLAGS},
            "_trace": ['["gateway-prd-fake",{"micros":1}]'],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload
