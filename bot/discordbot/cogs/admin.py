"""/admin: server set-up for organisers (Manage Server, checked again in every handler)."""

from __future__ import annotations

import io
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.loader import ContentError
from bot.discordbot.cogs.common import server_id
from bot.discordbot.errors import Refusal
from bot.discordbot.permissions import POST_PERMISSIONS
from bot.discordbot.render import line, render, reply
from bot.discordbot.uploads import fetch_upload
from bot.domain.schedule import DAILY, WEEKLY
from bot.domain.zones import suggest_zones
from bot.messages import admin as admin_messages
from bot.services.communities import CommunitySettingsService
from bot.services.content import MAX_IMPORT_BYTES, ContentService
from bot.services.posting import Poster
from bot.services.privacy import PrivacyService
from bot.services.scheduling import PostScheduler

# Discord takes uploads of up to 10 MiB in any server; the rest is room for the request around.
EXPORT_FILE_LIMIT = 19 * 512 * 1024  # 9.5 MiB


def require_admin(interaction: discord.Interaction[Any]) -> str:
    """The community id, if the member may manage it.

    Discord hides the command from others by default, but a server can change that default,
    so the handler checks the permission itself.
    """
    community_id = server_id(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return community_id


def check_can_post(interaction: discord.Interaction[Any], channel_id: int) -> None:
    guild = interaction.guild
    channel = guild.get_channel(channel_id) if guild else None
    if guild is None or channel is None or not isinstance(channel, discord.TextChannel):
        raise Refusal("Pick a text channel of this server that I can see.")
    permissions = channel.permissions_for(guild.me)
    missing = [name for name in POST_PERMISSIONS if not getattr(permissions, name)]
    if missing:
        names = ", ".join(n.replace("_", " ").title() for n in missing)
        raise Refusal(
            f"I can't post in #{channel.name}: I am missing {names}. Give me these permissions "
            "in that channel and run /admin setup again."
        )


class AdminCog(commands.Cog):
    admin = app_commands.Group(
        name="admin",
        description="Set up the study group (Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    curriculum = app_commands.Group(
        name="curriculum", description="The curriculum this server follows", parent=admin
    )

    def __init__(
        self,
        communities: CommunitySettingsService,
        schedules: PostScheduler,
        poster: Poster,
        content: ContentService,
        privacy: PrivacyService,
        upload_hosts: frozenset[str],
    ) -> None:
        self.communities = communities
        self.schedules = schedules
        self.poster = poster
        self.content = content
        self.privacy = privacy
        self.upload_hosts = upload_hosts

    @admin.command(name="setup", description="Choose the study channel, time zone and post times")
    @app_commands.describe(
        channel="Where the daily post and the weekly leaderboard go",
        timezone="The server's IANA time zone, such as Europe/Berlin (start typing)",
        post_time="Daily post time, HH:MM on a 24-hour clock (default 09:00)",
        leaderboard_day="Day of the weekly leaderboard (default monday)",
        leaderboard_time="Time of the weekly leaderboard, HH:MM (default: the post time)",
    )
    async def setup(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        timezone: str,
        post_time: str = "09:00",
        leaderboard_day: Literal[
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
        ] = "monday",
        leaderboard_time: str | None = None,
    ) -> None:
        community_id = require_admin(interaction)
        check_can_post(interaction, channel.id)
        settings = await self.communities.setup(
            community_id, str(channel.id), timezone, post_time, leaderboard_day, leaderboard_time
        )
        await self.schedules.rebuild(community_id)
        next_runs = self.schedules.next_runs(community_id)
        await reply(interaction, admin_messages.set_up(settings, next_runs), ephemeral=True)

    @setup.autocomplete("timezone")
    async def timezone_suggestions(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in suggest_zones(current)]

    @admin.command(name="config", description="Settings, next runs, last posts and failures")
    async def config(self, interaction: discord.Interaction[Any]) -> None:
        community_id = require_admin(interaction)
        message = admin_messages.config(
            await self.communities.get(community_id),
            self.schedules.next_runs(community_id),
            await self.poster.recent(community_id),
            await self.poster.failures(community_id),
        )
        await reply(interaction, message, ephemeral=True)

    @admin.command(name="post", description="Post now (once per period unless forced)")
    @app_commands.describe(
        kind="daily: today's post; leaderboard: last week's leaderboard",
        force="Post again even if it was already posted",
    )
    async def post(
        self,
        interaction: discord.Interaction[Any],
        kind: Literal["daily", "leaderboard"] = "daily",
        force: bool = False,
    ) -> None:
        community_id = require_admin(interaction)
        if kind not in ("daily", "leaderboard"):
            raise Refusal("kind must be daily or leaderboard.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.poster.post_now(
            community_id, DAILY if kind == "daily" else WEEKLY, force=force
        )
        [followup] = render(admin_messages.post_outcome(outcome))
        await interaction.followup.send(ephemeral=True, **followup.send_fields())

    @admin.command(name="export", description="This server's check-ins and shared work as CSV")
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        community_id = require_admin(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        export = await self.privacy.export_for_upload(community_id, EXPORT_FILE_LIMIT)
        count = len(export.files)
        note = line(admin_messages.export_note(export, "Discord's 10 MiB upload limit"))
        captions = [note, *(f"Part {n} of {count}." for n in range(2, count + 1))]
        shared = await self.privacy.export_shared_work(community_id)
        files = [*export.files, shared]
        for text, part in zip([*captions, admin_messages.SHARED_WORK_NOTE], files, strict=True):
            await interaction.followup.send(
                text,
                file=discord.File(io.BytesIO(part.data), filename=part.filename),
                ephemeral=True,
            )

    @admin.command(name="pause", description="Pause the daily posts (optionally until a date)")
    @app_commands.describe(until="Last paused day, YYYY-MM-DD (default: until /admin resume)")
    async def pause(self, interaction: discord.Interaction[Any], until: str | None = None) -> None:
        community_id = require_admin(interaction)
        settings = await self.communities.pause(community_id, until)
        await reply(interaction, admin_messages.paused(settings), ephemeral=True)

    @admin.command(name="resume", description="Resume the daily posts")
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        community_id = require_admin(interaction)
        await self.communities.resume(community_id)
        outcome = await self.poster.post_due(community_id)
        await reply(interaction, admin_messages.resumed(outcome), ephemeral=True)

    @curriculum.command(name="import", description="Use your own curriculum (a .toml file)")
    @app_commands.describe(file="A curriculum in the format of docs/content.md")
    async def curriculum_import(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        community_id = require_admin(interaction)
        if file.size > MAX_IMPORT_BYTES:
            raise Refusal(
                f"That file is {file.size // 1024} KiB; a curriculum can be at most "
                f"{MAX_IMPORT_BYTES // 1024} KiB."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await fetch_upload(file.url, self.upload_hosts, MAX_IMPORT_BYTES)
        try:
            curriculum = await self.content.import_curriculum(
                community_id, str(interaction.user.id), file.filename, data
            )
        except ContentError as error:
            message = admin_messages.curriculum_refused(error)
        else:
            message = admin_messages.curriculum_imported(curriculum)
        for part in render(message):
            await interaction.followup.send(ephemeral=True, **part.send_fields())

    @curriculum.command(name="show", description="Which curriculum is active, and what is next")
    async def curriculum_show(self, interaction: discord.Interaction[Any]) -> None:
        community_id = require_admin(interaction)
        active = await self.content.active_curriculum(community_id)
        today = await self.content.today(community_id)
        await reply(interaction, admin_messages.curriculum_shown(active, today), ephemeral=True)

    @admin.command(name="problems", description="Where problems come from, and the weekly pattern")
    @app_commands.describe(
        source="Where the daily problem comes from",
        pattern="7 letters, Monday first: E Easy, M Medium, H Hard, X ML (default EEMMMHX)",
    )
    async def problems(
        self,
        interaction: discord.Interaction[Any],
        source: Literal["bundled", "leetcode-daily"] | None = None,
        pattern: app_commands.Range[str, 7, 7] | None = None,
    ) -> None:
        community_id = require_admin(interaction)
        if source is not None:
            await self.content.set_problem_source(community_id, source)
        chosen = await self.content.problem_source(community_id)
        current = (
            await self.content.set_problem_pattern(community_id, pattern)
            if pattern is not None
            else await self.content.problem_pattern(community_id)
        )
        message = admin_messages.problems_setting(chosen, current, changed=pattern is not None)
        await reply(interaction, message, ephemeral=True)

    @curriculum.command(name="reset", description="Go back to the bundled curriculum")
    async def curriculum_reset(self, interaction: discord.Interaction[Any]) -> None:
        community_id = require_admin(interaction)
        changed = await self.content.reset_curriculum(community_id)
        await reply(interaction, admin_messages.curriculum_reset(changed), ephemeral=True)
