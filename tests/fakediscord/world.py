"""The simulated world: users, roles, channels and guilds, with Discord's permission rules.

Changes made after the bot connected are pushed down the gateway as Discord would
(CHANNEL_CREATE, CHANNEL_UPDATE, GUILD_ROLE_CREATE, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import payloads as p

if TYPE_CHECKING:
    from .members import FakeMember
    from .server import FakeDiscord

GUILDS_INTENT = 1 << 0


class FakeUser:
    def __init__(self, username: str, *, bot: bool = False, locale: str = "en-US") -> None:
        self.id = p.new_id()
        self.username = username
        self.global_name: str | None = None if bot else username.title()
        self.discriminator = "4821" if bot else "0"
        self.bot = bot
        self.locale = locale
        self.accepts_dms = True  # False: DMs to this user fail with 50007, as with closed DMs

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def __repr__(self) -> str:
        return f"<FakeUser {self.username} id={self.id}>"


class FakeRole:
    def __init__(
        self,
        guild: FakeGuild,
        name: str,
        permissions: int,
        *,
        role_id: int | None = None,
        bot_id: int | None = None,
    ) -> None:
        self.guild = guild
        self.id = role_id or p.new_id()
        self.name = name
        self.permissions = permissions
        self.position = len(guild.roles)
        self.color = 0
        self.bot_id = bot_id

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def __repr__(self) -> str:
        return f"<FakeRole {self.name} id={self.id}>"


class FakeChannel:
    """A guild text channel (type 0) or a DM channel (type 1, `guild` None)."""

    def __init__(
        self,
        fake: FakeDiscord,
        guild: FakeGuild | None,
        name: str,
        *,
        position: int = 0,
        topic: str | None = None,
        recipient: FakeUser | None = None,
    ) -> None:
        self.fake = fake
        self.guild = guild
        self.id = p.new_id()
        self.name = name
        self.type = 0 if guild is not None else 1
        self.position = position
        self.topic = topic
        self.parent_id: int | None = None
        self.recipient = recipient
        self.last_message_id: int | None = None
        # target id -> (0 role / 1 member, allow bits, deny bits), as Discord's overwrites
        self.overwrites: dict[int, tuple[int, int, int]] = {}

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def set_permissions(self, target: Member | FakeRole, *, allow: int = 0, deny: int = 0) -> None:
        """Set a permission overwrite (e.g. deny the bot SEND_MESSAGES); none given: remove it."""
        kind = 0 if isinstance(target, FakeRole) else 1
        if allow or deny:
            self.overwrites[target.id] = (kind, allow, deny)
        else:
            self.overwrites.pop(target.id, None)
        if self.guild is not None:
            self.guild.announce("CHANNEL_UPDATE", p.channel_payload(self))

    def __repr__(self) -> str:
        return f"<FakeChannel #{self.name} id={self.id}>"


class Member:
    """A user's membership of a guild; `members.FakeMember` adds what a member can do."""

    def __init__(
        self, guild: FakeGuild, user: FakeUser, roles: list[FakeRole], nick: str | None = None
    ) -> None:
        self.guild = guild
        self.user = user
        self.roles = roles
        self.nick = nick
        self.joined_at: datetime = p.utcnow()

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def accepts_dms(self) -> bool:
        """False: the bot's DMs to this member fail with 50007, as with closed DMs."""
        return self.user.accepts_dms

    @accepts_dms.setter
    def accepts_dms(self, value: bool) -> None:
        self.user.accepts_dms = value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} id={self.id} guild={self.guild.name}>"


