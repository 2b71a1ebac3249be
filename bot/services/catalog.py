"""Every service the application has, as `bot/app.py` builds them for the adapters, and the
clock they all read (an adapter that words the time reads the same one)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.accountability import AccountabilityService
from bot.services.bot_state import BotStateService
from bot.services.checkins import CheckinService
from bot.services.communities import CommunitySettingsService
from bot.services.content import ContentService
from bot.services.journal import JournalService
from bot.services.leaderboard import LeaderboardService
from bot.services.leetcode import LeetCodeService
from bot.services.maintenance import Maintenance
from bot.services.members import MemberService
from bot.services.plans import PlanService
from bot.services.posting import Poster
from bot.services.privacy import PrivacyService
from bot.services.scheduling import PostScheduler
from bot.services.sharing import SharingService
from bot.services.stats import StatsService


@dataclass(frozen=True)
class Services:
    clock: Clock
    bot_state: BotStateService
    members: MemberService
    checkins: CheckinService
    stats: StatsService
    content: ContentService
    communities: CommunitySettingsService
    poster: Poster
    leaderboards: LeaderboardService
    schedules: PostScheduler
    accountability: AccountabilityService
    leetcode: LeetCodeService
    privacy: PrivacyService
    maintenance: Maintenance
    sharing: SharingService
    plans: PlanService
    journal: JournalService
