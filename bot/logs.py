"""Logging set-up: one readable line per event on stderr, and never the bot token."""

from __future__ import annotations

import logging
import secrets

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Replaces secrets anywhere in a formatted record, tracebacks included."""

    def __init__(self, secrets_to_hide: list[str]) -> None:
        super().__init__(FORMAT)
        self._secrets = [s for s in secrets_to_hide if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(level: str, secrets_to_hide: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets_to_hide))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # discord.py's gateway chatter at DEBUG drowns our own lines; keep it at INFO at most.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


def new_error_id() -> str:
    """A short id that a member can quote and an organiser can grep for in the log."""
    return secrets.token_hex(4)
