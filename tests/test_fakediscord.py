"""Tests of the fake Discord itself: its REST answers, its checks, and a real discord.py bot.

The bot here is a tiny `commands.Bot` running in this process (one /ping command with a button,
a modal in both layouts, an autocompleted option, a deferred command, a DM and an upload); the
studybot end-to-end tests run the real bot in its own process against the same fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import MISSING_PERMISSIONS, FakeDiscord, FakeGuild, FakeUser, StoredMessage
from tests.fakediscord.openapi import spec_index

UA = {"User-Agent": "DiscordBot (https://example.invalid, 1.0)"}
ZONES = ["Europe/Berlin", "Europe/Bern", "Europe/London", "America/New_York"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(token="fake-token")
    await server.start()
    try:
        yield server
    finally:
        await server.close()


async def api(
    fake: FakeDiscord, method: str, path: str, *, token: str | None = "fake-token", **kwargs: Any
) -> tuple[int, Any, str]:
    """One raw request, as a client that is not discord.py would send it."""
    headers = dict(UA)
    if token is not None:
        headers["Authorization"] = f"Bot {token}"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base_url + path, headers=headers, **kwargs) as resp,
    ):
        body = await resp.json() if resp.status != 204 else None
        return resp.status, body, resp.headers.get("Content-Type", "")


# -- the tiny bot -------------------------------------------------------------------------------


class AgainView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Again", custom_id="ping:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message("pong again", ephemeral=True)

    @discord.ui.button(label="Later", custom_id="ping:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()  # type 6: edit the clicked message later
        await interaction.edit_original_response(content="pong, later")

    @discord.ui.select(
        custom_id="ping:mood",
        options=[
            discord.SelectOption(label="Great", value="great"),
            discord.SelectOption(label="Tired", value="tired"),
        ],
    )
    async def mood(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.edit_message(content=f"mood: {select.values[0]}")


class CheckinModal(discord.ui.Modal, title="Check in"):
    # One input in the old layout (an action row) and one in the new one (a Label, type 18).
    minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Minutes", custom_id="minutes")
    topic: discord.ui.Label[Any] = discord.ui.Label(
        text="Topic", component=discord.ui.TextInput(custom_id="topic", required=False)
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        topic = self.topic.component
        assert isinstance(topic, discord.ui.TextInput)
        await interaction.response.send_message(f"{self.minutes.value} min on {topic.value}")


class TinyBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.1,  # READY waits this long after the last GUILD_CREATE
        )
        self.guild_id = guild_id

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        pass  # discord.py waits 5 s before re-identifying; a test need not

    async def setup_hook(self) -> None:
        self.add_view(AgainView())
        guild = discord.Object(self.guild_id)
        tree = self.tree

        @tree.command(description="Answers pong")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", view=AgainView())

        @tree.command(description="Opens the check-in form")
        async def checkin(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(CheckinModal())

        @tree.command(description="Sets your time zone")
        @app_commands.describe(zone="An IANA zone")
        async def timezone(interaction: discord.Interaction, zone: str) -> None:
            await interaction.response.send_message(f"zone set to {zone}", ephemeral=True)

        @timezone.autocomplete("zone")
        async def zone_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=z, value=z) for z in ZONES if z.startswith(current)]

        @tree.command(description="Thinks, then answers")
        async def slow(
            interaction: discord.Interaction, minutes: app_commands.Range[int, 1, 720]
        ) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"done after {minutes}")

        @tree.command(description="Reads an attached file")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()  # fetched from the fake's CDN path
            await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")

        @tree.command(description="Never answers")
        async def quiet(interaction: discord.Interaction) -> None:
            pass

        @tree.command(description="Sends you a DM")
        async def dmme(interaction: discord.Interaction) -> None:
            await interaction.user.send(f"hello {interaction.user.name}")
            await interaction.response.send_message("sent", ephemeral=True)

        @tree.command(description="Uploads a file")
        async def export(interaction: discord.Interaction) -> None:
            file = discord.File(io.BytesIO(b"day,minutes\n1,30\n"), filename="checkins.csv")
            await interaction.response.send_message("here", file=file, ephemeral=True)

        buddy = app_commands.Group(name="buddy", description="Study buddies")

        @buddy.command(description="Join the pairing")
        async def join(
            interaction: discord.Interaction, partner: discord.Member | None = None
        ) -> None:
            await interaction.response.send_message(f"joined with {partner and partner.name}")

        tree.add_command(buddy)
        admin = app_commands.Group(
            name="admin",
            description="Server settings",
            default_permissions=discord.Permissions(manage_guild=True),
        )

        @admin.command(description="Where to post")
        async def setup(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
            await interaction.response.send_message(f"posting in #{channel.name}")

        tree.add_command(admin)
        tree.copy_global_to(guild=guild)
        await tree.sync(guild=guild)


@contextlib.asynccontextmanager
async def tiny_bot(fake: FakeDiscord, guild: FakeGuild) -> AsyncIterator[TinyBot]:
    """The bot pointed at the fake (class attributes restored after), connected and synced."""
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    bot = TinyBot(guild.id)
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await fake.wait_until_ready(timeout=20)
        await fake.wait_for_command_sync(timeout=20)
        await asyncio.wait_for(bot.wait_until_ready(), timeout=10)
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


# -- a real bot, end to end ---------------------------------------------------------------------


async def test_bot_connects_syncs_and_answers_slash_commands(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    alice = guild.add_member("alice")
    async with tiny_bot(fake, guild):
        identify = fake.identifies[0]
        assert identify["intents"] == discord.Intents.default().value
        sync = (await fake.wait_for_command_sync())[0]
        assert sync.guild_id == guild.id
        assert {"ping", "checkin", "timezone", "buddy", "admin"} <= set(sync.names)

        reply = await alice.slash("ping")
        assert reply.type == 4
        assert reply.content == "pong"
        assert not reply.ephemeral
        assert reply.custom_ids == ["ping:again", "ping:later", "ping:mood"]
        assert fake.channel_messages(guild.channels[0])[-1] is reply.message

        again = await alice.click(reply, "ping:again")
        assert again.ephemeral
        assert "pong again" in again.text

        mood = await alice.click(reply, "ping:mood", values=["great"])
        assert (mood.type, mood.content) == (7, "mood: great")
        assert reply.content == "mood: great"  # the same message, updated in place
        later = await alice.click(reply, "ping:later")
        assert later.deferred
        assert (await later.final()).content == "pong, later"
        assert [m.content for m in fake.channel_messages(guild.channels[0])] == ["pong, later"]
    assert fake.problems == []


async def test_modal_autocomplete_defer_dm_upload_and_subcommands(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    alice = guild.add_member("alice")
    boss = guild.add_member("boss", permissions=discord.Permissions(manage_guild=True).value)
    general = guild.add_text_channel("general")
    async with tiny_bot(fake, guild):
        opened = await alice.slash("checkin")
        assert opened.type == 9
        assert opened.modal is not None
        done = await alice.submit_modal(opened, {"minutes": "30", "Topic": "pandas"})
        assert done.content == "30 min on pandas"

        assert await alice.autocomplete("timezone", zone="Europe/Ber") == [
            {"name": "Europe/Berlin", "value": "Europe/Berlin"},
            {"name": "Europe/Bern", "value": "Europe/Bern"},
        ]
        zone = await alice.slash("timezone", zone="Europe/Berlin")
        assert zone.ephemeral
        assert zone.text == "zone set to Europe/Berlin"

        slow = await alice.slash("slow", minutes=30)
        assert slow.deferred
        final = await slow.final(timeout=5)
        assert final.content == "done after 30"
        assert slow.followups == [final]
        # The interaction webhook, as a bot would use it later (no bot token needed).
        hook = f"/webhooks/{fake.app_id}/{slow.interaction['token']}/messages"
        status, body, _ = await api(fake, "GET", f"{hook}/@original", token=None)
        assert (status, body["id"]) == (200, str(final.id))
        patch = {"content": "edited later"}
        status, body, _ = await api(fake, "PATCH", f"{hook}/{final.id}", token=None, json=patch)
        assert (status, slow.content) == (200, "edited later")
        status, _, _ = await api(fake, "DELETE", f"{hook}/@original", token=None)
        assert status == 204
        assert final not in fake.channel_messages(guild.channels[0])
        status, body, _ = await api(
            fake, "GET", f"/applications/{fake.app_id}/guilds/{guild.id}/commands"
        )
        assert "slow" in [c["name"] for c in body]

        sent = await alice.slash("dmme")
        assert sent.ephemeral
        assert [m.content for m in fake.dms(alice)] == ["hello alice"]

        export = await alice.slash("export")
        assert [(f.filename, f.data) for f in export.files] == [
            ("checkins.csv", b"day,minutes\n1,30\n")
        ]

        uploaded = await alice.slash("upload", file=("curriculum.yaml", b"days: []\n"))
        assert uploaded.content == "curriculum.yaml: 9 bytes"

        joined = await alice.slash("buddy", "join", partner=boss)
        assert joined.content == "joined with boss"

        with pytest.raises(AssertionError, match="Discord hides /admin setup"):
            await alice.slash("admin", "setup", channel=general)
        setup = await boss.slash("admin", "setup", channel=general)
        assert setup.content == "posting in #general"
        forced = await alice.slash("admin", "setup", channel=general, unchecked=True)
        assert forced.content == "posting in #general"
    assert fake.problems == []


async def test_gateway_compresses_resumes_and_reidentifies(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    alice = guild.add_member("alice")
    async with tiny_bot(fake, guild) as bot:
        assert fake.gateway.connects[0] == {
            "v": "10",
            "encoding": "json",
            "compress": "zlib-stream",
        }
        assert fake.gateway_connected
        assert fake.gateway.heartbeats >= 1  # discord.py beats right after HELLO

        await fake.drop_gateway()
        # Sent while the bot is away: kept in the session and replayed by the RESUME.
        reply = await alice.slash("ping")
        assert reply.content == "pong"
        assert [r["accepted"] for r in fake.resumes] == [True]

        await fake.drop_gateway(resumable=False)
        await fake.wait_until_ready(timeout=10)
        assert [r["accepted"] for r in fake.resumes] == [True, False]
        assert len(fake.identifies) == 2

        # A guild added now arrives as GUILD_CREATE (still part of start-up for discord.py,
        # which reports it as available rather than joined).
        late = fake.add_guild("Late Joiners")  # queued now, read by the bot at our next await
        arrived: asyncio.Future[discord.Guild] = asyncio.get_running_loop().create_future()

        async def on_guild(seen: discord.Guild) -> None:
            if seen.id == late.id and not arrived.done():
                arrived.set_result(seen)

        bot.add_listener(on_guild, "on_guild_join")
        bot.add_listener(on_guild, "on_guild_available")
        joined = await asyncio.wait_for(arrived, timeout=5)
        assert joined.get_channel(late.channels[0].id) is not None
    assert fake.problems == []


async def test_channel_posts_nonce_permissions_and_failures(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    study = guild.channels[0]
    async with tiny_bot(fake, guild) as bot:
        channel = bot.get_channel(study.id)
        assert isinstance(channel, discord.TextChannel)
        embed = discord.Embed(title="Day 1", description="Linear regression")
        embed.add_field(name="Problem", value="Two Sum")
        first = await channel.send(
            "Good morning", embed=embed, nonce="daily:2026-11-21",
            allowed_mentions=discord.AllowedMentions.none(),
        )  # fmt: skip
        again = await channel.send("Good morning", nonce="daily:2026-11-21")
        assert again.id == first.id  # enforce_nonce: Discord answers with the first message
        [stored] = fake.channel_messages(study)
        assert stored.nonce == "daily:2026-11-21"
        assert stored.allowed_mentions == {"parse": []}
        assert "Two Sum" in stored.text
        assert "Day 1" in stored.text
        assert (await channel.fetch_message(first.id)).embeds[0].title == "Day 1"
        assert [m.id async for m in channel.history(limit=5)] == [first.id]

        fake.fail_next("POST", "/channels/{channel_id}/messages", 403)
        with pytest.raises(discord.Forbidden) as refused:
            await channel.send("nope")
        assert refused.value.code == MISSING_PERMISSIONS["code"]
        fake.fail_next("POST", f"/channels/{study.id}/*", 503)
        with pytest.raises(discord.DiscordServerError):
            await channel.send("later")
        fake.fail_next("POST", "/channels/{channel_id}/messages", 429)  # discord.py retries
        retried = await channel.send("after a rate limit")
        await retried.delete()

        study.set_permissions(guild.me, deny=discord.Permissions(send_messages=True).value)
        with pytest.raises(discord.Forbidden):
            await channel.send("muted")
        study.set_permissions(guild.me)

        file = discord.File(io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(16)), filename="heatmap.png")
        posted = await channel.send(file=file)
        assert posted.attachments[0].filename == "heatmap.png"
        assert await posted.attachments[0].read() == fake.channel_messages(study)[-1].files[0].data
        await posted.edit(content="edited")
        assert fake.message(posted.id).content == "edited"
        await posted.delete()
        assert [m.id for m in fake.channel_messages(study)] == [first.id]

        guild.delete_channel(study)
        with pytest.raises(discord.NotFound):
            await channel.send("gone")
    assert fake.problems == []
    assert [r.status for r in fake.requests_to("POST", "/channels/{channel_id}/messages")] == [
        200, 200, 403, 503, 429, 200, 403, 200, 404,
    ]  # fmt: skip


async def test_interaction_rules_late_twice_and_silent(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    alice = guild.add_member("alice")
    async with tiny_bot(fake, guild):
        fake.interaction_deadline = 0.0  # every answer is now too late
        with pytest.raises(AssertionError, match=r"Discord allows 0\.0 s"):
            await alice.slash("ping")
        fake.interaction_deadline = 3.0
        assert fake.problems
        fake.problems.clear()

        pong = await alice.slash("ping")
        callback = f"/interactions/{pong.interaction['id']}/{pong.interaction['token']}/callback"
        status, body, _ = await api(
            fake, "POST", callback, token=None, json={"type": 4, "data": {}}
        )
        assert (status, body["code"]) == (400, 40060)
        assert fake.problems == [f"callback for interaction {pong.record.id}: acknowledged twice"]
        fake.problems.clear()

        opened = await alice.slash("checkin")
        with pytest.raises(AssertionError, match="has no input"):
            await alice.submit_modal(opened, {"mood": "great"})
        with pytest.raises(AssertionError, match="needs 1-4000 characters"):
            await alice.submit_modal(opened, {"Topic": "only the optional one"})
        with pytest.raises(AssertionError, match="not registered"):
            await alice.slash("nosuchcommand")
        with pytest.raises(AssertionError, match="must be between 1 and 720"):
            await alice.slash("slow", minutes=0)
        # discord.py does not check Range on arrival: the handler runs with the bad value.
        zero = await alice.slash("slow", minutes=0, unchecked=True)
        assert (await zero.final()).text == "done after 0"
        with pytest.raises(AssertionError, match="nothing came back"):
            await alice.slash("quiet", timeout=0.5)
    assert fake.problems == []


# -- REST without a bot -------------------------------------------------------------------------


async def test_rest_answers_json_and_refuses_like_discord(fake: FakeDiscord) -> None:
    status, body, ctype = await api(fake, "GET", "/users/@me")
    assert (status, ctype) == (200, "application/json")
    assert body["id"] == str(fake.bot_user.id)
    assert body["bot"] is True

    assert await api(fake, "GET", "/users/@me", token="wrong") == (
        401, {"message": "401: Unauthorized", "code": 0}, "application/json",
    )  # fmt: skip
    status, body, _ = await api(fake, "GET", "/oauth2/applications/@me")
    assert body["interactions_endpoint_url"] is None
    assert body["id"] == str(fake.app_id)
    status, body, _ = await api(fake, "GET", "/gateway/bot")
    assert body["url"] == fake.gateway_url.rstrip("/")
    assert fake.problems == []

    status, body, _ = await api(fake, "GET", "/nowhere/at/all")
    assert (status, body) == (404, {"message": "404: Not Found", "code": 0})
    assert fake.problems == ["GET /nowhere/at/all: no such route in Discord's API"]
    fake.problems.clear()

    guild = fake.add_guild("Study Group")
    study = guild.channels[0]
    too_long = {"content": "x" * 2001, "nonce": "n" * 26}
    status, body, _ = await api(fake, "POST", f"/channels/{study.id}/messages", json=too_long)
    assert (status, body["code"]) == (400, 50035)
    assert any("$.nonce" in p for p in fake.problems)
    assert any("Discord allows 2000" in p for p in fake.problems)
    fake.problems.clear()

    status, body, _ = await api(fake, "DELETE", "/users/@me/channels")
    assert status == 405
    assert fake.problems == [
        "DELETE /users/@me/channels: method not allowed on /users/@me/channels (allowed: POST)"
    ]
    fake.problems.clear()

    status, body, _ = await api(fake, "GET", f"/guilds/{guild.id}/members/{guild.owner.id}")
    assert body["user"]["username"] == "owner"
    status, body, _ = await api(fake, "GET", f"/channels/{study.id}")
    assert body["name"] == "study"
    status, body, _ = await api(fake, "GET", f"/guilds/{guild.id}?with_counts=true")
    assert [r["name"] for r in body["roles"]] == ["@everyone", "StudyBot"]
    status, body, _ = await api(fake, "GET", f"/guilds/{guild.id}/channels")
    assert [c["name"] for c in body] == ["study"]
    assert fake.problems == []


async def test_multipart_uploads_dms_and_closed_dms(fake: FakeDiscord) -> None:
    guild = fake.add_guild("Study Group")
    alice = guild.add_member("alice")
    status, dm, _ = await api(
        fake, "POST", "/users/@me/channels", json={"recipient_id": str(alice.id)}
    )
    assert (status, dm["type"]) == (200, 1)
    form = aiohttp.FormData(quote_fields=False)
    payload = {"content": "your export", "attachments": [{"id": 0, "filename": "export.csv"}]}
    form.add_field("payload_json", json.dumps(payload), content_type="application/json")
    form.add_field("files[0]", b"a,b\n", filename="export.csv", content_type="text/csv")
    status, msg, _ = await api(fake, "POST", f"/channels/{dm['id']}/messages", data=form)
    assert status == 200
    assert msg["attachments"][0]["filename"] == "export.csv"
    [stored] = fake.dms(alice)
    assert stored.files[0].data == b"a,b\n"
    assert fake.requests[-1].files[0].filename == "export.csv"

    alice.accepts_dms = False
    status, body, _ = await api(
        fake, "POST", f"/channels/{dm['id']}/messages", json={"content": "hi"}
    )
    assert (status, body["code"]) == (403, 50007)
    assert fake.problems == []


def test_spec_routes_and_allow_list() -> None:
    index = spec_index()
    assert index.match("/users/@me").template == "/users/@me"  # type: ignore[union-attr]
    original = index.match("/webhooks/1/abc/messages/@original")
    assert original is not None
    assert original.template.endswith("/@original")
    # discord.py sends default_member_permissions as a string, as Discord documents it.
    command = {"name": "admin", "description": "x", "default_member_permissions": "32"}
    assert (
        index.check_request("PUT", "/applications/1/commands", body=[command], has_body=True) == []
    )
    # Integer snowflakes are accepted in requests (discord.py sends recipient_id that way).
    assert (
        index.check_request("POST", "/users/@me/channels", body={"recipient_id": 5}, has_body=True)
        == []
    )
    bad = [{"name": "Checkin", "description": "x", "options": [
        {"type": 3, "name": "topic", "description": "t"},
        {"type": 4, "name": "minutes", "description": "m", "required": True},
    ]}]  # fmt: skip
    found = index.check_request("PUT", "/applications/1/commands", body=bad, has_body=True)
    assert any("lowercase" in p for p in found)
    assert any("required options must come before optional ones" in p for p in found)
    assert index.check_request("GET", "/channels/None/messages") == [
        "GET /channels/None/messages: path parameter channel_id: $: 'None' does not match "
        "'^(0|[1-9][0-9]*)$'"
    ]


def test_stored_message_text_mentions_and_edits() -> None:
    alice = FakeUser("alice")
    users = {alice.id: {"id": str(alice.id), "username": "alice"}}
    msg = StoredMessage(1, 2, {"id": "3", "username": "bot"})
    body = {
        "content": f"{alice.mention} and <@999> and @everyone",
        "allowed_mentions": {"parse": [], "users": [str(alice.id)]},
        "embeds": [{"title": "Leaderboard", "fields": [{"name": "1.", "value": "alice 42"}]}],
        "components": [{"type": 17, "components": [{"type": 10, "content": "3-day streak"}]}],
    }
    msg.apply(body, find_user=users.get)
    assert msg.pinged_user_ids == {alice.id}  # <@999> is nobody; @everyone is not allowed
    assert not msg.mention_everyone
    assert msg.text.splitlines()[1:] == ["Leaderboard", "1.", "alice 42", "3-day streak"]
    assert msg.components[0]["id"] == 1  # Discord numbers components
    msg.apply({"content": "edited"})
    assert msg.embeds[0]["title"] == "Leaderboard"  # fields not sent are kept
