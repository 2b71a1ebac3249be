"""Ids became strings; what members saw must not change with them.

The pinned values below were computed by the release whose ids were integers, so a server keeps
its problem order and its buddy pairs across the upgrade.
"""

from datetime import date

import pytest

from bot.discordbot.ids import community_of, guild_of
from bot.domain.accountability import pair_members
from bot.domain.ids import community_key, id_order, native_id, platform_of
from bot.domain.selection import problem_index

SNOWFLAKES = ["99", "1000", "5", "123456789012345678", "87654321098765432", "42", "7"]


def test_buddy_pairs_are_the_ones_integer_ids_gave() -> None:
    first = pair_members(SNOWFLAKES, [], "123456789:2026-W49")
    assert first == [
        ("5", "99"),
        ("1000", "123456789012345678"),
        ("7", "42", "87654321098765432"),
    ]
    history = [[("99", "1000"), ("5", "42", "7")]]
    assert pair_members(SNOWFLAKES, history, "123456789:2026-W50") == [
        ("7", "99"),
        ("42", "123456789012345678"),
        ("5", "1000", "87654321098765432"),
    ]


def test_the_problem_order_is_the_one_integer_ids_gave() -> None:
    picks = [
        problem_index("123456789012345678", date(2026, 12, day), "EEMMMHX", 40)
        for day in range(1, 8)
    ]
    assert picks == [39, 28, 8, 18, 2, 36, 17]


def test_digit_ids_sort_as_numbers_and_others_after_them() -> None:
    ids = ["1000", "99", "U02ABCDEF", "123456789012345678", "87654321098765432", "C1"]
    assert sorted(ids, key=id_order) == [
        "99",
        "1000",
        "87654321098765432",
        "123456789012345678",
        "C1",
        "U02ABCDEF",
    ]


def test_community_ids_name_their_platform() -> None:
    assert community_key("slack", "T0123") == "slack:T0123"
    assert community_of(1180000000000000001) == "discord:1180000000000000001"
    assert guild_of("discord:1180000000000000001") == 1180000000000000001
    assert native_id("slack:T0123") == "T0123"
    assert platform_of("slack:T0123") == "slack"
    for bad in ["1180000000000000001", "discord:", ":1"]:
        with pytest.raises(ValueError, match="not a community id"):
            native_id(bad)
    with pytest.raises(ValueError, match="is not a Discord server"):
        guild_of("slack:T0123")
