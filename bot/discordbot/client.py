"""The bot: one `commands.Bot` subclass that builds everything in `setup_hook`.

Start-up order: settings -> database (migrate) -> services -> scheduler -> cogs -> command
sync. Everything is constructed here and passed in; nothing is global.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import discord
import yarl
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from discord.ext import commands

from bot.clock import Clock
from bot.content import bundled_bank, bundled_curriculum
from bot.discordbot.chat import DiscordChat
from bot.discordbot.errors import RateLimiter, StudyTree
from bot.discordbot.sync import sync_if_changed
from bot.discordbot.uploads import upload_hosts
from bot.leetcode import LeetCodeClient
from bot.services.accountability import AccountabilityService
from bot.services.bot_state import BotStateService
from bot.services.checkins import CheckinService
from bot.services.content import ContentService
from bot.services.guilds import GuildSettingsService
from bot.services.leaderboard import LeaderboardService
from bot.services.leetcode import LeetCodeService
from bot.services.maintenance import Maintenance
from bot.services.members import MemberService
from bot.services.pacing import PacedSender
from bot.services.posting import Poster
from bot.services.privacy import PrivacyService
from bot.services.scheduling import PostScheduler
from bot.services.stats import StatsService
from bot.settings import Settings
from bot.store.database import Database

log = logging.getLogger(__name__)

# The longest catch-up window of any scheduled post (weekly: 3 days). APScheduler's default
# of one second would silently drop a run that fell due while the event loop was busy.
MISFIRE_GRACE_SECONDS = 3 * 24 * 60 * 60

CogFactory = Callable[["StudyBot"], commands.Cog]

# What the bot needs in its study channel; `/admin setup` checks these, and the invite link
# asks for exactly these, so the two cannot drift apart.
POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The link that adds this application to a server with the permissions it needs."""
    permissions = discord.Permissions(**dict.fromkeys(POST_PERMISSIONS, True))
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=INVITE_SCOPES)


@dataclass(frozen=True)
class Services:
    bot_state: BotStateService
    members: MemberService
    checkins: CheckinService
    stats: StatsService
    content: ContentService
    guilds: GuildSettingsService
    poster: Poster
    leaderboards: LeaderboardService
    schedules: PostScheduler
    accountability: AccountabilityService
    leetcode: LeetCodeService
    privacy: PrivacyService
    maintenance: Maintenance


