"""The REST routes the fake implements, each answering as Discord does (status, JSON).

Handlers see a `Call` that has already passed routing, authentication and OpenAPI checks in
`pipeline.py`; they raise `ApiError` for Discord's own refusals (unknown channel, missing
permissions, closed DMs...). Interaction callbacks and webhook messages are in `webhooks.py`.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import payloads as p
from .gateway import DIRECT_MESSAGES, GUILD_MESSAGES
from .messages import FakeFile, StoredMessage

if TYPE_CHECKING:
    from .replies import InteractionRecord
    from .server import FakeDiscord
    from .world import FakeChannel, FakeGuild

NONCE_WINDOW_S = 300.0  # Discord: "the same nonce within the past few minutes"


class ApiError(Exception):
    """Raised by a handler to answer with one of Discord's error bodies."""

    def __init__(self, status: int, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = dict(body) if body is not None else p.error_body(status)


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[FakeFile]

    def id(self, name: str) -> int:
        return int(self.params[name])


@dataclass
class CommandSync:
    guild_id: int | None  # None: global commands
    commands: list[dict[str, Any]]  # the PUT body, as the bot sent it

    @property
    def names(self) -> list[str]:
        return [c["name"] for c in self.commands]


Handler = Callable[[Call], Awaitable[tuple[int, Any]]]
_MESSAGE = "/channels/{channel_id}/messages/{message_id}"


class Rest:
    """Route handlers plus the message bookkeeping shared with the interaction webhooks."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self._nonces: dict[tuple[int, str], tuple[float, StoredMessage]] = {}
        self._versions: dict[tuple[int | None, int, str], tuple[dict[str, Any], int, int]] = {}
        app_commands = "/applications/{application_id}/commands"
        guild_commands = "/applications/{application_id}/guilds/{guild_id}/commands"
        self.handlers: dict[tuple[str, str], Handler] = {
            ("GET", "/users/@me"): self.me,
            ("GET", "/users/{user_id}"): self.user,
            ("GET", "/oauth2/applications/@me"): self.application,
            ("GET", "/applications/@me"): self.application,
            ("GET", "/gateway"): self.gateway,
            ("GET", "/gateway/bot"): self.gateway,
            ("GET", app_commands): self.list_commands,
            ("PUT", app_commands): self.put_commands,
            ("GET", guild_commands): self.list_commands,
            ("PUT", guild_commands): self.put_commands,
            ("GET", "/channels/{channel_id}"): self.get_channel,
            ("GET", "/channels/{channel_id}/messages"): self.list_messages,
            ("POST", "/channels/{channel_id}/messages"): self.create_message,
            ("GET", _MESSAGE): self.get_message,
            ("PATCH", _MESSAGE): self.edit_message,
            ("DELETE", _MESSAGE): self.delete_message,
            ("POST", "/channels/{channel_id}/typing"): self.typing,
            ("GET", "/guilds/{guild_id}"): self.get_guild,
            ("GET", "/guilds/{guild_id}/channels"): self.guild_channels,
            ("GET", "/guilds/{guild_id}/roles"): self.guild_roles,
            ("GET", "/guilds/{guild_id}/members/{user_id}"): self.guild_member,
            ("POST", "/users/@me/channels"): self.open_dm,
            ("DELETE", "/users/@me/guilds/{guild_id}"): self.leave_guild,
        }

    # -- identity -----------------------------------------------------------------------------

    async def me(self, call: Call) -> tuple[int, Any]:
        return 200, p.private_user_payload(self.fake.bot_user)

    async def user(self, call: Call) -> tuple[int, Any]:
        user = self.fake.users.get(call.id("user_id"))
        if user is None:
            raise ApiError(404, {"message": "Unknown User", "code": 10013})
        return 200, p.user_payload(user)

    async def application(self, call: Call) -> tuple[int, Any]:
        fake = self.fake
        return 200, p.application_payload(
            fake.app_id, fake.app_name, fake.bot_user, fake.owner_user
        )

    async def gateway(self, call: Call) -> tuple[int, Any]:
        url = self.fake.gateway_url.rstrip("/")
        if call.path == "/gateway":
            return 200, {"url": url}
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14_400_000,
            "max_concurrency": self.fake.max_concurrency,
        }
        return 200, {"url": url, "shards": self.fake.shard_count, "session_start_limit": limit}

    # -- application commands -----------------------------------------------------------------

    def _scope(self, call: Call) -> int | None:
        if call.id("application_id") != self.fake.app_id:
            raise ApiError(403, p.MISSING_ACCESS)
        if "guild_id" not in call.params:
            return None
        if call.id("guild_id") not in self.fake.guilds:
            raise ApiError(403, p.MISSING_ACCESS)
        return call.id("guild_id")

    async def list_commands(self, call: Call) -> tuple[int, Any]:
        return 200, self.fake.registered.get(self._scope(call), [])

    async def put_commands(self, call: Call) -> tuple[int, Any]:
        scope = self._scope(call)
        body = call.body or []
        registered = [self._command(item, scope) for item in body]
        self.fake.registered[scope] = registered
        self.fake.command_syncs.append(CommandSync(scope, copy.deepcopy(body)))
        self.fake.changed.notify()
        return 200, registered

    def _command(self, item: Mapping[str, Any], scope: int | None) -> dict[str, Any]:
        definition = _without_nulls(item)
        kind = definition.get("type", 1)
        key = (scope, kind, definition["name"])
        old = self._versions.get(key)
        # Discord keeps a command's id across syncs and bumps its version only on change.
        command_id = old[1] if old else p.new_id()
        version = old[2] if old and old[0] == definition else p.new_id()
        self._versions[key] = (definition, command_id, version)
        permissions = definition.get("default_member_permissions")
        command: dict[str, Any] = {
            "id": str(command_id),
            "application_id": str(self.fake.app_id),
            "version": str(version),
            "default_member_permissions": None if permissions is None else str(permissions),
            "type": kind,
            "name": definition["name"],
            "description": definition.get("description", ""),
            "dm_permission": definition.get("dm_permission", True),
            "contexts": definition.get("contexts"),
            "integration_types": definition.get("integration_types", [0]),
            "nsfw": definition.get("nsfw", False),
        }
        for extra in ("options", "name_localizations", "description_localizations"):
            if extra in definition:
                command[extra] = definition[extra]
        if scope is not None:
            command["guild_id"] = str(scope)
        return command

    # -- channels and messages ----------------------------------------------------------------

    def visible_channel(self, call: Call) -> FakeChannel:
        try:
            channel = self.fake.channel(call.id("channel_id"))
        except KeyError:
            raise ApiError(404, p.UNKNOWN_CHANNEL) from None
        guild = channel.guild
        if guild is not None and not guild.permissions_for(guild.me, channel) & p.VIEW_CHANNEL:
            raise ApiError(403, p.MISSING_ACCESS)
        return channel

    def _stored(self, call: Call) -> tuple[FakeChannel, StoredMessage]:
        channel = self.visible_channel(call)
        msg = self.fake.messages.get(call.id("message_id"))
        if msg is None or msg.deleted or msg.channel_id != channel.id or msg.ephemeral:
            raise ApiError(404, p.UNKNOWN_MESSAGE)
        return channel, msg

    async def get_channel(self, call: Call) -> tuple[int, Any]:
        return 200, p.channel_payload(self.visible_channel(call))

    async def list_messages(self, call: Call) -> tuple[int, Any]:
        channel = self.visible_channel(call)
        newest_first = self.fake.channel_messages(channel)[::-1]
        if "before" in call.query:
            newest_first = [m for m in newest_first if m.id < int(call.query["before"])]
        if "after" in call.query:
            newest_first = [m for m in newest_first if m.id > int(call.query["after"])]
        limit = int(call.query.get("limit", 50))
        return 200, [m.to_payload() for m in newest_first[:limit]]

    async def create_message(self, call: Call) -> tuple[int, Any]:
        channel = self.visible_channel(call)
        body = dict(call.body or {})
        if channel.guild is not None:
            bits = channel.guild.permissions_for(channel.guild.me, channel)
            if not bits & p.SEND_MESSAGES or (call.files and not bits & p.ATTACH_FILES):
                raise ApiError(403, p.MISSING_PERMISSIONS)
            if body.get("embeds") and not bits & p.EMBED_LINKS:
                body["embeds"] = []  # Discord drops embeds silently without Embed Links
        elif channel.recipient is not None and not channel.recipient.accepts_dms:
            raise ApiError(403, p.CANNOT_DM)
        contentful = ("content", "embeds", "components", "sticker_ids", "poll")
        if not any(body.get(key) for key in contentful) and not call.files:
            raise ApiError(400, {"message": "Cannot send an empty message", "code": 50006})
        now = asyncio.get_running_loop().time()
        nonce_key = (channel.id, str(body.get("nonce")))
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(nonce_key)
            if seen is not None and now - seen[0] < NONCE_WINDOW_S:
                return 200, seen[1].to_payload()  # the same message, not a second one
        body["flags"] = (body.get("flags") or 0) & ~(p.EPHEMERAL | p.LOADING)
        msg = self.new_message(
            channel, body, call.files, kind=19 if body.get("message_reference") else 0
        )
        msg.nonce = body.get("nonce")
        if msg.nonce is not None:
            self._nonces[nonce_key] = (now, msg)
        return 200, msg.to_payload()

    async def get_message(self, call: Call) -> tuple[int, Any]:
        return 200, self._stored(call)[1].to_payload()

    async def edit_message(self, call: Call) -> tuple[int, Any]:
        _, msg = self._stored(call)
        if int(msg.author["id"]) != self.fake.bot_user.id:
            raise ApiError(
                403, {"message": "Cannot edit a message authored by another user", "code": 50005}
            )
        self.edit(msg, call.body or {}, call.files)
        return 200, msg.to_payload()

    async def delete_message(self, call: Call) -> tuple[int, Any]:
        self.delete(self._stored(call)[1])
        return 204, None

    async def typing(self, call: Call) -> tuple[int, Any]:
        self.visible_channel(call)
        return 204, None

    # -- guilds and users ---------------------------------------------------------------------

    def _guild(self, call: Call) -> FakeGuild:
        guild = self.fake.guilds.get(call.id("guild_id"))
        if guild is None:
            raise ApiError(404, {"message": "Unknown Guild", "code": 10004})
        return guild

    async def get_guild(self, call: Call) -> tuple[int, Any]:
        return 200, p.guild_payload(self._guild(call))

    async def guild_channels(self, call: Call) -> tuple[int, Any]:
        return 200, [p.channel_payload(c) for c in self._guild(call).channels]

    async def guild_roles(self, call: Call) -> tuple[int, Any]:
        return 200, [p.role_payload(r) for r in self._guild(call).roles]

    async def guild_member(self, call: Call) -> tuple[int, Any]:
        member = self._guild(call).members.get(call.id("user_id"))
        if member is None:
            raise ApiError(404, {"message": "Unknown Member", "code": 10007})
        return 200, p.member_payload(member)

    async def leave_guild(self, call: Call) -> tuple[int, Any]:
        guild = self._guild(call)
        del self.fake.guilds[guild.id]
        # As on Discord: the bot's own GUILD_DELETE, without "unavailable" (it left).
        guild.announce("GUILD_DELETE", {"id": str(guild.id)})
        return 204, None

    async def open_dm(self, call: Call) -> tuple[int, Any]:
        user = self.fake.users.get(int((call.body or {}).get("recipient_id") or 0))
        if user is None or user.bot:
            raise ApiError(400, {"message": "Invalid Recipient(s)", "code": 50033})
        return 200, p.channel_payload(self.fake.dm_channel(user))

    # -- message bookkeeping (also used for interaction responses) -----------------------------

    def new_message(
        self,
        channel: FakeChannel,
        body: Mapping[str, Any],
        files: list[FakeFile],
        *,
        flags: int = 0,
        kind: int = 0,
        interaction: InteractionRecord | None = None,
    ) -> StoredMessage:
        fake = self.fake
        msg = StoredMessage(
            p.new_id(), channel.id, p.user_payload(fake.bot_user), flags=flags, type=kind
        )
        msg.guild_id = channel.guild.id if channel.guild else None
        if interaction is not None:
            msg.webhook_id = msg.application_id = fake.app_id
            msg.interaction_metadata = _interaction_metadata(interaction)
        msg.apply(body, self._uploads(channel, body, files), self._find_user)
        fake.messages[msg.id] = msg
        if not msg.ephemeral:
            fake.channel_log[channel.id].append(msg)
            channel.last_message_id = msg.id
            self._dispatch("MESSAGE_CREATE", msg)
        fake.changed.notify()
        return msg

    def edit(self, msg: StoredMessage, body: Mapping[str, Any], files: list[FakeFile]) -> None:
        channel = self.fake.channel(msg.channel_id)
        if not msg.loading:
            msg.edited_timestamp = p.utcnow()
        msg.apply(body, self._uploads(channel, body, files), self._find_user)
        msg.flags &= ~p.LOADING
        if not msg.ephemeral:
            self._dispatch("MESSAGE_UPDATE", msg)
        self.fake.changed.notify()

    def delete(self, msg: StoredMessage) -> None:
        msg.deleted = True
        if not msg.ephemeral:
            event = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                event["guild_id"] = str(msg.guild_id)
            intent = GUILD_MESSAGES if msg.guild_id else DIRECT_MESSAGES
            self.fake.gateway.dispatch("MESSAGE_DELETE", event, intent=intent)
        self.fake.changed.notify()

    def _dispatch(self, event: str, msg: StoredMessage) -> None:
        payload = msg.to_payload()
        if msg.guild_id is None:
            self.fake.gateway.dispatch(event, payload, intent=DIRECT_MESSAGES)
            return
        guild = self.fake.guilds[msg.guild_id]
        payload |= {
            "guild_id": str(guild.id),
            "member": p.member_payload(guild.me, with_user=False),
        }
        self.fake.gateway.dispatch(event, payload, intent=GUILD_MESSAGES)

    def _uploads(
        self, channel: FakeChannel, body: Mapping[str, Any], files: list[FakeFile]
    ) -> list[tuple[FakeFile, dict[str, Any]]]:
        # New uploads are described in `attachments` by their index among the files.
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        uploads = []
        for index, file in enumerate(files):
            info = described.get(str(index), {})
            file = dataclasses.replace(
                file,
                filename=info.get("filename") or file.filename,
                description=info.get("description"),
            )
            uploads.append((file, self.fake.host_attachment(channel.id, file)))
        return uploads

    def _find_user(self, user_id: int) -> dict[str, Any] | None:
        user = self.fake.users.get(user_id)
        return p.user_payload(user) if user else None


def _interaction_metadata(record: InteractionRecord, *, nested: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "id": str(record.id),
        "type": record.type,
        "user": p.user_payload(record.member.user),
        "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
    }
    if record.original is not None:
        metadata["original_response_message_id"] = str(record.original.id)
    if record.type == 3 and record.source is not None:
        metadata["interacted_message_id"] = str(record.source.id)
    if record.type == 5 and record.trigger is not None and not nested:
        metadata["triggering_interaction_metadata"] = _interaction_metadata(
            record.trigger, nested=True
        )
    return metadata


def _without_nulls(value: Any) -> Any:
    """Discord leaves unset fields out of what it stores and answers."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
