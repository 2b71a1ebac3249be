"""A fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests of a discord.py bot.

See README.md in this directory for how to point a bot at it and drive it from a test.
"""

from .members import FakeMember
from .messages import FakeFile, StoredMessage
from .payloads import (
    CANNOT_DM,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
)
from .pipeline import RecordedRequest
from .replies import Reply
from .rest import CommandSync
from .server import FakeDiscord
from .world import FakeChannel, FakeGuild, FakeRole, FakeUser

__all__ = [
    "CANNOT_DM",
    "MISSING_ACCESS",
    "MISSING_PERMISSIONS",
    "UNKNOWN_CHANNEL",
    "UNKNOWN_MESSAGE",
    "CommandSync",
    "FakeChannel",
    "FakeDiscord",
    "FakeFile",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "RecordedRequest",
    "Reply",
    "StoredMessage",
]
