"""Check-ins, streaks, stats and time zones, end to end on the fake Discord."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e.conftest import LAUNCHER, StartBot
from tests.fakediscord import FakeGuild, FakeMember

FRIDAY = "2026-11-20T10:00:00+00:00"
SATURDAY = "2026-11-21T10:00:00+00:00"
CHECKIN_BUTTON = "studybot:checkin"


@pytest.mark.both_engines
async def test_a_check_in_then_the_next_day_after_a_restart_makes_a_two_day_streak(
    start_bot: StartBot, alice: FakeMember
) -> None:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=FRIDAY)
    first = await alice.slash("checkin", minutes=45, topic="pandas", note="Rolling means")
    assert not first.ephemeral  # the group sees it
    assert "1-day streak" in first.text
    assert "Rolling means" in first.text
    assert "Fri 20 Nov 2026 (UTC)" in first.text
    assert await bot.stop() == 0

    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    second = await alice.slash("checkin", minutes=30)
    assert "2-day streak" in second.text
    streak = await alice.slash("streak")
    assert "Current streak: 2" in streak.text
    assert "Best streak: 2" in streak.text
    assert "Done: checked in today." in streak.text


async def test_sessions_add_up_and_the_day_counts_once(
    start_bot: StartBot, alice: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    await alice.slash("checkin", minutes=50)
    again = await alice.slash("checkin", minutes=70)
    assert "1-day streak" in again.text
    assert "2 h in 2 sessions, 22 points" in again.text


async def test_notes_are_shown_without_pinging_anyone(
    start_bot: StartBot, alice: FakeMember, guild: FakeGuild
) -> None:
    bob = guild.add_member("bob")
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    note = f"@everyone look at my **k-means** {bob.mention} <@&{guild.everyone.id}>"
    reply = await alice.slash("checkin", minutes=20, note=note)
    assert note in reply.text
    assert reply.message is not None
    assert reply.message.allowed_mentions == {"parse": []}
    assert reply.message.pinged_user_ids == set()


async def test_the_button_opens_a_modal_that_checks_in_even_across_a_restart(
    start_bot: StartBot, alice: FakeMember
) -> None:
    bot = await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    streak = await alice.slash("streak")
    assert "Current streak: 0" in streak.text
    assert CHECKIN_BUTTON in streak.custom_ids

    opened = await alice.click(streak, CHECKIN_BUTTON)
    assert opened.modal is not None
    done = await alice.submit_modal(opened, {"minutes": "25", "topic": "linear algebra"})
    assert "1-day streak" in done.text
    assert "linear algebra" in done.text

    # A modal opened before a restart and submitted after it still counts, and the old
    # message's button still opens a fresh modal.
    pending = await alice.click(streak, CHECKIN_BUTTON)
    assert await bot.stop() == 0
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    late = await alice.submit_modal(pending, {"minutes": "35"})
    assert "1 h in 2 sessions" in late.text
    reopened = await alice.click(streak, CHECKIN_BUTTON)
    assert reopened.modal is not None
    assert reopened.modal["custom_id"] != pending.modal["custom_id"]  # type: ignore[index]


async def test_two_members_with_modals_open_do_not_clobber_each_other(
    start_bot: StartBot, alice: FakeMember, guild: FakeGuild
) -> None:
    bob = guild.add_member("bob")
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    alice_streak = await alice.slash("streak")
    bob_streak = await bob.slash("streak")
    alice_modal = await alice.click(alice_streak, CHECKIN_BUTTON)
    bob_modal = await bob.click(bob_streak, CHECKIN_BUTTON)
    bob_done = await bob.submit_modal(bob_modal, {"minutes": "15"})
    alice_done = await alice.submit_modal(alice_modal, {"minutes": "40"})
    assert "bob checked in: 15 min" in bob_done.text.lower()
    assert "alice checked in: 40 min" in alice_done.text.lower()


async def test_bad_input_gets_a_one_line_reply_and_nothing_is_recorded(
    start_bot: StartBot, alice: FakeMember
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    zero = await alice.slash("checkin", minutes=0, unchecked=True)
    assert zero.ephemeral
    assert zero.text == "Minutes must be a whole number from 1 to 720; you sent 0."
    long_topic = await alice.slash("checkin", minutes=10, topic="x" * 101, unchecked=True)
    assert long_topic.text == "The topic can be at most 100 characters; yours has 101."
    control = await alice.slash("checkin", minutes=10, topic="bell\x07", unchecked=True)
    assert "can't contain control characters" in control.text

    opened = await alice.click(await alice.slash("streak"), CHECKIN_BUTTON)
    typed = await alice.submit_modal(opened, {"minutes": "an hour"}, unchecked=True)
    assert typed.text == "Minutes must be a whole number from 1 to 720; you typed 'an hour'."

    await alice.slash("checkin", minutes=720)
    await alice.slash("checkin", minutes=700)
    too_much = await alice.slash("checkin", minutes=30)
    assert too_much.ephemeral
    assert "a day has at most 1440 (24 hours)" in too_much.text
    assert "at most 20 more minutes today" in too_much.text

    streak = await alice.slash("streak")
    assert "Current streak: 1" in streak.text
    stats = await alice.slash("stats", period="week")
    assert "23 h 40 min" in stats.text  # only the accepted sessions count


async def test_time_zones_autocomplete_refuse_unknown_names_and_move_the_day(
    start_bot: StartBot, alice: FakeMember
) -> None:
    # 12:00 UTC on Friday is already 01:00 on Saturday in Auckland.
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW="2026-11-20T12:00:00+00:00")
    choices = await alice.autocomplete("timezone", zone="berl")
    assert "Europe/Berlin" in [choice["value"] for choice in choices]
    assert len(await alice.autocomplete("timezone", zone="a")) == 25

    unknown = await alice.slash("timezone", zone="Mars/Olympus_Mons")
    assert unknown.ephemeral
    assert "Unknown time zone 'Mars/Olympus_Mons'" in unknown.text

    chosen = await alice.slash("timezone", zone="Pacific/Auckland")
    assert "Pacific/Auckland" in chosen.text
    checked = await alice.slash("checkin", minutes=30)
    assert "Sat 21 Nov 2026 (Pacific/Auckland)" in checked.text


async def test_stats_show_totals_and_a_heatmap(
    start_bot: StartBot, alice: FakeMember, guild: FakeGuild
) -> None:
    await start_bot(module=LAUNCHER, STUDYBOT_TEST_NOW=SATURDAY)
    await alice.slash("checkin", minutes=95)
    stats = await alice.slash("stats", period="all")
    assert "Days studied" in stats.text
    assert "1 h 35 min" in stats.text
    assert "Points\n19" in stats.text  # 10 for the day + 9 for 95 minutes
    [picture] = stats.files
    assert picture.filename == "heatmap.png"
    image = Image.open(io.BytesIO(picture.data))
    assert image.format == "PNG"
    assert image.width >= 600

    bob = guild.add_member("bob")
    nobody = await alice.slash("streak", member=bob)
    assert nobody.text.lower() == "bob has not checked in yet."