class FakeGuild:
    """A guild with @everyone, the bot's managed role, its owner, the bot and a #study channel."""

    def __init__(
        self,
        fake: FakeDiscord,
        name: str,
        *,
        owner_name: str = "owner",
        guild_id: int | None = None,
    ) -> None:
        self.fake = fake
        self.id = guild_id or p.new_guild_id()
        self.name = name
        self.locale = "en-US"
        self.features: list[str] = []
        self.roles: list[FakeRole] = []
        self.channels: list[FakeChannel] = []
        self.members: dict[int, FakeMember] = {}
        self._built = False  # until then the bot cannot know this guild: no events for it
        self.everyone = FakeRole(self, "@everyone", p.DEFAULT_EVERYONE_PERMISSIONS, role_id=self.id)
        self.roles.append(self.everyone)
        bot_role = FakeRole(self, fake.app_name, p.DEFAULT_BOT_PERMISSIONS, bot_id=fake.bot_user.id)
        self.roles.append(bot_role)
        # members.py builds on this module, so FakeMember is imported late to avoid a cycle.
        from .members import FakeMember

        self.me = FakeMember(self, fake.bot_user, [bot_role])
        self.owner = self.add_member(owner_name)
        self.members[self.me.id] = self.me
        self.add_text_channel("study", topic="Daily study prompts and check-ins")
        self._built = True

    def announce(self, event: str, payload: dict[str, Any]) -> None:
        """Tell a connected bot about a change, as Discord would (GUILDS intent, its shard)."""
        if self._built:
            self.fake.gateway.dispatch(event, payload, intent=GUILDS_INTENT)

    def add_role(self, name: str, permissions: int = 0) -> FakeRole:
        role = FakeRole(self, name, permissions)
        self.roles.append(role)
        payload = {"guild_id": str(self.id), "role": p.role_payload(role)}
        self.announce("GUILD_ROLE_CREATE", payload)
        return role

    def add_member(
        self,
        name: str,
        *,
        permissions: int | None = None,
        admin: bool = False,
        roles: Sequence[FakeRole] = (),
        nick: str | None = None,
        locale: str = "en-US",
    ) -> FakeMember:
        """A member; `permissions` (bits, e.g. `discord.Permissions(...).value`) come by a role."""
        user = self.fake.add_user(name, locale=locale)
        granted = list(roles)
        if admin:
            permissions = (permissions or 0) | p.ADMINISTRATOR
        if permissions:
            granted.append(self.add_role(f"{name}-role", permissions))
        from .members import FakeMember

        member = FakeMember(self, user, granted, nick=nick)
        self.members[member.id] = member
        return member

    def add_text_channel(self, name: str, *, topic: str | None = None) -> FakeChannel:
        channel = FakeChannel(self.fake, self, name, position=len(self.channels), topic=topic)
        self.channels.append(channel)
        self.announce("CHANNEL_CREATE", p.channel_payload(channel))
        return channel

    def delete_channel(self, channel: FakeChannel) -> None:
        """Gone for good: later sends to it get 404 Unknown Channel, as on Discord."""
        self.channels.remove(channel)
        self.announce("CHANNEL_DELETE", p.channel_payload(channel))

    def channel(self, name: str) -> FakeChannel:
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise KeyError(f"no #{name} in {self.name}: {[c.name for c in self.channels]}")

    def member(self, name: str) -> FakeMember:
        for member in self.members.values():
            if member.name == name:
                return member
        raise KeyError(f"no member {name!r} in {self.name}")

    def base_permissions(self, member: Member) -> int:
        if member is self.owner:
            return p.ALL_PERMISSIONS
        bits = self.everyone.permissions
        for role in member.roles:
            bits |= role.permissions
        return p.ALL_PERMISSIONS if bits & p.ADMINISTRATOR else bits

    def permissions_for(self, member: Member, channel: FakeChannel | None = None) -> int:
        """Discord's algorithm: base, then @everyone, role and member overwrites."""
        bits = self.base_permissions(member)
        if channel is None or bits & p.ADMINISTRATOR:
            return bits
        overwrites = channel.overwrites
        if self.id in overwrites:
            bits = (bits & ~overwrites[self.id][2]) | overwrites[self.id][1]
        allow = deny = 0
        for role in member.roles:
            if role.id in overwrites:
                allow, deny = allow | overwrites[role.id][1], deny | overwrites[role.id][2]
        bits = (bits & ~deny) | allow
        if member.id in overwrites:
            bits = (bits & ~overwrites[member.id][2]) | overwrites[member.id][1]
        return bits

    def __repr__(self) -> str:
        return f"<FakeGuild {self.name} id={self.id}>"
