"""A member's own subcommands on Slack, end to end: zone, buddy, LeetCode link, forgetme, App
Home, and input that must be refused or must not ping."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.process import BotProcess
from tests.e2e.slack import StartSlack, rows, slack, slack_clock, start_slack, text_of
from tests.fake_leetcode import FakeLeetCode
from tests.fakeslack import FakeSlack

__all__ = ["slack", "slack_clock", "start_slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e


@pytest.fixture
async def leetcode() -> AsyncIterator[FakeLeetCode]:
    fake = await FakeLeetCode().start()
    yield fake
    await fake.close()


@pytest.fixture
async def slack_bot(start_slack: StartSlack, leetcode: FakeLeetCode) -> BotProcess:
    return await start_slack(LEETCODE_GRAPHQL_URL=leetcode.url)


async def ask(slack: FakeSlack, *args: object) -> dict[str, object]:
    return await slack.wait_response(await slack.slash(*args))  # type: ignore[arg-type]


async def test_a_member_starts_from_their_profile_zone_and_can_change_it(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    kai, study = slack.add_user("kai", tz="Asia/Tokyo"), slack.add_channel("study")
    shown = text_of(await ask(slack, kai, study, "timezone"))
    assert "Your days follow Asia/Tokyo (your own zone)" in shown
    assert rows(slack_bot, "SELECT user_id, display_name, timezone FROM members") == [
        (kai.id, "kai", "Asia/Tokyo")
    ]
    changed = text_of(await ask(slack, kai, study, "timezone America/Lima"))
    assert "Your time zone is now America/Lima" in changed
    offered = text_of(await ask(slack, kai, study, "timezone"))
    assert "Your profile says Asia/Tokyo" in offered
    assert "/study timezone Asia/Tokyo" in offered
    refused = text_of(await ask(slack, kai, study, "timezone Mars/Olympus"))
    assert "Unknown time zone 'Mars/Olympus'" in refused


async def test_buddy_join_show_and_leave(slack: FakeSlack, slack_bot: BotProcess) -> None:
    lin, study = slack.add_user("lin"), slack.add_channel("study")
    assert "You are in!" in text_of(await ask(slack, lin, study, "buddy join"))
    assert "already in" in text_of(await ask(slack, lin, study, "buddy join"))
    assert "next weekly leaderboard" in text_of(await ask(slack, lin, study, "buddy show"))
    assert "Done" in text_of(await ask(slack, lin, study, "buddy leave"))
    assert "Usage: `/study buddy join|leave|show`" in text_of(
        await ask(slack, lin, study, "buddy dance")
    )
    assert rows(slack_bot, "SELECT count(*) FROM buddy_optins") == [(0,)]


async def test_leetcode_link_and_verify_with_the_button(
    slack: FakeSlack, slack_bot: BotProcess, leetcode: FakeLeetCode
) -> None:
    mo, study = slack.add_user("mo"), slack.add_channel("study")
    linking = await ask(slack, mo, study, "leetcode link mo_lc")
    [(code,)] = rows(slack_bot, "SELECT code FROM leetcode_links WHERE user_id = ?", mo.id)
    assert f"`{code}`" in text_of(linking)
    leetcode.profiles["mo_lc"] = {"realName": "Mo", "aboutMe": f"hello {code}"}
    click = await slack.click(mo, study, linking, "sb:leetcode-verify")
    verified = await slack.wait_response(click)
    assert "Linked to LeetCode account mo_lc" in text_of(verified)
    assert rows(slack_bot, "SELECT username, verified_at IS NOT NULL FROM leetcode_links") == [
        ("mo_lc", 1)
    ]
    assert "Unlinked" in text_of(await ask(slack, mo, study, "leetcode unlink"))
    assert "Usage: `/study leetcode link USERNAME|unlink`" in text_of(
        await ask(slack, mo, study, "leetcode")
    )


async def test_forgetme_asks_first_and_only_the_member_can_confirm(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    nia, other, study = slack.add_user("nia"), slack.add_user("other"), slack.add_channel("study")
    await ask(slack, nia, study, "checkin 30 linear algebra")
    warning = await ask(slack, nia, study, "forgetme")
    assert "cannot be undone" in text_of(warning)
    assert "workspace" in text_of(warning)
    assert rows(slack_bot, "SELECT count(*) FROM checkins") == [(1,)]

    not_theirs = await slack.click(other, study, warning, "sb:forget:yes")
    assert "Nothing was deleted" in text_of(await slack.wait_response(not_theirs))
    assert rows(slack_bot, "SELECT count(*) FROM checkins") == [(1,)]

    confirmed = await slack.click(nia, study, warning, "sb:forget:yes")
    assert "Done: everything about you" in text_of(await slack.wait_response(confirmed))
    for table in ("checkins", "members", "study_days"):
        assert rows(slack_bot, f"SELECT count(*) FROM {table} WHERE user_id = ?", nia.id) == [(0,)]


async def test_app_home_shows_the_streak_today_and_a_check_in_button(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    oli, study = slack.add_user("oli"), slack.add_channel("study")
    await ask(slack, oli, study, "checkin 25")
    await slack.open_home(oli)
    await slack_bot.wait_for_log("views.publish")
    home = slack.home_views[oli.id]
    drawn = text_of(home)
    assert home["type"] == "home"
    assert "Current streak: 1" in drawn
    assert "Day 1" in drawn
    [actions] = [b for b in home["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == ["studybot:checkin"]
    assert slack.problems == []


async def test_text_that_must_not_ping_and_input_that_is_refused(
    slack: FakeSlack, slack_bot: BotProcess
) -> None:
    pat, study = slack.add_user("pat"), slack.add_channel("study")
    loud = await ask(slack, pat, study, "checkin 20 &lt;!channel&gt; <!here> &amp;lt;@U1&amp;gt;")
    drawn = text_of(loud)
    for ping in ("<!channel>", "<!here>", "<@U1>"):
        assert ping not in drawn
    assert rows(slack_bot, "SELECT topic FROM checkins") == [("<!channel> <!here> &lt;@U1&gt;",)]

    huge = await ask(slack, pat, study, "checkin 20 " + "x" * 3990)
    assert "The topic can be at most 100 characters" in str(huge["text"])
    control = await ask(slack, pat, study, "checkin 20 bad\x07bell")
    assert "control characters" in str(control["text"])
    assert rows(slack_bot, "SELECT count(*) FROM checkins") == [(1,)]

    envelope = await slack.send_envelope("brand_new_kind", {"type": "brand_new_kind"})
    assert (await slack.wait_ack(envelope)).get("payload") in (None, {})
    again = await slack.send_envelope("brand_new_kind", {"type": "brand_new_kind"})
    await slack.wait_ack(again)
    await slack_bot.wait_for_log("ignored an envelope of kind brand_new_kind")
    assert slack_bot.log().count("ignored an envelope of kind brand_new_kind") == 1


async def test_the_per_member_limit_holds_on_slack(
    slack: FakeSlack, start_slack: StartSlack
) -> None:
    bot = await start_slack(STUDYBOT_COMMANDS_PER_MINUTE="2")
    quin, study = slack.add_user("quin"), slack.add_channel("study")
    await ask(slack, quin, study, "checkin 10")
    await ask(slack, quin, study, "help")
    refused = await ask(slack, quin, study, "checkin 10")
    assert str(refused["text"]).startswith("Easy there: at most 2 commands a minute.")
    assert rows(bot, "SELECT count(*) FROM checkins") == [(1,)]
