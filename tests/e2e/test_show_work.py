"""Show your work, plan the week, reflect: end to end on the fake Discord."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

from tests.e2e.conftest import BotClock, StartBot, start, tick
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

REPO = "https://github.com/alice/tiny-autograd"


def useful_id(custom_ids: list[str]) -> str:
    [found] = [c for c in custom_ids if c.startswith("sb:useful:")]
    return found


async def test_sharing_votes_and_the_portfolio(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
) -> None:
    bob, carol = guild.add_member("bob"), guild.add_member("carol")
    clock.set("2026-11-21T10:00:00+00:00")
    await start(start_bot, clock)
    post = await alice.slash(
        "share", title="Autograd in 200 lines @everyone", link=REPO, kind="repo"
    )
    assert not post.ephemeral
    assert "Autograd in 200 lines" in post.text
    assert REPO in post.text
    assert post.message is not None
    assert post.message.allowed_mentions == {"parse": []}  # the title pings nobody
    button = useful_id(post.custom_ids)

    voted = await bob.click(post, button)
    assert "Useful (1)" in str(voted.message.components if voted.message else "")
    assert "1 useful" in voted.text
    await carol.click(post, button)
    taken_back = await bob.click(post, button)  # pressing again takes the vote back
    assert "1 useful" in taken_back.text
    own = await alice.click(post, button)
    assert own.ephemeral
    assert "your own work" in own.text

    for bad in ("ftp://example.org/x", "github.com/alice", "javascript:alert(1)"):
        refused = await alice.slash("share", title="x", link=bad)
        assert refused.ephemeral
        assert "must be a web address starting with http:// or https://" in refused.text
    long_link = await alice.slash(
        "share", title="x", link="https://e.org/" + "a" * 290, unchecked=True
    )
    assert "at most 300 characters" in long_link.text

    await alice.slash(
        "share", title="Notes on attention", link="https://alice.dev/attn", kind="notes"
    )
    seen = await bob.slash("portfolio", member=alice)
    assert seen.ephemeral
    assert seen.text.index("Notes on attention") < seen.text.index("Autograd in 200 lines")
    assert "1 useful" in seen.text
    assert "0 useful" in seen.text
    nothing = await bob.slash("portfolio")
    assert "You have not shared any work yet" in nothing.text


async def test_a_plan_its_review_for_planners_only_and_the_weekly_post(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    study = guild.channel("study")
    bob, carol = guild.add_member("bob"), guild.add_member("carol")
    clock.set("2026-11-16T10:00:00+00:00")  # Monday of week 47
    bot = await start(start_bot, clock)
    await organiser.slash("admin", "setup", channel=study, timezone="UTC", post_time="09:00")
    none_yet = await alice.slash("plan")
    assert "No plan for this week (2026-W47) yet" in none_yet.text
    too_many = await alice.slash("plan", goals="a; b; c; d; e; f")
    assert "at most 5 goals" in too_many.text
    planned = await alice.slash("plan", goals="finish chapter 3; two LeetCode mediums")
    assert planned.ephemeral
    assert "Goal 1: finish chapter 3" in planned.text
    shown = await alice.slash("plan")
    assert "Goal 2: two LeetCode mediums" in shown.text
    await carol.slash("plan", goals="rest")
    await carol.slash("away", until="2026-11-22")  # away the whole week
    await alice.slash("share", title="Chapter 3 notes", link="https://alice.dev/ch3")

    clock.set("2026-11-23T09:00:30+00:00")  # Monday: the weekly post for week 47
    await tick(bot)
    [weekly] = [m for m in fake.channel_messages(study) if "Leaderboard, week 47" in m.text]
    assert "2 members planned the week: 0 of 3 goals met." in weekly.text
    assert "Shared this week" in weekly.text
    assert "1. Chapter 3 notes by Alice (0 useful)" in weekly.text
    [review] = fake.dms(alice)
    assert "Your week in review" in review.text
    assert fake.dms(bob) == []
    assert fake.dms(carol) == []  # away all week
    done = [c for c in review.custom_ids if c.startswith("sb:goal:")]
    assert len(done) == 2
    marked = await alice.click(review, done[0])
    assert "1 of 2 goals met in 2026-W47" in marked.text
    [write] = [c for c in review.custom_ids if c.startswith("sb:review:")]
    form = await alice.click(review, write)
    saved = await alice.submit_modal(form, {"helped": "mornings", "hindered": "late nights"})
    assert "Review saved" in saved.text
    await tick(bot)
    assert len(fake.dms(alice)) == 1  # once

    stats = await alice.slash("stats")
    assert "Last week: 1 of 2 goals met." in stats.text
    assert "No plan for this week yet." in stats.text
    with sqlite3.connect(bot.database_path) as conn:
        assert conn.execute(
            "SELECT helped, hindered FROM week_plans WHERE user_id = ?", (str(alice.id),)
        ).fetchone() == ("mornings", "late nights")


async def test_reflections_are_private_a_journal_and_forgetme_removes_it_all(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    guild: FakeGuild,
    alice: FakeMember,
) -> None:
    bob = guild.add_member("bob")
    clock.set("2026-11-21T10:00:00+00:00")
    bot = await start(start_bot, clock)
    first = await alice.slash("reflect", answer="It broke on numpy 2.")
    assert first.ephemeral
    assert "Saved" in first.text
    form = await alice.slash("reflect")
    assert form.modal is not None
    assert "What broke when you rebuilt the environment" in str(form.modal)
    again = await alice.submit_modal(form, {"answer": "Pinning would have caught it."})
    assert "replaces the one you wrote earlier today" in again.text
    entries = await alice.slash("journal")
    assert entries.ephemeral
    assert "Pinning would have caught it." in entries.text
    assert "It broke on numpy 2." not in entries.text
    assert "2026-11-21" in entries.text
    assert "Your journal is empty" in (await bob.slash("journal")).text
    streak = await alice.slash("streak")
    assert "Current streak: 0" in streak.text or "0-day" in streak.text  # no check-in from it

    await alice.slash("share", title="Env notes", link="https://alice.dev/env")
    await alice.slash("plan", goals="pin versions")
    asked = await alice.slash("forgetme")
    [confirm] = [c for c in asked.custom_ids if c.startswith("sb:forget:yes")]
    done = await alice.click(asked, confirm)
    assert re.search(r"deleted \(\d+ records\)", done.text)
    await bot.stop()
    with sqlite3.connect(bot.database_path) as conn:
        for table in ("reflections", "shared_items", "share_votes", "week_plans", "plan_goals"):
            count = conn.execute(
                f"SELECT count(*) FROM {table} WHERE user_id = ?", (str(alice.id),)
            ).fetchone()
            assert count == (0,), table


async def test_a_check_in_links_to_the_work_and_the_export_has_links_and_shared_work(
    fake: FakeDiscord,
    start_bot: StartBot,
    clock: BotClock,
    alice: FakeMember,
    organiser: FakeMember,
) -> None:
    clock.set("2026-11-21T10:00:00+00:00")
    await start(start_bot, clock)
    done = await alice.slash("checkin", minutes=40, topic="autograd", link=REPO)
    assert not done.ephemeral
    assert REPO in done.text
    assert "-day streak" in done.text
    assert done.message is not None
    assert REPO not in done.message.content  # in the embed: Discord shows no preview card
    refused = await alice.slash("checkin", minutes=10, link="www.example.org")
    assert "must be a web address starting with http:// or https://" in refused.text
    bob = alice.guild.add_member("bob")
    streak = await bob.slash("streak")  # not checked in today: it offers the form
    form = await bob.click(streak, "studybot:checkin")
    via_form = await bob.submit_modal(form, {"minutes": "25", "link": "https://bob.dev/notes"})
    assert "https://bob.dev/notes" in via_form.text
    await alice.slash("share", title="Tiny autograd", link=REPO, kind="repo")

    export = await organiser.slash("admin", "export")
    await export.wait_followup(count=2)  # the check-ins, then the shared work
    messages = export.followups
    files = {f.filename: f.data.decode("utf-8-sig") for m in messages for f in m.files}
    assert len(files) == 2, [m.text for m in messages]
    checkins = list(csv.reader(io.StringIO(files["studybot-checkins.csv"])))
    assert checkins[0][-1] == "link"
    assert checkins[1][-1] == REPO
    shared = list(csv.reader(io.StringIO(files["studybot-shared-work.csv"])))
    assert shared[1][3:] == ["repo", "Tiny autograd", REPO, "0"]
