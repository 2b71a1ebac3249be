"""The fake Discord's shards, with real discord.py `AutoShardedClient`s and a raw websocket.

Several clients in this process stand for several bot processes: each runs some of the shards,
as studybot will across processes. Routing is checked from both sides: what each client saw, and
what the fake put in each session's event log (synchronous, so an absence there is certain).
"""

# Waits take `timeout=` on purpose, as in the fake's own API.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands

from tests.fakediscord import FakeDiscord, FakeGuild
from tests.fakediscord import payloads as p
from tests.fakediscord.shards import Session, shard_of

UA = {"User-Agent": "DiscordBot (https://example.invalid, 1.0)"}
INTENTS = discord.Intents.default().value


class ShardedClient(discord.AutoShardedClient):
    """One bot process: answers /whoami with its label and the shard the guild is on."""

    def __init__(
        self,
        label: str,
        *,
        sync: bool = False,
        on_identify: Callable[[int, bool], None] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1, **options)
        self.label = label
        self.sync = sync
        self.on_identify = on_identify
        self.tree = app_commands.CommandTree(self)
        self.interaction_guilds: list[int | None] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py sleeps 5 s before each non-initial shard; the fake's clock is the test's.
        if self.on_identify is not None:
            self.on_identify(shard_id or 0, initial)

    async def setup_hook(self) -> None:
        @self.tree.command(description="Says which process answered")
        async def whoami(interaction: discord.Interaction) -> None:
            shard = interaction.guild.shard_id if interaction.guild else None
            await interaction.response.send_message(f"{self.label} on shard {shard}")

        if self.sync:
            await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.interaction_guilds.append(interaction.guild_id)


class Fleet:
    """Clients started one after another against one fake, all closed at the end."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.running: dict[ShardedClient, asyncio.Task[None]] = {}

    async def start(self, client: ShardedClient, timeout: float = 20.0) -> ShardedClient:
        task = asyncio.create_task(client.start(self.fake.token))
        self.running[client] = task
        ready = asyncio.ensure_future(client.wait_until_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when="FIRST_COMPLETED")
        if task in done:
            ready.cancel()
            del self.running[client]
            task.result()  # the client stopped: raise why
            raise AssertionError(f"{client.label} stopped before it was ready")
        if ready not in done:
            ready.cancel()
            raise AssertionError(f"{client.label} not ready within {timeout} s")
        return client

    async def stop(self, client: ShardedClient) -> None:
        await client.close()
        task = self.running.pop(client)
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def fleet(fake: FakeDiscord) -> AsyncIterator[Fleet]:
    """discord.py pointed at the fake (its class attributes restored after)."""
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    clients = Fleet(fake)
    try:
        yield clients
    finally:
        for client in list(clients.running):
            await clients.stop(client)
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


@contextlib.asynccontextmanager
async def started(**options: Any) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(token="fake-token", **options)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


def events(session: Session, name: str) -> list[dict[str, Any]]:
    """The `d` of each `name` event the fake put in the session's log."""
    return [e["d"] for e in session.log if e["t"] == name]


def guilds_on(fake: FakeDiscord, count: int) -> list[FakeGuild]:
    return [fake.add_guild(f"group {i}") for i in range(count)]


async def guild_arrives(client: ShardedClient, guild: FakeGuild) -> None:
    """Until the client has the guild (discord.py calls it joined or available, by timing)."""
    waits = [
        asyncio.ensure_future(client.wait_for(e, check=lambda g: g.id == guild.id))
        for e in ("guild_join", "guild_available")
    ]
    done, pending = await asyncio.wait(waits, timeout=5, return_when="FIRST_COMPLETED")
    for wait in pending:
        wait.cancel()
    assert done, f"{client.label} did not get guild {guild.id}"


# -- a websocket that is not discord.py ---------------------------------------------------------


@contextlib.asynccontextmanager
async def raw_gateway(fake: FakeDiscord) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    query = {"v": "10", "encoding": "json"}
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(fake.gateway_url, params=query) as ws,
    ):
        hello = await ws.receive_json(timeout=5)
        assert hello["op"] == 10
        yield ws


async def identify(ws: aiohttp.ClientWebSocketResponse, fake: FakeDiscord, shard: Any) -> None:
    data: dict[str, Any] = {
        "token": f"Bot {fake.token}",
        "intents": INTENTS,
        "properties": {"os": "linux", "browser": "raw", "device": "raw"},
    }
    if shard is not None:
        data["shard"] = shard
    await ws.send_json({"op": 2, "d": data})


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await ws.receive(timeout=5)
    if msg.type != aiohttp.WSMsgType.TEXT:
        raise AssertionError(f"expected an event, got {msg.type!r} {msg.data!r} {msg.extra!r}")
    event: dict[str, Any] = json.loads(msg.data)
    return event


