"""What members type to show work and plan: links, kinds, goals, weeks."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.work import parse_goals, parse_kind, parse_link, previous_week, week_of
from bot.errors import UserError


@pytest.mark.parametrize(
    "link",
    ["https://github.com/a/b", "http://localhost:8888/notebooks/x.ipynb", "HTTPS://Kaggle.com/c"],
)
def test_web_links_are_kept(link: str) -> None:
    assert parse_link(f"  {link} ") == link


@pytest.mark.parametrize(
    "link",
    [
        "ftp://x.org/a",
        "github.com/a",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://a b.org",
        "mailto:a@b.org",
        "https://a.org/\x00",
    ],
)
def test_anything_but_a_web_link_with_a_host_is_refused(link: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_link(link)
    assert caught.value.code in ("link", "text_control_characters")


def test_a_link_cannot_hide_behind_markup() -> None:
    sneaky = "https://a.org/[free](https://evil.example)<b>`x`|y"
    assert parse_link(sneaky) == (
        "https://a.org/%5Bfree%5D%28https://evil.example%29%3Cb%3E%60x%60%7Cy"
    )


def test_links_are_at_most_300_characters_and_empty_is_none() -> None:
    assert parse_link("   ") is None
    with pytest.raises(UserError) as caught:
        parse_link("https://a.org/" + "x" * 300)
    assert caught.value.code == "text_too_long"


def test_kinds_and_goals() -> None:
    assert parse_kind(None) == "other"
    assert parse_kind(" Repo ") == "repo"
    with pytest.raises(UserError):
        parse_kind("tweet")
    assert parse_goals(" read ch. 3 ;; two mediums; ") == ["read ch. 3", "two mediums"]
    for bad, code in ((";;", "no_goals"), ("a;b;c;d;e;f", "too_many_goals")):
        with pytest.raises(UserError) as caught:
            parse_goals(bad)
        assert caught.value.code == code


@given(st.dates(min_value=date(2001, 1, 8), max_value=date(2099, 12, 31)))
def test_the_previous_week_is_the_week_seven_days_before(day: date) -> None:
    assert previous_week(week_of(day)) == week_of(date.fromordinal(day.toordinal() - 7))
