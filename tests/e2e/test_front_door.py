"""The first minutes with a real `studybot run`: one process per database, the next step
logged for a new organiser, and servers that are not on the allowed list left at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.discordbot.permissions import invite_url
from tests.e2e.conftest import StartBot
from tests.e2e.process import STUDYBOT, bot_environment
from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember

LEAVE = "/users/@me/guilds/{guild_id}"
NEXT_STEP = "next step: no server is set up yet. In your server, run /admin setup"


async def test_a_second_bot_on_the_same_database_refuses_with_one_line(
    fake: FakeDiscord, start_bot: StartBot, guild: FakeGuild, tmp_path: Path
) -> None:
    first = await start_bot()
    second = await asyncio.create_subprocess_exec(
        str(STUDYBOT),
        "run",
        cwd=tmp_path,
        env=bot_environment(fake, tmp_path),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(30):
        out, err = await second.communicate()
    lines = err.decode().strip().splitlines()
    assert second.returncode == 1, err.decode()
    assert lines[-1].startswith(f"studybot: another studybot (pid {first.process.pid}, host ")
    assert lines[-1].endswith(f"is already using {first.database_path}; stop it first")
    assert "Traceback" not in err.decode()
    assert len(fake.identifies) == 1  # the second never connected to Discord
    assert out == b""
    assert first.process.returncode is None  # and the first runs on


async def test_with_no_server_set_up_the_log_gives_the_next_step_and_invite_link(
    fake: FakeDiscord, start_bot: StartBot, guild: FakeGuild, organiser: FakeMember
) -> None:
    bot = await start_bot()
    await bot.wait_for_log(NEXT_STEP)
    link = invite_url(fake.app_id)
    assert link == (
        f"https://discord.com/oauth2/authorize?client_id={fake.app_id}"
        "&scope=bot+applications.commands&permissions=52224"
    )
    assert link in bot.log()

    await organiser.slash("admin", "setup", channel=guild.channel("study"), timezone="UTC")
    assert await bot.stop() == 0
    again = await start_bot()
    await again.wait_for_log("catch-up done")
    await again.wait_for_log("ready as")
    assert NEXT_STEP not in again.log()


async def test_in_no_server_yet_the_log_says_to_invite_the_bot(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot()
    await bot.wait_for_log("next step: the bot is in no server yet. Invite it with ")
    assert invite_url(fake.app_id) in bot.log()


async def test_the_bot_leaves_servers_that_are_not_allowed(
    fake: FakeDiscord, start_bot: StartBot, guild: FakeGuild
) -> None:
    stranger = fake.add_guild("Someone else's server")
    bot = await start_bot(STUDYBOT_ALLOWED_SERVERS=f"{guild.id}, 1")
    await bot.wait_for_log(f"leaving server Someone else's server (id {stranger.id})")
    late = fake.add_guild("Added later")  # arrives like a server the bot was just added to
    await bot.wait_for_log(f"leaving server Added later (id {late.id})")
    left = [request.path for request in fake.requests_to("DELETE", LEAVE)]
    assert left == [f"/users/@me/guilds/{stranger.id}", f"/users/@me/guilds/{late.id}"]
    assert set(fake.guilds) == {guild.id}
    assert "not in STUDYBOT_ALLOWED_SERVERS" in bot.log()
