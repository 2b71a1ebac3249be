"""Reminders, time away and study buddies, end to end on the fake Discord."""

from __future__ import annotations

from tests.e2e.conftest import BotClock, StartBot, start, tick
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember


async def test_reminders_by_dm_with_a_channel_fallback_once_a_day(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    bob, carol, dan = (guild.add_member(n) for n in ("bob", "carol", "dan"))
    bob.accepts_dms = False
    clock.set("2026-11-21T10:00:00+00:00")
    bot = await start(start_bot, clock)
    await organiser.slash("admin", "setup", channel=study, timezone="UTC", post_time="06:00")
    for member in (alice, bob, carol, dan):
        reply = await member.slash("remind", time="20:00")
        assert "I will remind you at 20:00" in reply.text
    await carol.slash("checkin", minutes=25)
    away = await dan.slash("away", until="2026-11-22")
    assert "away from 2026-11-21 through 2026-11-22" in away.text
    bad = await dan.slash("away", until="2027-03-01")
    assert "at most 60 days" in bad.text

    clock.set("2026-11-21T20:00:30+00:00")
    await tick(bot)
    [dm] = fake.dms(alice)
    assert "You have not checked in today yet" in dm.text
    assert [len(fake.dms(m)) for m in (bob, carol, dan)] == [0, 0, 0]
    [fallback] = [m for m in fake.channel_messages(study) if "not checked in today" in m.text]
    assert fallback.pinged_user_ids == {bob.id}  # one mention, only bob

    await tick(bot)  # the scheduler checks again a minute later: nothing new
    assert await bot.stop() == 0
    bot = await start(start_bot, clock)  # nor after a restart
    assert len(fake.dms(alice)) == 1
    assert len([m for m in fake.channel_messages(study) if "not checked in" in m.text]) == 1

    off = await alice.slash("remind", time="off")
    assert off.text == "Reminders are off."
    bad_time = await alice.slash("remind", time="8pm")
    assert "HH:MM on a 24-hour clock" in bad_time.text

    streak = await dan.slash("streak")
    assert "Away through 2026-11-22" in streak.text
    back = await dan.slash("back")
    assert "Welcome back" in back.text
    not_away = await dan.slash("back")
    assert "You are not away" in not_away.text


async def test_buddies_are_paired_and_pinged_with_the_weekly_post(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    bob, carol, dave = (guild.add_member(n) for n in ("bob", "carol", "dave"))
    clock.set("2026-11-21T10:00:00+00:00")
    bot = await start(start_bot, clock)
    await organiser.slash("admin", "setup", channel=study, timezone="UTC")
    for member in (alice, bob, carol, dave):
        assert "You are in!" in (await member.slash("buddy", "join")).text
    assert "already in" in (await alice.slash("buddy", "join")).text
    assert "next weekly leaderboard" in (await alice.slash("buddy", "show")).text
    await bob.slash("checkin", minutes=30)

    clock.set("2026-11-23T09:00:30+00:00")  # Monday: the weekly post, then the pairs
    await tick(bot)
    [announcement] = [m for m in fake.channel_messages(study) if "Study buddies" in m.text]
    assert announcement.pinged_user_ids == {alice.id, bob.id, carol.id, dave.id}
    show = await alice.slash("buddy", "show")
    assert "Your study buddy this week:" in show.text
    assert "-day streak" in show.text
    assert "not be paired" in (await carol.slash("buddy", "leave")).text
