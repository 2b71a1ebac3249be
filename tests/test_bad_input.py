"""Whatever people or attackers type, every parser ends in a value or a one-line refusal."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.accountability import parse_away_until
from bot.domain.days import parse_until
from bot.domain.inputs import clean_text, parse_minutes
from bot.domain.schedule import parse_hhmm
from bot.domain.selection import parse_pattern
from bot.domain.zones import parse_zone, suggest_zones
from bot.errors import UserError
from tests.refusals import said

TODAY = date(2026, 11, 21)
HOSTILE = st.one_of(
    st.text(max_size=3000),
    st.sampled_from(
        [
            "@everyone",
            "<@123456789012345678>",
            "<@&123456789012345678>",
            "```\ncode",
            "‮evil",
            "a\u200bb",
            "../../../etc/passwd",
            "Europe/../../etc",
            "25:61",
            "2026-02-30",
            "-1",
            "9" * 400,
            "\x00",
        ]
    ),
)


def refused_or_fine(parse, raw: str) -> None:  # type: ignore[no-untyped-def]
    try:
        parse(raw)
    except UserError as refusal:
        message = said(refusal)
        assert "\n" not in message
        assert len(message) < 400  # a short line, even for a huge input
        assert "@everyone" not in message or "'@everyone'" in message


@settings(max_examples=150)
@given(HOSTILE)
def test_every_parser_answers_with_a_value_or_a_short_refusal(raw: str) -> None:
    refused_or_fine(parse_minutes, raw)
    refused_or_fine(lambda r: clean_text(r, "topic", 100), raw)
    refused_or_fine(lambda r: clean_text(r, "note", 1000, multiline=True), raw)
    refused_or_fine(parse_zone, raw)
    refused_or_fine(lambda r: parse_hhmm(r, "time"), raw)
    refused_or_fine(parse_pattern, raw)
    refused_or_fine(lambda r: parse_away_until(r, TODAY), raw)
    refused_or_fine(lambda r: parse_until(r, TODAY, 366), raw)
    assert len(suggest_zones(raw)) <= 25
