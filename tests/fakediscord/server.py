"""`FakeDiscord`: Discord's REST API and gateway on 127.0.0.1, for end-to-end tests.

Every request is recorded, checked against Discord's OpenAPI description (findings land in
`fake.problems`) and answered with the JSON shapes Discord uses. Bodies Discord would refuse
are refused here too (400, code 50035), so the bot meets the error it would meet in production.
Requests go through `pipeline.py` to the handlers in `rest.py` and `webhooks.py`; this module
holds the state and the test-facing API.
"""

# Waits take `timeout=` on purpose: tests read better as `await x(timeout=5)`.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from aiohttp import web

from . import payloads as p
from .gateway import Gateway
from .messages import FakeFile, StoredMessage, attachment_payload
from .pipeline import Pipeline, RecordedRequest
from .replies import InteractionRecord, Signal
from .rest import CommandSync, Rest
from .shards import GuildDelivery, Session, shard_of
from .webhooks import Webhooks
from .world import FakeChannel, FakeGuild, FakeUser


class FakeDiscord:
    """A fake Discord for one test: `await fake.start()`, point the bot at it, `fake.close()`."""

    def __init__(
        self,
        token: str = "fake-token",
        *,
        app_name: str = "StudyBot",
        validate: bool = True,
        check_responses: bool = True,
        interaction_deadline: float | None = 3.0,
        heartbeat_interval_ms: int = 41250,
        privileged_intents: int = 0,
        global_rate_limit: int | None = None,
        shards: int = 1,
        max_concurrency: int = 1,
        identify_spacing: float | None = None,
    ) -> None:
        if shards < 1 or max_concurrency < 1:
            raise ValueError(f"shards={shards} and max_concurrency={max_concurrency} must be >= 1")
        self.token = token
        self.app_name = app_name
        self.validate = validate
        self.check_responses = check_responses  # the fake checks its own answers too
        self.interaction_deadline = interaction_deadline  # Discord's 3 s to acknowledge
        self.privileged_intents = privileged_intents  # as enabled in the developer portal
        # Bot-token requests allowed per second before a global 429 (None: no limit).
        self.global_rate_limit = global_rate_limit
        self.rate_limited = 0
        # What GET /gateway/bot recommends; IDENTIFYs must use exactly this shard count.
        self.shard_count = shards
        self.max_concurrency = max_concurrency
        # Seconds Discord wants between IDENTIFYs of one bucket (5); None: not checked.
        self.identify_spacing = identify_spacing
        self._next_shard = 0
        self.bot_user = FakeUser(app_name.lower(), bot=True)
        self.app_id = self.bot_user.id  # for current apps the bot user id is the app id
        self.owner_user = FakeUser("app-owner")
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner_user)}
        self.guilds: dict[int, FakeGuild] = {}
        self.dm_channels: dict[int, FakeChannel] = {}  # recipient id -> DM channel
        self.messages: dict[int, StoredMessage] = {}
        self.channel_log: defaultdict[int, list[StoredMessage]] = defaultdict(list)
        self.attachments: dict[int, FakeFile] = {}
        self.registered: dict[int | None, list[dict[str, Any]]] = {}  # scope -> commands
        self.command_syncs: list[CommandSync] = []
        self.requests: list[RecordedRequest] = []
        self.problems: list[str] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.changed = Signal()  # messages stored or edited, commands synced
        self.gateway = Gateway(
            self,
            heartbeat_interval_ms,
            shards=shards,
            max_concurrency=max_concurrency,
            identify_spacing=identify_spacing,
        )
        rest = Rest(self)
        self.http = Pipeline(self, {**rest.handlers, **Webhooks(rest).handlers})
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self.http.attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.http.api)
        app.router.add_route("*", "/{tail:.*}", self.http.elsewhere)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # -- building the world -------------------------------------------------------------------

    def add_guild(self, name: str, *, owner: str = "owner", shard: int | None = None) -> FakeGuild:
        """A guild the bot is in: #study, @everyone, the bot's role, `owner` and the bot.

        Its id puts it on `shard`; by default guilds take the shards in turn, so N guilds
        spread evenly over the shards.
        """
        if shard is None:
            shard = self._next_shard
        elif not 0 <= shard < self.shard_count:
            raise ValueError(f"shard {shard} is not one of this fake's {self.shard_count}")
        self._next_shard = (shard + 1) % self.shard_count
        guild_id = p.new_guild_id(shard, self.shard_count)
        guild = FakeGuild(self, name, owner_name=owner, guild_id=guild_id)
        self.guilds[guild.id] = guild
        self.gateway.guild_joined(guild)  # after READY it arrives like a guild the bot just joined
        return guild

    def shard_of(self, guild: FakeGuild | int) -> int:
        """The shard a guild is on: `(guild_id >> 22) % shard_count`, as on Discord."""
        return shard_of(guild if isinstance(guild, int) else guild.id, self.shard_count)

    def add_user(self, name: str, *, locale: str = "en-US") -> FakeUser:
        user = FakeUser(name, locale=locale)
        self.users[user.id] = user
        return user

    def channel(self, channel_id: int) -> FakeChannel:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if channel.id == channel_id:
                    return channel
        for dm in self.dm_channels.values():
            if dm.id == channel_id:
                return dm
        raise KeyError(f"no channel {channel_id}")

    def dm_channel(self, user: FakeUser | Any) -> FakeChannel:
        """The DM channel with a user (or member), opened if needed, as the bot would."""
        user = getattr(user, "user", user)
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = FakeChannel(self, None, "", recipient=user)
        return self.dm_channels[user.id]

    def host_attachment(
        self, channel_id: int, file: FakeFile, *, ephemeral: bool = False
    ) -> dict[str, Any]:
        """Keep a file downloadable from our CDN path; answers its attachment object."""
        attachment_id = p.new_id()
        self.attachments[attachment_id] = file
        url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{quote(file.filename)}"
        payload = attachment_payload(attachment_id, file, url)
        if ephemeral:
            payload["ephemeral"] = True
        return payload

    # -- observing ----------------------------------------------------------------------------

    def channel_messages(self, channel: FakeChannel | int) -> list[StoredMessage]:
        """Messages visible in a channel (not ephemeral ones, not deleted ones), oldest first."""
        channel_id = channel if isinstance(channel, int) else channel.id
        return [m for m in self.channel_log[channel_id] if not m.deleted]

    def dms(self, user: Any) -> list[StoredMessage]:
        """Direct messages the bot sent to a user or member."""
        user = getattr(user, "user", user)
        dm = self.dm_channels.get(user.id)
        return self.channel_messages(dm) if dm else []

    def message(self, message_id: int) -> StoredMessage:
        return self.messages[message_id]

    async def wait_for_message(
        self,
        channel: FakeChannel | int,
        predicate: Callable[[StoredMessage], bool] | None = None,
        *,
        timeout: float = 10.0,
    ) -> StoredMessage:
        """The first message in the channel (already there or yet to come) matching `predicate`."""

        def find() -> StoredMessage | None:
            found = (m for m in self.channel_messages(channel) if predicate is None or predicate(m))
            return next(found, None)

        def why() -> str:
            texts = [m.text[:80] for m in self.channel_messages(channel)]
            return f"no matching message in channel {channel} within {timeout} s; it has {texts}"

        return await self.changed.wait_for(find, timeout, why)

    async def wait_for_messages(
        self, channel: FakeChannel | int, count: int = 1, *, timeout: float = 10.0
    ) -> list[StoredMessage]:
        """All messages in the channel once there are at least `count`."""

        def why() -> str:
            have = len(self.channel_messages(channel))
            return f"channel {channel} has {have} messages, wanted {count}"

        return await self.changed.wait_for(
            lambda: (
                self.channel_messages(channel)
                if len(self.channel_messages(channel)) >= count
                else None
            ),
            timeout,
            why,
        )

    def requests_to(self, method: str, template: str) -> list[RecordedRequest]:
        """Requests to one spec route, e.g. ("POST", "/channels/{channel_id}/messages")."""
        return [r for r in self.requests if r.method == method and r.template == template]

    def problem(self, text: str) -> None:
        self.problems.append(text)

    # -- commands -----------------------------------------------------------------------------

    def commands(self, guild: FakeGuild | int | None = None) -> list[dict[str, Any]]:
        """Registered commands (as Discord answers them): global, or one guild's."""
        scope = guild if guild is None or isinstance(guild, int) else guild.id
        return list(self.registered.get(scope, []))

    async def wait_for_command_sync(
        self, timeout: float = 20.0, count: int = 1
    ) -> list[CommandSync]:
        """The command syncs so far, once there have been at least `count`."""

        def why() -> str:
            return f"{len(self.command_syncs)} command sync(s) within {timeout} s, wanted {count}"

        return await self.changed.wait_for(
            lambda: list(self.command_syncs) if len(self.command_syncs) >= count else None,
            timeout,
            why,
        )

    def find_command(self, name: str, guild: FakeGuild) -> dict[str, Any]:
        for scope in (guild.id, None):
            for command in self.registered.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        known = {
            "guild": [c["name"] for c in self.registered.get(guild.id, [])],
            "global": [c["name"] for c in self.registered.get(None, [])],
        }
        raise AssertionError(
            f"/{name} is not registered (registered: {known}; {len(self.command_syncs)} sync(s) "
            "so far - await fake.wait_for_command_sync() first?)"
        )

    # -- gateway ------------------------------------------------------------------------------

    @property
    def gateway_connected(self) -> bool:
        return self.gateway.connected

    @property
    def identifies(self) -> list[dict[str, Any]]:
        return self.gateway.identifies

    @property
    def resumes(self) -> list[dict[str, Any]]:
        return self.gateway.resumes

    def sessions_of(self, shard_id: int) -> list[Session]:
        """The shard's sessions Discord would still resume, oldest IDENTIFY first.

        Each has `.id`, `.shard_id`, `.live` (connected now), `.guild_ids` (GUILD_CREATEs sent).
        """
        return self.gateway.shards.of(shard_id)

    async def wait_for_sessions(
        self, shard_id: int, count: int, *, live: bool = False, timeout: float = 10.0
    ) -> list[Session]:
        """The shard's sessions once there are exactly `count` of them (live ones: `live=True`).

        A bot's close reaches the fake a little after the bot's `close()` returns: wait here
        before asserting what a close did to the sessions.
        """

        def find() -> list[Session] | None:
            sessions = self.sessions_of(shard_id)
            counted = [s for s in sessions if s.live] if live else sessions
            return sessions if len(counted) == count else None

        def why() -> str:
            return f"shard {shard_id} has sessions {self.sessions_of(shard_id)}, wanted {count}"

        return await self.changed.wait_for(find, timeout, why)

    @property
    def guild_deliveries(self) -> list[GuildDelivery]:
        """Every GUILD_CREATE sent, as (guild_id, shard_id, session_id), ended sessions too."""
        return self.gateway.shards.deliveries

    async def wait_until_ready(self, timeout: float = 20.0) -> None:
        """Until every shard has a live session: identified (or resumed), sent READY and its
        GUILD_CREATEs. With one shard: until the bot is connected."""
        try:
            await asyncio.wait_for(self.gateway.ready.wait(), timeout)
        except TimeoutError:
            missing = self.gateway.shards.missing()
            raise AssertionError(
                f"the bot did not connect to the gateway within {timeout} s "
                f"(shards without a live session: {missing} of {self.shard_count}, "
                f"identifies: {len(self.identifies)}, problems: {self.problems[-3:]})"
            ) from None

    async def drop_gateway(
        self, code: int = 4000, *, resumable: bool = True, shard: int | None = None
    ) -> None:
        """Close the bot's websocket (the latest live one, of `shard` if given); with
        `resumable=False` its RESUME will be refused."""
        await self.gateway.drop(code, resumable=resumable, shard=shard)

    def start_interaction(
        self,
        payload: dict[str, Any],
        member: Any,
        channel: FakeChannel,
        source: StoredMessage | None,
        trigger: InteractionRecord | None = None,
    ) -> InteractionRecord:
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") else None
        if self.gateway.shards.interaction_receiver(guild_id) is None:
            shard = self.gateway.shards.shard_of(guild_id)
            raise AssertionError(
                f"the bot has not identified on shard {shard} (of {self.shard_count}) yet; "
                "await fake.wait_until_ready() first"
            )
        record = InteractionRecord(self, payload, member, channel, source, trigger)
        self.interactions[record.id] = record
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    def interaction_delivered(self, interaction_id: int) -> None:
        record = self.interactions.get(interaction_id)
        if record is not None:
            record.sent_at = asyncio.get_running_loop().time()

    # -- failure injection --------------------------------------------------------------------

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
        """Answer the next `times` matching requests with `status` and Discord's error body.

        `path` is below the API prefix: a literal path, a spec template
        (`/channels/{channel_id}/messages`), a glob with `*`, or a compiled regex. The request
        is still recorded and checked against the spec first.
        """
        self.http.fail_next(method, path, status, times=times, json=json, headers=headers)