def point_discord_at(settings: Settings) -> None:
    """Send REST calls and the gateway connection where the settings say (proxies, tests)."""
    discord.http.Route.BASE = settings.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def intents() -> discord.Intents:
    # Slash commands, buttons and modals arrive as interactions whatever the intents; the
    # guild cache is all we need (channels and permissions for posting).
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class StudyBot(commands.Bot):
    # The bot never joins voice; discord.py would otherwise warn at every start.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        *,
        extra_cogs: Sequence[CogFactory] = (),
        force_sync: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            tree_cls=StudyTree,
            allowed_mentions=discord.AllowedMentions.none(),
            # Without the members intent there is nothing useful to cache about members;
            # interactions carry the member who acted.
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
        )
        self.settings = settings
        self.clock = clock
        self._extra_cogs = extra_cogs
        self._force_sync = force_sync
        self._database: Database | None = None
        self._services: Services | None = None
        assert isinstance(self.tree, StudyTree)
        self.tree.limiter = RateLimiter(settings.commands_per_minute)
        self._catch_up: asyncio.Task[object] | None = None
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        )

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the database is opened in setup_hook; it is not ready yet")
        return self._database

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are built in setup_hook; they are not ready yet")
        return self._services

    async def setup_hook(self) -> None:
        database = await Database.open(self.settings.database_path)
        log.info(
            "database %s at schema version %d (%d migrations applied now)",
            self.settings.database_path,
            database.schema_version,
            len(database.migration.applied),
        )
        self.build_services(database)
        self.scheduler.start()
        await self.services.schedules.rebuild_all()
        self.services.schedules.start_reminders()
        self.services.maintenance.schedule(self.scheduler)
        await self.add_cogs()
        if self.application_id is None:
            raise RuntimeError("Discord did not tell us the application id; cannot sync commands")
        await sync_if_changed(
            self.tree,
            self.services.bot_state,
            application_id=self.application_id,
            dev_guild_id=self.settings.dev_guild_id,
            force=self._force_sync,
        )
        # Posts whose time passed while the bot was down go out now, once, if still in time;
        # and a day without a backup (the bot was down at backup time) gets one now.
        self._catch_up = asyncio.create_task(self._start_up_work())

    async def _start_up_work(self) -> None:
        await self.services.schedules.catch_up()
        await self.services.maintenance.daily_backup()

    def build_services(self, database: Database) -> None:
        self._database = database
        leetcode = LeetCodeService(
            database, self.clock, LeetCodeClient(self.settings.leetcode_graphql_url), bundled_bank()
        )
        content = ContentService(
            database, self.clock, bundled_curriculum(), bundled_bank(), leetcode
        )
        guilds = GuildSettingsService(database, self.clock)
        leaderboards = LeaderboardService(database, self.clock)
        chat = DiscordChat(self, PacedSender())
        accountability = AccountabilityService(database, self.clock, chat)
        privacy = PrivacyService(database, self.clock)
        poster = Poster(database, self.clock, guilds, content, leaderboards, chat, accountability)
        self._services = Services(
            bot_state=BotStateService(database),
            members=MemberService(database, self.clock),
            checkins=CheckinService(database, self.clock),
            stats=StatsService(database, self.clock),
            content=content,
            guilds=guilds,
            poster=poster,
            leaderboards=leaderboards,
            schedules=PostScheduler(self.scheduler, self.clock, guilds, poster, accountability),
            accountability=accountability,
            leetcode=leetcode,
            privacy=privacy,
            maintenance=Maintenance(
                self.clock,
                self.settings.database_path,
                self.settings.backups,
                self.settings.backup_keep,
                privacy,
                self.settings.retention_days,
                chat.still_member,
            ),
        )

    async def add_cogs(self) -> None:
        """Register every cog. Also used by `studybot check`, which never connects."""
        # Imported here because cogs import this module for the StudyBot type.
        from cogs.accountability import AccountabilityCog
        from cogs.admin import AdminCog
        from cogs.checkins import CheckinCog
        from cogs.content import ContentCog, SolvedButton
        from cogs.help import HelpCog
        from cogs.leaderboard import LeaderboardCog
        from cogs.leetcode import LeetCodeCog
        from cogs.members import MembersCog
        from cogs.privacy import PrivacyCog
        from cogs.progress import ProgressCog

        services = self.services
        await self.add_cog(HelpCog(self))
        await self.add_cog(MembersCog(services.members))
        await self.add_cog(CheckinCog(self, services.checkins))
        await self.add_cog(ProgressCog(services.checkins, services.stats))
        await self.add_cog(ContentCog(services.content))
        await self.add_cog(LeaderboardCog(services.leaderboards))
        await self.add_cog(AccountabilityCog(services.accountability))
        await self.add_cog(LeetCodeCog(self, services.leetcode))
        await self.add_cog(PrivacyCog(services.privacy, services.members))
        await self.add_cog(AdminCog(services, upload_hosts(self.settings.api_base_url)))
        self.add_dynamic_items(SolvedButton)
        for factory in self._extra_cogs:
            await self.add_cog(factory(self))

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info("ready as %s (id %s) in %d servers", self.user, self.user.id, len(self.guilds))
        if not await self.services.guilds.configured():
            # setup_hook refused to go on without it, so it is known by now.
            self._log_next_step(self.application_id or self.user.id)

    # discord.py reports each server as "joined" or "available" (at start-up, after an outage,
    # when the bot is added), depending on the payload; the allowed list holds in every case.
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._leave_unless_allowed(guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._leave_unless_allowed(guild)

    def _log_next_step(self, application_id: int) -> None:
        link = invite_url(application_id)
        if not self.guilds:
            log.info(
                "next step: the bot is in no server yet. Invite it with %s , then run "
                "/admin setup in your server and pick the study channel",
                link,
            )
        else:
            log.info(
                "next step: no server is set up yet. In your server, run /admin setup and pick "
                "the study channel (invite link for another server: %s )",
                link,
            )

    async def _leave_unless_allowed(self, guild: discord.Guild) -> None:
        allowed = self.settings.allowed_servers
        if allowed is None or guild.id in allowed:
            return
        log.warning(
            "leaving server %s (id %d): it is not in STUDYBOT_ALLOWED_SERVERS", guild.name, guild.id
        )
        try:
            await guild.leave()
        except discord.HTTPException as exc:
            log.error("could not leave server %s (id %d): %s", guild.name, guild.id, exc)

    async def close(self) -> None:
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await super().close()
        if self._database is not None:
            await self._database.close()
            self._database = None
        log.info("shut down cleanly")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("unhandled error in event %s", event_method)