async def closed_with(ws: aiohttp.ClientWebSocketResponse) -> tuple[int, str]:
    msg = await ws.receive(timeout=5)
    assert msg.type == aiohttp.WSMsgType.CLOSE, (msg.type, msg.data)
    return int(msg.data), str(msg.extra)


# -- REST and ids -------------------------------------------------------------------------------


async def gateway_bot(fake: FakeDiscord) -> dict[str, Any]:
    headers = UA | {"Authorization": f"Bot {fake.token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(fake.api_base_url + "/gateway/bot", headers=headers) as resp,
    ):
        assert resp.status == 200
        body: dict[str, Any] = await resp.json()
        return body


async def test_gateway_bot_recommends_the_configured_shards() -> None:
    async with started(shards=4, max_concurrency=2) as fake:
        body = await gateway_bot(fake)
        assert body["shards"] == 4
        assert body["session_start_limit"]["max_concurrency"] == 2
        assert body["url"] == fake.gateway_url.rstrip("/")
        assert fake.problems == []  # the answer still fits Discord's spec
    async with started() as fake:
        body = await gateway_bot(fake)
        assert (body["shards"], body["session_start_limit"]["max_concurrency"]) == (1, 1)
    with pytest.raises(ValueError, match="must be >= 1"):
        FakeDiscord(shards=0)


async def test_guild_ids_spread_over_shards() -> None:
    fake = FakeDiscord(shards=4)
    guilds = guilds_on(fake, 1000)
    assert len({g.id for g in guilds}) == 1000
    assert Counter(fake.shard_of(g) for g in guilds) == {0: 250, 1: 250, 2: 250, 3: 250}
    assert all(fake.shard_of(g.id) == (g.id >> 22) % 4 for g in guilds)
    placed = fake.add_guild("on three", shard=3)
    assert fake.shard_of(placed) == 3
    with pytest.raises(ValueError, match="not one of"):
        fake.add_guild("nowhere", shard=4)

    # Without a shard the generator alone spreads too: every guild takes a new millisecond.
    ids = [p.new_guild_id() for _ in range(1000)]
    assert Counter(shard_of(i, 4) for i in ids) == {0: 250, 1: 250, 2: 250, 3: 250}
    # Worker 2 keeps guild ids apart from every other id the fake makes (worker 1).
    assert {(i >> 17) & 0x1F for i in ids} == {2}
    assert (p.new_id() >> 17) & 0x1F == 1


# -- IDENTIFY refused ---------------------------------------------------------------------------


async def test_identify_with_a_wrong_shard_is_refused() -> None:
    async with started(shards=4) as fake:
        for shard in ([0, 3], [4, 4], [-1, 4], [0, 8], "0,4"):
            async with raw_gateway(fake) as ws:
                await identify(ws, fake, shard)
                code, reason = await closed_with(ws)
                assert (code, reason.startswith("Invalid shard")) == (4010, True), shard
        async with raw_gateway(fake) as ws:
            await identify(ws, fake, None)
            code, reason = await closed_with(ws)
            assert code == 4011
            assert reason.startswith("Sharding required")
        assert len(fake.problems) == 6
        assert all(p.startswith("gateway closed with 401") for p in fake.problems)
        assert fake.identifies == []  # no session was started
        assert fake.sessions_of(0) == []
        fake.problems.clear()

        async with fleet(fake) as clients:
            # discord.py raises the close instead of retrying: 4010 is not one it can handle.
            with pytest.raises(discord.ConnectionClosed) as closed:
                await clients.start(ShardedClient("three", shard_count=3))
            assert closed.value.code == 4010
            plain = discord.Client(intents=discord.Intents.default())  # sends no shard
            with pytest.raises(discord.ConnectionClosed) as closed:
                await asyncio.wait_for(plain.start(fake.token), timeout=10)
            assert closed.value.code == 4011
        assert any("this app has 4 shards" in p for p in fake.problems)
        fake.problems.clear()


async def test_a_raw_session_gets_only_its_shards_guilds() -> None:
    async with started(shards=4) as fake:
        guilds = guilds_on(fake, 8)
        mine = sorted(g.id for g in guilds if fake.shard_of(g) == 1)
        assert len(mine) == 2
        async with raw_gateway(fake) as ws:
            await identify(ws, fake, [1, 4])
            ready = await receive(ws)
            assert ready["t"] == "READY"
            assert ready["d"]["shard"] == [1, 4]
            assert sorted(int(g["id"]) for g in ready["d"]["guilds"]) == mine
            creates = [await receive(ws) for _ in mine]
            assert sorted(int(e["d"]["id"]) for e in creates) == mine
            assert {e["t"] for e in creates} == {"GUILD_CREATE"}
            [session] = fake.sessions_of(1)
            assert sorted(session.guild_ids) == mine
            assert not fake.gateway.ready.is_set()  # shards 0, 2 and 3 have nobody
            assert fake.gateway.shards.missing() == [0, 2, 3]
        assert fake.problems == []


