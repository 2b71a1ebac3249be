"""Asserting on refusals as the member reads them."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest

from bot.errors import UserError
from bot.messages.refusals import refusal_text
from tests.fake_chat import plain


def said(error: UserError) -> str:
    """The refusal's one line, platform aside."""
    return plain(refusal_text(error))


@contextlib.contextmanager
def refused(match: str) -> Iterator[None]:
    """Like pytest.raises(UserError, match=...), on the words a member would read."""
    with pytest.raises(UserError) as caught:
        yield
    assert re.search(match, said(caught.value)), said(caught.value)
