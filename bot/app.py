"""Builds the application, in order: settings -> database -> services -> scheduler ->
maintenance, and hands each chat adapter the services it uses.

This is the one place that knows every part. Nothing imports it back: the adapters receive
what they need as arguments, so `bot/discordbot/` never reaches for a global bot or a bag of
services.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import signal
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from discord.ext import commands

from bot.clock import Clock
from bot.content import bundled_bank, bundled_curriculum
from bot.discordbot.chat import DiscordChat
from bot.discordbot.client import StudyBot
from bot.discordbot.identify import IdentifyGate
from bot.discordbot.pacing import PacedSender, Pacer, SharedPacedSender, pace_every_request
from bot.domain.ids import native_id, platform_of
from bot.domain.shards import ShardPlan
from bot.leetcode import LeetCodeClient
from bot.messages.model import Message
from bot.services.accountability import AccountabilityService
from bot.services.bot_state import BotStateService
from bot.services.catalog import Services
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.job_leases import JobLeases
from bot.services.journal import JournalService
from bot.services.leaderboard import LeaderboardService
from bot.services.leetcode import LeetCodeService
from bot.services.maintenance import Maintenance
from bot.services.members import MemberService
from bot.services.plans import PlanService
from bot.services.ports import ChatPort, SendFailure, SendResult, Serves
from bot.services.posting import Poster
from bot.services.privacy import PrivacyService
from bot.services.scheduling import PostScheduler
from bot.services.sharing import SharingService
from bot.services.stats import StatsService
from bot.settings import Settings
from bot.store.coordination import Coordination
from bot.store.database import Database

if TYPE_CHECKING:
    from bot.slackbot.app import SlackFrontEnd

log = logging.getLogger(__name__)

# The longest catch-up window of any scheduled post (weekly: 3 days). APScheduler's default
# of one second would silently drop a run that fell due while the event loop was busy.
MISFIRE_GRACE_SECONDS = 3 * 24 * 60 * 60


def new_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )


def process_owner() -> str:
    """How this process signs its leases: unique to each start, and readable in the ledger."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def serving(plan: ShardPlan) -> Serves:
    """The communities this process serves: Discord servers on its shards; Slack workspaces
    where shard 0 runs, with the rest of the work done once for everyone."""

    def serves(community_id: str) -> bool:
        if platform_of(community_id) == "discord":
            return plan.serves_guild(int(native_id(community_id)))
        return plan.runs_shard_zero

    return serves


def build_services(
    settings: Settings,
    clock: Clock,
    database: Database,
    scheduler: AsyncIOScheduler,
    chat: ChatPort,
    coordination: Coordination | None = None,
) -> Services:
    owner, serves = process_owner(), serving(settings.shards)
    bank = bundled_bank()
    leetcode = LeetCodeService(database, clock, LeetCodeClient(settings.leetcode_graphql_url), bank)
    content = ContentService(database, clock, bundled_curriculum(), bank, leetcode)
    communities = CommunitySettingsService(database, clock)
    leaderboards = LeaderboardService(database, clock)
    accountability = AccountabilityService(database, clock, chat, serves)
    privacy = PrivacyService(database, clock)
    sharing, plans = SharingService(database, clock), PlanService(database, clock, chat)
    poster = Poster(
        database,
        clock,
        communities,
        content,
        leaderboards,
        chat,
        accountability,
        owner=owner,
        # On SQLite the instance lock keeps every other process out: a lease not ours is dead.
        sole_process=coordination is None,
        serves=serves,
        sharing=sharing,
        plans=plans,
    )
    take_lease = None if coordination is None else coordination.take_job_lease
    return Services(
        clock=clock,
        bot_state=BotStateService(database),
        members=MemberService(database, clock),
        checkins=CheckinService(database, clock),
        stats=StatsService(database, clock),
        content=content,
        communities=communities,
        poster=poster,
        leaderboards=leaderboards,
        schedules=PostScheduler(scheduler, clock, communities, poster, accountability, serves),
        accountability=accountability,
        leetcode=leetcode,
        privacy=privacy,
        maintenance=Maintenance(
            clock,
            settings.database_path,
            settings.backups,
            settings.backup_keep,
            privacy,
            settings.retention_days,
            chat.still_member,
            JobLeases(clock, owner, take_lease),
        ),
        sharing=sharing,
        plans=plans,
        journal=JournalService(database, clock, content),
    )


# Tests add a cog of their own (a command that fails on purpose, a clock tick); `studybot`
# itself adds none.
ExtraCog = Callable[["App"], commands.Cog]
# Tests also reach into the built app before it connects (to stand its scheduler still).
AppHook = Callable[["App"], None]


class PlatformChats:
    """The chat port of every community: each call goes to the platform its id names."""

    def __init__(self, ports: dict[str, ChatPort]) -> None:
        self._ports = ports

    def _port(self, community_id: str) -> ChatPort | None:
        return self._ports.get(platform_of(community_id))

    def _not_running(self, community_id: str) -> SendResult:
        detail = f"{platform_of(community_id)} is not running in this process"
        return SendResult(failure=SendFailure.UNAVAILABLE, detail=detail)

    async def post(
        self, community_id: str, channel_id: str, message: Message, key: str | None = None
    ) -> SendResult:
        port = self._port(community_id)
        if port is None:
            return self._not_running(community_id)
        return await port.post(community_id, channel_id, message, key)

    async def direct(self, community_id: str, user_id: str, message: Message) -> SendResult:
        port = self._port(community_id)
        if port is None:
            return self._not_running(community_id)
        return await port.direct(community_id, user_id, message)

    async def still_member(self, community_id: str, user_id: str) -> bool | None:
        port = self._port(community_id)
        return None if port is None else await port.still_member(community_id, user_id)


