"""A fake Slack for the tests: Web API (and, for the end-to-end tests, Socket Mode)."""

from tests.fakeslack.server import FakeChannel, FakeSlack, FakeUser

__all__ = ["FakeChannel", "FakeSlack", "FakeUser"]
