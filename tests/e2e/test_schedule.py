"""Server set-up and the scheduled daily post, end to end, with the bot's clock moved by hand."""

from __future__ import annotations

import discord
import pytest

from tests.e2e.conftest import BotClock, StartBot, start, tick
from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMember, StoredMessage


def daily_posts(fake: FakeDiscord, channel: FakeChannel) -> list[StoredMessage]:
    """The daily posts in a channel (public replies to members are there too)."""
    return [m for m in fake.channel_messages(channel) if "studybot:checkin" in m.custom_ids]


async def setup_study_channel(organiser: FakeMember, guild: FakeGuild) -> str:
    reply = await organiser.slash(
        "admin",
        "setup",
        channel=guild.channel("study"),
        timezone="Europe/Berlin",
        post_time="09:00",
    )
    return reply.text


@pytest.mark.both_engines
async def test_the_daily_post_arrives_at_the_local_time_once_and_is_caught_up_after_downtime(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    clock.set("2026-11-21T07:00:00+00:00")  # 08:00 in Berlin
    bot = await start(start_bot, clock)

    refused = await alice.slash(
        "admin", "setup", channel=study, timezone="Europe/Berlin", unchecked=True
    )
    assert refused.text == "You need the Manage Server permission for this."
    assert "Not set up yet" in (await alice.slash("help")).text
    text = await setup_study_channel(organiser, guild)
    assert "Daily post at 09:00" in text
    assert (
        f"Daily post at 09:00 (Europe/Berlin) in <#{study.id}>" in (await alice.slash("help")).text
    )
    assert "Next daily post: Sat 21 Nov 09:00 (Europe/Berlin)" in text

    await tick(bot)
    assert daily_posts(fake, study) == []  # 08:00: not yet

    clock.set("2026-11-21T08:00:30+00:00")  # 09:00:30 in Berlin
    await tick(bot)
    [post] = daily_posts(fake, study)
    assert "Day 1: " in post.text
    assert "Problem: " in post.text
    assert "studybot:checkin" in post.custom_ids
    [solved_id] = [c for c in post.custom_ids if c.startswith("sb:solved:2026-11-21:")]
    assert post.allowed_mentions == {"parse": []}

    modal = await alice.click(post, "studybot:checkin")
    checked_in = await alice.submit_modal(modal, {"minutes": "30", "topic": "vectors"})
    assert "1-day streak" in checked_in.text
    solved = await alice.click(post, solved_id)
    assert "+30 points" in solved.text  # Saturday: Hard

    config = await organiser.slash("admin", "config")
    assert "daily:2026-11-21: sent" in config.text
    assert "Next daily post: Sun 22 Nov 09:00 (Europe/Berlin)" in config.text

    # A restart after the post does not post again.
    assert await bot.stop() == 0
    bot = await start(start_bot, clock)
    assert len(daily_posts(fake, study)) == 1

    # Down over the next post time: the missed post goes out once at start-up, as Day 2.
    assert await bot.stop() == 0
    clock.set("2026-11-22T10:00:00+00:00")  # 11:00 in Berlin, post time was 09:00
    bot = await start(start_bot, clock)
    posts = daily_posts(fake, study)
    assert len(posts) == 2
    assert "Day 2: " in posts[1].text
    assert "ML problem: " in posts[1].text  # Sunday
    assert await bot.stop() == 0
    await start(start_bot, clock)
    assert len(daily_posts(fake, study)) == 2


async def test_a_forbidden_channel_does_not_stop_another_servers_post(
    fake: FakeDiscord, start_bot: StartBot, clock: BotClock, guild: FakeGuild, organiser: FakeMember
) -> None:
    other = fake.add_guild("Second group")
    other_admin = other.add_member("host", admin=True)
    clock.set("2026-11-21T07:00:00+00:00")
    bot = await start(start_bot, clock)
    await setup_study_channel(organiser, guild)
    await setup_study_channel(other_admin, other)
    # Someone takes the bot's Send Messages away in the first server after set-up.
    guild.channel("study").set_permissions(
        guild.me, deny=discord.Permissions(send_messages=True).value
    )
    clock.set("2026-11-21T08:00:30+00:00")
    await tick(bot)
    assert daily_posts(fake, guild.channel("study")) == []
    [post] = daily_posts(fake, other.channel("study"))
    assert "Day 1: " in post.text
    config = await organiser.slash("admin", "config")
    assert "Last failures" in config.text
    assert "missing a permission" in config.text


async def test_setup_checks_permissions_times_and_zones(
    start_bot: StartBot, clock: BotClock, guild: FakeGuild, organiser: FakeMember
) -> None:
    clock.set("2026-11-21T07:00:00+00:00")
    await start(start_bot, clock)
    quiet = guild.add_text_channel("quiet")
    quiet.set_permissions(
        guild.me, deny=discord.Permissions(embed_links=True, attach_files=True).value
    )
    missing = await organiser.slash("admin", "setup", channel=quiet, timezone="UTC")
    assert missing.text.startswith(
        "I can't post in #quiet: I am missing Embed Links, Attach Files."
    )
    bad_time = await organiser.slash(
        "admin", "setup", channel=guild.channel("study"), timezone="UTC", post_time="25:00"
    )
    assert "post_time must be a time as HH:MM" in bad_time.text
    bad_zone = await organiser.slash(
        "admin", "setup", channel=guild.channel("study"), timezone="Mars/Base"
    )
    assert "Unknown time zone 'Mars/Base'" in bad_zone.text
    config = await organiser.slash("admin", "config")
    assert "no channel yet" in config.text


async def test_admin_post_pause_and_resume(
    fake: FakeDiscord, start_bot: StartBot, clock: BotClock, guild: FakeGuild, organiser: FakeMember
) -> None:
    study = guild.channel("study")
    clock.set("2026-11-21T06:00:00+00:00")  # 07:00 in Berlin, before the post time
    bot = await start(start_bot, clock)
    not_yet = await organiser.slash("admin", "post")
    assert "Run /admin setup first" in (await not_yet.final()).text
    await setup_study_channel(organiser, guild)
    posted = await organiser.slash("admin", "post", kind="daily")
    assert (await posted.final()).text == "Posted."
    again = await organiser.slash("admin", "post")
    assert "already out" in (await again.final()).text
    forced = await organiser.slash("admin", "post", force=True)
    assert (await forced.final()).text == "Posted."
    assert len(daily_posts(fake, study)) == 2

    paused = await organiser.slash("admin", "pause", until="2026-11-22")
    assert "Paused through 2026-11-22" in paused.text
    bad = await organiser.slash("admin", "pause", until="next week")
    assert "until must be a date as YYYY-MM-DD" in bad.text
    clock.set("2026-11-22T08:00:30+00:00")
    await tick(bot)
    assert len(daily_posts(fake, study)) == 2  # paused on the 22nd
    resumed = await organiser.slash("admin", "resume")
    assert "Resumed. Today's post went out now." in resumed.text
    posts = daily_posts(fake, study)
    assert len(posts) == 3
    assert "Day 2: " in posts[2].text