@dataclass
class App:
    settings: Settings
    clock: Clock
    database: Database
    scheduler: AsyncIOScheduler
    services: Services
    discord: StudyBot | None
    slack: SlackFrontEnd | None = None
    coordination: Coordination | None = None
    _start_up: list[asyncio.Task[None]] = field(default_factory=list)
    _scheduling: bool = False
    _caught_up: bool = False
    _closed: bool = False

    async def start_scheduling(self) -> None:
        """Once a platform accepts requests: plan every job (once, whichever comes first)."""
        if self._scheduling:
            return
        self._scheduling = True
        self.scheduler.start()
        await self.services.schedules.rebuild_all()
        self.services.schedules.start_reminders()
        if self.settings.shards.runs_shard_zero:
            self.services.maintenance.schedule(self.scheduler)

    def catch_up_in_background(self) -> None:
        # Posts whose time passed while the bot was down go out now, once, if still in time;
        # and a day without a backup (the bot was down at backup time) gets one now.
        if self._caught_up:
            return
        self._caught_up = True
        self._start_up.append(asyncio.create_task(self._catch_up()))

    async def _catch_up(self) -> None:
        await self.services.schedules.catch_up()
        await self.services.maintenance.daily_backup()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in self._start_up:
            task.cancel()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.slack is not None:
            await self.slack.close()
        if self.discord is not None:
            await self.discord.close()
        if self.coordination is not None:
            await self.coordination.close()
        await self.database.close()
        log.info("shut down cleanly")


async def connect_database(settings: Settings, *, readers: int = 2) -> Database:
    """The database DATABASE_URL names, migrated: a SQLite file, or a PostgreSQL server."""
    if settings.postgres_url is not None:
        return await Database.open_postgres(settings.postgres_url, readers=readers)
    assert settings.database_path is not None  # settings give one or the other
    return await Database.open(settings.database_path, readers=readers)


async def open_database(settings: Settings) -> Database:
    """The bot's database, with a log line of where it is and its schema version."""
    database = await connect_database(settings)
    log.info(
        "database %s at schema version %d (%d migrations applied now)",
        settings.database_shown,
        database.schema_version,
        len(database.migration.applied),
    )
    return database


def build_app(
    settings: Settings,
    clock: Clock,
    database: Database,
    *,
    coordination: Coordination | None = None,
    force_sync: bool = False,
    extra_cogs: Sequence[ExtraCog] = (),
) -> App:
    """`coordination`: on PostgreSQL, what this process agrees on with the bot's others."""
    scheduler = new_scheduler()
    ports: dict[str, ChatPort] = {}
    discord: StudyBot | None = None
    if settings.runs_discord or not settings.runs_slack:
        discord = StudyBot(settings, force_sync=force_sync)
        pacer: Pacer = PacedSender()
        if coordination is not None:
            pacer = SharedPacedSender(coordination.reserve_rest_slot)
            pace_every_request(discord.http, pacer)
            discord.identify_gate = IdentifyGate(
                coordination.try_identify_lock, coordination.identify_unlock
            )
        ports["discord"] = DiscordChat(discord, pacer)
    runs_slack = settings.runs_slack and settings.shards.runs_shard_zero
    if settings.runs_slack and not runs_slack:
        log.info("Slack is served by the process that runs Discord's shard 0")
    if runs_slack:
        # Only a bot that runs on Slack loads the Slack SDKs (they cost a Discord-only start).
        from bot.slackbot.app import SlackFrontEnd, web_client
        from bot.slackbot.chat import SlackChat

        # runs_slack means both tokens are set.
        bot_token, app_token = str(settings.slack_bot_token), str(settings.slack_app_token)
        slack_client = web_client(bot_token, settings.slack_api_base_url)
        ports["slack"] = slack_chat = SlackChat(slack_client)
    services = build_services(
        settings, clock, database, scheduler, PlatformChats(ports), coordination
    )
    app = App(settings, clock, database, scheduler, services, discord, coordination=coordination)
    if runs_slack:
        app.slack = SlackFrontEnd(
            services, slack_client, slack_chat, app_token, settings.commands_per_minute
        )
    if discord is not None:
        discord.attach(
            services,
            logged_in=app.start_scheduling,
            serving=app.catch_up_in_background,
            extra_cogs=[functools.partial(factory, app) for factory in extra_cogs],
        )
    return app


async def run(
    settings: Settings,
    clock: Clock,
    token: str | None,
    *,
    force_sync: bool = False,
    extra_cogs: Sequence[ExtraCog] = (),
    hooks: Sequence[AppHook] = (),
) -> None:
    """Serve until SIGINT or SIGTERM, then close everything in order."""
    database = await open_database(settings)
    coordination: Coordination | None = None
    try:
        if settings.postgres_url is not None:
            coordination = await Coordination.open(settings.postgres_url)
        app = build_app(
            settings,
            clock,
            database,
            coordination=coordination,
            force_sync=force_sync,
            extra_cogs=extra_cogs,
        )
        for hook in hooks:
            hook(app)
    except BaseException:
        if coordination is not None:
            await coordination.close()
        await database.close()
        raise
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    stopped = asyncio.Event()

    def stop(signame: str) -> None:
        stopped.set()
        if not closing:
            log.info("received %s, shutting down", signame)
            closing.append(loop.create_task(app.close()))

    # discord.py's Client.run() would turn SIGINT into a close but not SIGTERM, which is what
    # service managers send; handle both the same way.
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig.name)
    try:
        if app.slack is not None:
            await app.slack.start()
            await app.start_scheduling()
            app.catch_up_in_background()
        if app.discord is not None and token:
            await app.discord.start(token)
        else:
            await stopped.wait()  # Slack alone: serve until SIGINT or SIGTERM
    finally:
        for task in closing:
            await task
        await app.close()
