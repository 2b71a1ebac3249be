"""`/study admin …` on Slack, end to end: who may use it, set-up, and every admin subcommand."""

from __future__ import annotations

import pytest

from tests.e2e.process import BotProcess
from tests.e2e.slack import StartSlack, rows, slack, slack_clock, start_slack, text_of
from tests.fakeslack import FakeSlack

__all__ = ["slack", "slack_clock", "start_slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e


@pytest.fixture
async def slack_bot(start_slack: StartSlack) -> BotProcess:
    # An admin runs more than the default 10 commands a minute here; the limit has its own test.
    return await start_slack(STUDYBOT_COMMANDS_PER_MINUTE="60")


async def ask(slack: FakeSlack, *args: object, **kwargs: object) -> str:
    envelope = await slack.slash(*args, **kwargs)  # type: ignore[arg-type]
    return text_of(await slack.wait_response(envelope))


async def test_only_owners_admins_and_named_organisers_may_use_admin(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    member, boss = slack.add_user("member"), slack.add_user("boss", is_admin=True)
    study = slack.add_channel("study")
    refused = await ask(slack, member, study, "admin setup")
    assert "Only workspace owners and admins, and the organisers they name" in refused
    assert rows(slack_bot, "SELECT channel_id FROM communities WHERE channel_id IS NOT NULL") == []

    named = await ask(slack, boss, study, f"admin organisers add <@{member.id}|member>")
    assert f"<@{member.id}> is now an organiser" in named
    config = await ask(slack, member, study, "admin config")
    assert "Daily post at" in config
    assert f"slack:{slack.team_id}" in config  # the id `studybot curriculum import` takes
    listed = await ask(slack, boss, study, "admin organisers")
    assert f"<@{member.id}>" in listed

    await ask(slack, boss, study, f"admin organisers remove <@{member.id}|member>")
    assert "Only workspace owners" in await ask(slack, member, study, "admin config")
    assert slack.problems == []


async def test_setup_uses_the_channel_and_the_admins_zone_and_needs_the_bot_in_it(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    owner = slack.add_user("owner", is_owner=True, tz="America/Chicago")
    outside = slack.add_channel("outside", bot_member=False)
    study = slack.add_channel("study")
    refused = await ask(slack, owner, outside, "admin setup")
    assert "/invite @studybot" in refused
    assert "Usage: `/study admin setup [HH:MM] [ZONE]`" in await ask(
        slack, owner, study, "admin setup 07:30 nowhere extra"
    )
    bad_time = await ask(slack, owner, study, "admin setup 25:00")
    assert "HH:MM" in bad_time

    done = await ask(slack, owner, study, "admin setup 07:30")
    assert f"Daily post at 07:30 in <#{study.id}>, time zone America/Chicago" in done
    assert rows(slack_bot, "SELECT channel_id, timezone, post_time FROM communities") == [
        (study.id, "America/Chicago", "07:30")
    ]
    again = await ask(slack, owner, study, "admin setup Europe/Paris")
    assert "time zone Europe/Paris" in again
    assert "Daily post at 09:00" in again


async def test_post_pause_resume_problems_curriculum_and_export(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    admin, ada = slack.add_user("admin", is_admin=True), slack.add_user("ada")
    study = slack.add_channel("study")
    assert "Run /study admin setup first" in await ask(slack, admin, study, "admin post")
    await ask(slack, admin, study, "admin setup 09:00 Europe/Berlin")
    await ask(slack, ada, study, "checkin 40 attention heads")

    assert "Posted." in await ask(slack, admin, study, "admin post daily")
    assert "already out" in await ask(slack, admin, study, "admin post daily")
    assert "Usage: `/study admin post [daily|leaderboard] [force]`" in await ask(
        slack, admin, study, "admin post weekly"
    )
    [daily] = [m for m in slack.messages_in(study) if "Day 1" in text_of(m)]
    assert "Check in" in text_of(daily)
    assert "Solved" in text_of(daily)

    assert "Posted." in await ask(slack, admin, study, "admin post leaderboard")
    assert [f for f in slack.files.values() if f["channel_id"] == study.id]  # the card

    paused = await ask(slack, admin, study, "admin pause 2026-12-10")
    assert "Paused through 2026-12-10" in paused
    assert "until must be" in await ask(slack, admin, study, "admin pause someday")
    assert "Resumed." in await ask(slack, admin, study, "admin resume")

    problems = await ask(slack, admin, study, "admin problems leetcode-daily EEEEEEE")
    assert "LeetCode's daily challenge" in problems
    assert "is now EEEEEEE" in problems
    assert rows(slack_bot, "SELECT problem_source, difficulty_pattern FROM communities") == [
        ("leetcode-daily", "EEEEEEE")
    ]
    shown = await ask(slack, admin, study, "admin curriculum show")
    assert "bundled with studybot" in shown
    assert "Day 1" in shown
    reset = await ask(slack, admin, study, "admin curriculum reset")
    assert "already uses the bundled curriculum" in reset
    assert "workspace" in reset
    assert "studybot curriculum import" in await ask(slack, admin, study, "admin curriculum load")

    exported = await ask(slack, admin, study, "admin export")
    assert "direct messages" in exported
    files = {
        str(f["filename"]): f for f in slack.files.values() if f["filename"] != "leaderboard.png"
    }
    assert set(files) == {"studybot-checkins.csv", "studybot-shared-work.csv"}
    csv = files["studybot-checkins.csv"]
    assert csv["channel_id"] == f"D{admin.id}"
    assert "attention heads" in csv["data"].decode("utf-8-sig")
    assert "Every check-in in this workspace" in str(csv["initial_comment"])
    shared = files["studybot-shared-work.csv"]
    assert shared["channel_id"] == f"D{admin.id}"
    assert "Shared work" in str(shared["initial_comment"])
    assert slack.problems == []


async def test_a_payload_from_another_workspace_changes_nothing(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    stranger, study = slack.add_user("stranger"), slack.add_channel("study")
    envelope = await slack.slash(stranger, study, "checkin 30", team_id="T0OTHER")
    assert (await slack.wait_ack(envelope)).get("payload") in (None, {})
    await slack_bot.wait_for_log("ignored a payload from workspace T0OTHER")
    assert rows(slack_bot, "SELECT count(*) FROM checkins") == [(0,)]
    assert rows(slack_bot, "SELECT count(*) FROM communities") == [(0,)]