async def test_reidentify_ends_only_sessions_without_a_connection() -> None:
    async with started(shards=2) as fake, raw_gateway(fake) as first:
        await identify(first, fake, [0, 2])
        first_id = (await receive(first))["d"]["session_id"]
        await first.close(code=4000)  # not 1000: Discord keeps the session for a RESUME
        [away] = await fake.wait_for_sessions(0, 0, live=True)
        assert (away.id, away.live) == (first_id, False)

        async with raw_gateway(fake) as second, raw_gateway(fake) as third:
            await identify(second, fake, [0, 2])
            second_id = (await receive(second))["d"]["session_id"]
            assert [s.id for s in fake.sessions_of(0)] == [second_id]  # the old one ended
            await identify(third, fake, [0, 2])
            third_id = (await receive(third))["d"]["session_id"]
            # An overlapping deploy: both processes stay connected on shard 0.
            assert [(s.id, s.live) for s in fake.sessions_of(0)] == [
                (second_id, True), (third_id, True),
            ]  # fmt: skip
        # aiohttp closes with 1000, which ends a session on Discord.
        assert await fake.wait_for_sessions(0, 0) == []
    assert fake.problems == []


# -- real discord.py clients --------------------------------------------------------------------


async def test_unset_shard_count_uses_the_recommended_one() -> None:
    async with started(shards=3) as fake, fleet(fake) as clients:
        guilds = guilds_on(fake, 6)
        client = await clients.start(ShardedClient("auto"))
        await fake.wait_until_ready(timeout=10)
        assert client.shard_count == 3
        assert sorted(client.shards) == [0, 1, 2]
        assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 3), (1, 3), (2, 3)]
        assert {g.id: g.shard_id for g in client.guilds} == {g.id: fake.shard_of(g) for g in guilds}
        assert fake.problems == []


async def test_two_processes_split_the_shards() -> None:
    async with started(shards=4, max_concurrency=4) as fake, fleet(fake) as clients:
        guilds = guilds_on(fake, 12)
        members = {fake.shard_of(g): g.add_member(f"member{fake.shard_of(g)}") for g in guilds}
        low = await clients.start(ShardedClient("low", sync=True, shard_count=4, shard_ids=[0, 1]))
        assert fake.gateway.shards.missing() == [2, 3]
        assert not fake.gateway.ready.is_set()  # wait_until_ready wants every shard
        high = await clients.start(ShardedClient("high", shard_count=4, shard_ids=[2, 3]))
        await fake.wait_until_ready(timeout=10)
        await fake.wait_for_command_sync()

        # Every guild exactly once, on its own shard, on the process that runs that shard.
        seen = [(g.id, g.shard_id) for c in (low, high) for g in c.guilds]
        assert sorted(seen) == sorted((g.id, fake.shard_of(g)) for g in guilds)
        assert {g.shard_id for g in low.guilds} == {0, 1}
        assert Counter(d.guild_id for d in fake.guild_deliveries) == {g.id: 1 for g in guilds}
        assert all(d.shard_id == fake.shard_of(d.guild_id) for d in fake.guild_deliveries)
        for shard in range(4):
            [session] = fake.sessions_of(shard)
            assert sorted(session.guild_ids) == sorted(
                g.id for g in guilds if fake.shard_of(g) == shard
            )

        # An interaction reaches the process that runs the guild's shard, and only it.
        for shard, member in sorted(members.items()):
            owner = "low" if shard < 2 else "high"
            assert (await member.slash("whoami")).content == f"{owner} on shard {shard}"
        assert len(low.interaction_guilds) == len(high.interaction_guilds) == 2
        for shard in range(4):
            [session] = fake.sessions_of(shard)
            assert [int(d["guild_id"]) for d in events(session, "INTERACTION_CREATE")] == [
                members[shard].guild.id
            ]

        # A guild added now, and a change to it, go to its shard's process only.
        late = fake.add_guild("late", shard=3)
        await guild_arrives(high, late)
        created = high.wait_for("guild_channel_create", check=lambda c: c.name == "news", timeout=5)
        late.add_text_channel("news")
        await created
        assert late.id not in {g.id for g in low.guilds}
        for shard in (0, 1, 2):
            assert events(fake.sessions_of(shard)[0], "CHANNEL_CREATE") == []

        # A DM has no guild: Discord sends it on shard 0, whoever sent it.
        alice = members[0]
        dm = low.wait_for("message", check=lambda m: m.guild is None, timeout=5)
        await (await high.fetch_user(alice.id)).send("hello from shard 2")
        assert (await dm).content == "hello from shard 2"
        dms = {
            shard: [d["content"] for d in events(session, "MESSAGE_CREATE") if "guild_id" not in d]
            for shard in range(4)
            for session in fake.sessions_of(shard)
        }
        assert dms == {0: ["hello from shard 2"], 1: [], 2: [], 3: []}

        # One shard dropped: its process resumes that session alone, the others stay up.
        kept = fake.sessions_of(2)[0].id
        await fake.drop_gateway(shard=2)
        assert not fake.gateway.ready.is_set()
        await fake.wait_until_ready(timeout=10)
        assert [r["accepted"] for r in fake.resumes] == [True]
        assert [s.id for s in fake.sessions_of(2)] == [kept]
        assert (await members[2].slash("whoami")).content == "high on shard 2"
        assert len(fake.identifies) == 4
        assert fake.problems == []


