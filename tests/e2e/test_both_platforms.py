"""Discord and Slack served by one `studybot run`: one database, one scheduler, one shutdown;
and a Slack socket that drops is opened again without losing a check-in."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LAUNCHER, StartBot
from tests.e2e.slack import rows, slack, text_of
from tests.fakediscord import FakeMember
from tests.fakeslack import FakeSlack

__all__ = ["slack"]  # fixtures used by name

pytestmark = pytest.mark.e2e


async def test_one_process_serves_both_platforms_into_one_database(
    start_bot: StartBot, alice: FakeMember, slack: FakeSlack
) -> None:
    bot = await start_bot(
        module=LAUNCHER,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_API_BASE_URL=slack.api_base_url,
        STUDYBOT_TEST_NOW="2026-12-02T10:00:00+00:00",
    )
    await slack.connected.wait()
    on_discord = await alice.slash("checkin", minutes=45, topic="pandas")
    assert "1-day streak" in on_discord.text
    ada, study = slack.add_user("ada"), slack.add_channel("study")
    on_slack = await slack.wait_response(await slack.slash(ada, study, "checkin 30 numpy"))
    assert "1-day streak" in text_of(on_slack)

    # A dropped socket: Socket Mode opens a new one, and the next command is answered.
    await slack.drop_socket()
    await slack.connected.wait()
    again = await slack.wait_response(await slack.slash(ada, study, "streak"), within=20)
    assert "Current streak: 1" in text_of(again)

    stored = rows(bot, "SELECT community_id, minutes, topic FROM checkins ORDER BY minutes")
    assert [(c.split(":")[0], m, t) for c, m, t in stored] == [
        ("slack", 30, "numpy"),
        ("discord", 45, "pandas"),
    ]
    assert await bot.stop() == 0
    log = bot.log()
    assert log.count("shut down cleanly") == 1
    assert "Traceback" not in log
    assert slack.problems == []
