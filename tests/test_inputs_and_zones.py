import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.inputs import clean_text, parse_minutes
from bot.domain.zones import (
    COMMON_ZONES,
    MAX_SUGGESTIONS,
    all_zone_names,
    parse_zone,
    suggest_zones,
)
from bot.errors import UserError
from tests.refusals import refused, said


@pytest.mark.parametrize(("raw", "expected"), [(1, 1), (720, 720), ("45", 45), (" 90 ", 90)])
def test_minutes_accepted(raw: object, expected: int) -> None:
    assert parse_minutes(raw) == expected


@pytest.mark.parametrize("raw", [0, 721, -5, True, "", "4.5", "\uff11\uff12", "ten", 10**30, None])
def test_minutes_refused_with_what_is_accepted(raw: object) -> None:
    with refused("whole number from 1 to 720"):
        parse_minutes(raw)


@given(st.text(max_size=1200), st.booleans())
def test_clean_text_either_returns_safe_text_or_one_line_refusal(raw: str, multiline: bool) -> None:
    try:
        cleaned = clean_text(raw, "note", 1000, multiline=multiline)
    except UserError as refusal:
        refused: UserError | None = refusal
    else:
        refused = None
    if refused is not None:
        assert "\n" not in said(refused)
        return
    if cleaned is None:
        assert raw.strip() == "" or raw.replace("\r\n", "\n").strip() == ""
        return
    assert cleaned == cleaned.strip()
    assert len(cleaned) <= 1000
    allowed = {"\n"} if multiline else set()
    assert all(unicodedata.category(c) != "Cc" or c in allowed for c in cleaned)


def test_right_to_left_and_zero_width_text_is_kept() -> None:
    text = "مرحبا \u200d👩‍💻 **bold** `code`"
    assert clean_text(text, "topic", 100) == text


def test_zone_suggestions_put_common_zones_first() -> None:
    suggestions = suggest_zones("europe")
    assert suggestions[0] == "Europe/London"
    assert len(suggestions) == MAX_SUGGESTIONS
    assert suggest_zones("new york") == ["America/New_York"]
    assert suggest_zones("zzz") == []


@given(st.text(max_size=12))
def test_zone_suggestions_match_anywhere_and_are_valid(query: str) -> None:
    suggestions = suggest_zones(query)
    assert len(suggestions) <= MAX_SUGGESTIONS
    needle = query.strip().lower().replace(" ", "_")
    for name in suggestions:
        assert needle in name.lower()
        parse_zone(name)


def test_every_common_zone_exists() -> None:
    names = set(all_zone_names())
    assert set(COMMON_ZONES) <= names


@pytest.mark.parametrize(
    "raw", ["Mars/Base", "", "../../etc/passwd", "Europe/Berlin\x00", "x" * 300]
)
def test_unknown_zones_are_refused_with_an_example(raw: str) -> None:
    with refused("Use a name like Europe/Berlin"):
        parse_zone(raw)
