"""The Discord client: it receives the services it serves from `bot/app.py`, adds the cogs
that use them, syncs the slash commands, and tells the app when it may start scheduling.

It runs the shards the settings name (all of them, at Discord's recommended count, by default);
their identifies wait their turn at the identify gate, which spaces them across processes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.discordbot.cogs.accountability import AccountabilityCog
from bot.discordbot.cogs.admin import AdminCog
from bot.discordbot.cogs.checkins import CheckinCog
from bot.discordbot.cogs.content import ContentCog
from bot.discordbot.cogs.help import HelpCog
from bot.discordbot.cogs.leaderboard import LeaderboardCog
from bot.discordbot.cogs.leetcode import LeetCodeCog
from bot.discordbot.cogs.members import MembersCog
from bot.discordbot.cogs.privacy import PrivacyCog
from bot.discordbot.cogs.progress import ProgressCog
from bot.discordbot.cogs.work import WorkCog
from bot.discordbot.errors import StudyTree
from bot.discordbot.identify import IdentifyGate, LocalBuckets
from bot.discordbot.permissions import invite_url
from bot.discordbot.sync import sync_if_changed
from bot.discordbot.uploads import upload_hosts
from bot.domain.limits import RateLimiter
from bot.services.catalog import Services
from bot.settings import Settings

log = logging.getLogger(__name__)


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


class StudyBot(commands.AutoShardedBot):
    # The bot never joins voice; discord.py would otherwise warn at every start.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False

    def __init__(self, settings: Settings, *, force_sync: bool = False) -> None:
        plan = settings.shards
        super().__init__(
            shard_count=plan.count,
            # discord.py types it as a list, but None (its default) means every shard.
            shard_ids=None if plan.ids is None else list(plan.ids),  # type: ignore[arg-type]
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
        self._force_sync = force_sync
        self._services: Services | None = None
        self._logged_in: Callable[[], Awaitable[None]] | None = None
        self._serving: Callable[[], None] | None = None
        self._extra_cogs: Sequence[Callable[[], commands.Cog]] = ()
        local = LocalBuckets()
        self.identify_gate = IdentifyGate(local.try_lock, local.unlock)
        self._max_concurrency: int | None = None
        self._logged_in_once = False
        assert isinstance(self.tree, StudyTree)
        self.tree.limiter = RateLimiter(settings.commands_per_minute)

    def attach(
        self,
        services: Services,
        *,
        logged_in: Callable[[], Awaitable[None]],
        serving: Callable[[], None],
        extra_cogs: Sequence[Callable[[], commands.Cog]] = (),
    ) -> None:
        """Called by the app before `start`: what to serve, and whom to tell when it may."""
        self._services = services
        self._logged_in = logged_in
        self._serving = serving
        self._extra_cogs = extra_cogs

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the app attaches the services before the bot starts")
        return self._services

    async def setup_hook(self) -> None:
        if self._logged_in is None or self._serving is None:
            raise RuntimeError("the app attaches the services before the bot starts")
        await self._logged_in()
        await self.add_cogs()
        if self.application_id is None:
            raise RuntimeError("Discord did not tell us the application id; cannot sync commands")
        if self.settings.shards.runs_shard_zero:
            await sync_if_changed(
                self.tree,
                self.services.bot_state,
                application_id=self.application_id,
                dev_guild_id=self.settings.dev_guild_id,
                force=self._force_sync,
            )
        else:
            log.info("slash commands are synced by the process that runs shard 0")
        self._serving()

    async def login(self, token: str) -> None:
        self._logged_in_once = True
        await super().login(token)

    async def close(self) -> None:
        # The sharded client sets up its event queue when it logs in, and its close() needs
        # it; `studybot check` builds the bot and closes it without ever logging in.
        if self._logged_in_once:
            await super().close()
        else:
            await self.http.close()

    async def launch_shard(
        self, gateway: yarl.URL, shard_id: int, *, initial: bool = False
    ) -> None:
        # discord.py retries a shard that failed to connect every 5 s, closed or not; a stop
        # during start-up (its identify waiting its turn) would otherwise never end.
        if not self.is_closed():
            await super().launch_shard(gateway, shard_id, initial=initial)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py's own hook waits 5 s before every identify but the first, in this process
        # only; the gate spaces them by Discord's buckets, across every process of the bot.
        if self._max_concurrency is None:
            try:
                self._max_concurrency = (await self.fetch_session_start_limits()).max_concurrency
            except discord.DiscordException:
                log.warning("could not read Discord's session start limits; identifying one by one")
                self._max_concurrency = 1
        await self.identify_gate.wait_turn(shard_id or 0, self._max_concurrency)

    async def add_cogs(self) -> None:
        """Register every cog. Also used by `studybot check`, which never connects."""
        services = self.services
        await self.add_cog(HelpCog(self.tree, services.communities))
        await self.add_cog(MembersCog(services.members, services.clock))
        await self.add_cog(CheckinCog(self, services.checkins))
        await self.add_cog(ProgressCog(services.checkins, services.stats, services.plans))
        await self.add_cog(ContentCog(self, services.content))
        await self.add_cog(LeaderboardCog(services.leaderboards))
        await self.add_cog(AccountabilityCog(services.accountability))
        await self.add_cog(LeetCodeCog(self, services.leetcode))
        await self.add_cog(PrivacyCog(services.privacy, services.members))
        await self.add_cog(WorkCog(self, services.sharing, services.plans, services.journal))
        await self.add_cog(
            AdminCog(
                services.communities,
                services.schedules,
                services.poster,
                services.content,
                services.privacy,
                upload_hosts(self.settings.api_base_url),
            )
        )
        for factory in self._extra_cogs:
            await self.add_cog(factory())

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info(
            "ready as %s (id %s) in %d servers, running %s",
            self.user,
            self.user.id,
            len(self.guilds),
            self._shards_running(),
        )
        if not await self.services.communities.configured():
            # setup_hook refused to go on without it, so it is known by now.
            self._log_next_step(self.application_id or self.user.id)

    # discord.py reports each server as "joined" or "available" (at start-up, after an outage,
    # when the bot is added), depending on the payload; the allowed list holds in every case.
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._leave_unless_allowed(guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._leave_unless_allowed(guild)

    def _shards_running(self) -> str:
        ids = sorted(self.shards)
        return (
            f"shard{'s' if len(ids) != 1 else ''} {', '.join(map(str, ids))} of {self.shard_count}"
        )

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

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("unhandled error in event %s", event_method)
