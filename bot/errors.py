"""Errors whose message is meant for the member who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action, as a code and its parameters.

    Services and domain rules raise it; every code has one phrasing in bot/messages/refusals.py,
    which each chat adapter draws in its own command syntax. It is not a bug: nothing alarming
    is logged.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code} {self.params}"
