"""The leaderboard and the weekly post, end to end."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e.conftest import BotClock, StartBot, start, tick
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember


@pytest.mark.both_engines
async def test_leaderboard_order_shared_rank_and_the_weekly_post(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    bob, carol, dave = (guild.add_member(n) for n in ("bob", "carol", "dave"))
    clock.set("2026-11-21T10:00:00+00:00")  # Saturday, week 47
    bot = await start(start_bot, clock)
    await organiser.slash("admin", "setup", channel=study, timezone="Europe/Berlin")
    for member, minutes in ((alice, 100), (bob, 50), (carol, 50), (dave, 10)):
        await member.slash("checkin", minutes=minutes)

    board = await dave.slash("leaderboard")
    assert board.ephemeral
    lines = [line for line in board.text.splitlines() if line[:2] in ("1.", "2.", "4.")]
    assert lines == [
        "1. Alice — 20 points (1 day, 1 h 40 min)",
        "2. Bob — 15 points (1 day, 50 min)",
        "2. Carol — 15 points (1 day, 50 min)",
        "4. Dave — 11 points (1 day, 10 min)",
    ]
    assert "You: 4. Dave — 11 points" in board.text
    [card] = board.files
    assert card.filename == "leaderboard.png"
    assert Image.open(io.BytesIO(card.data)).width == 800

    # Monday 09:00 in Berlin: the weekly post announces week 47.
    clock.set("2026-11-23T08:00:30+00:00")
    await tick(bot)
    [weekly] = [m for m in fake.channel_messages(study) if "Leaderboard, week 47" in m.text]
    assert "1. Alice — 20 points" in weekly.text
    assert "2. Carol — 15 points" in weekly.text
    assert "4 members active" in weekly.text
    assert [f.filename for f in weekly.files] == ["leaderboard.png"]
    assert weekly.allowed_mentions == {"parse": []}
    # Once: another tick (or a restart) does not post it again.
    await tick(bot)
    assert len([m for m in fake.channel_messages(study) if "Leaderboard, week" in m.text]) == 1
    new_week = await alice.slash("leaderboard")
    assert "No points yet in this period" in new_week.text
    everything = await alice.slash("leaderboard", period="all")
    assert "1. Alice — 20 points" in everything.text