async def test_overlapping_deploy_gets_each_interaction_once() -> None:
    async with started(shards=2, max_concurrency=2) as fake, fleet(fake) as clients:
        guild = fake.add_guild("group", shard=0)
        fake.add_guild("other", shard=1)
        alice = guild.add_member("alice")
        old = await clients.start(ShardedClient("old", sync=True, shard_count=2))
        await fake.wait_for_command_sync()
        new = await clients.start(ShardedClient("new", shard_count=2))
        assert [s.live for s in fake.sessions_of(0)] == [True, True]

        # The process identified last answers; the other never sees the interaction.
        assert (await alice.slash("whoami")).content == "new on shard 0"
        assert (old.interaction_guilds, new.interaction_guilds) == ([], [guild.id])
        old_session, new_session = fake.sessions_of(0)
        assert events(old_session, "INTERACTION_CREATE") == []
        assert len(events(new_session, "INTERACTION_CREATE")) == 1

        # Guild events reach both.
        waits = [
            c.wait_for("guild_channel_create", check=lambda ch: ch.name == "both", timeout=5)
            for c in (old, new)
        ]
        guild.add_text_channel("both")
        assert [ch.guild.id for ch in await asyncio.gather(*waits)] == [guild.id, guild.id]

        # The new process stops: its clean close ends its sessions, and the old one answers.
        await clients.stop(new)
        assert await fake.wait_for_sessions(0, 1) == [old_session]
        await fake.wait_for_sessions(1, 1)
        assert (await alice.slash("whoami")).content == "old on shard 0"
        assert old.interaction_guilds == [guild.id]
        assert fake.problems == []


async def test_identify_spacing_is_checked_per_bucket() -> None:
    # Discord: max_concurrency IDENTIFYs per 5 s, one per bucket `shard_id % max_concurrency`.
    async with started(shards=4, max_concurrency=2, identify_spacing=5.0) as fake:
        async with fleet(fake) as clients:
            await clients.start(ShardedClient("hasty", shard_count=4))  # no wait at all
            await fake.wait_until_ready(timeout=10)
        assert sorted(fake.gateway.identify_times) == [0, 1]
        assert [len(t) for t in fake.gateway.identify_times.values()] == [2, 2]
        assert len(fake.problems) == 2
        assert "shard 2 identified" in fake.problems[0]
        assert "bucket 0" in fake.problems[0]
        assert "shard 3 identified" in fake.problems[1]
        assert "bucket 1" in fake.problems[1]

    async with started(shards=4, max_concurrency=2, identify_spacing=5.0) as fake:
        now = [1000.0]
        fake.gateway.clock = lambda: now[0]

        def spaced(shard_id: int, initial: bool) -> None:
            if shard_id % 2 == 0 and not initial:
                now[0] += 5.0  # the next pair: 5 s after the previous one

        async with fleet(fake) as clients:
            await clients.start(ShardedClient("patient", shard_count=4, on_identify=spaced))
            await fake.wait_until_ready(timeout=10)
        assert fake.gateway.identify_times == {0: [1000.0, 1005.0], 1: [1000.0, 1005.0]}
        assert fake.problems == []

        # One moment too soon is one problem.
        now[0] = 1009.5
        async with raw_gateway(fake) as ws:
            await identify(ws, fake, [0, 4])
            assert (await receive(ws))["t"] == "READY"
        assert fake.problems == [
            "gateway: shard 0 identified 4.500 s after the last IDENTIFY in its bucket 0 "
            "(max_concurrency 2); Discord wants 5.0 s between them"
        ]
