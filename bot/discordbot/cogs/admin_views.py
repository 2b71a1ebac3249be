"""What /admin setup, /admin config and /admin post show: settings and schedules in local time."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.schedule import WEEKDAY_NAMES
from bot.services.communities import CommunitySettings
from bot.services.posting import PostOutcome
from bot.store.posts import LedgerEntry

OUTCOMES = {
    "sent": "Posted.",
    "already-sent": "That post is already out; use force to post it again.",
    "not-set-up": "Run /admin setup first to choose the study channel.",
    "paused": "Posting is paused; /admin resume to start again.",
    "not-due": "Nothing is due yet.",
}


def local(instant: datetime | None, settings: CommunitySettings) -> str:
    if instant is None:
        return "not scheduled"
    return f"{instant.astimezone(settings.zone):%a %d %b %H:%M} ({settings.zone.key})"


def settings_summary(settings: CommunitySettings, next_runs: dict[str, datetime | None]) -> str:
    channel = f"<#{settings.channel_id}>" if settings.channel_id else "no channel yet"
    weekly_day = WEEKDAY_NAMES[settings.leaderboard_day].title()
    return (
        f"Daily post at {settings.post_time:%H:%M} in {channel}, time zone {settings.zone.key}; "
        f"weekly leaderboard on {weekly_day} at {settings.weekly_time:%H:%M}. "
        f"Next daily post: {local(next_runs.get('daily'), settings)}. "
        f"Next leaderboard: {local(next_runs.get('weekly'), settings)}."
    )


def post_outcome_text(outcome: PostOutcome) -> str:
    if outcome.status == "failed":
        return f"The post failed: {outcome.detail}. Details are in /admin config."
    return OUTCOMES.get(outcome.status, outcome.status)


def ledger_line(entry: LedgerEntry) -> str:
    return f"{entry.period}: {entry.status}" + (
        f" ({entry.sent_at[:16]} UTC)" if entry.sent_at else ""
    )


def config_embed(
    settings: CommunitySettings,
    next_runs: dict[str, datetime | None],
    recent: list[LedgerEntry],
    failures: list[LedgerEntry],
) -> discord.Embed:
    embed = discord.Embed(title="studybot settings", colour=discord.Colour.blurple())
    embed.add_field(name="Settings", value=settings_summary(settings, next_runs), inline=False)
    if settings.paused:
        until = f"through {settings.paused_until}" if settings.paused_until else "until resumed"
        embed.add_field(name="Paused", value=f"Daily posts are paused {until}.", inline=False)
    embed.add_field(name="Problem pattern", value=settings.pattern, inline=False)
    embed.add_field(
        name="Last posts",
        value="\n".join(ledger_line(e) for e in recent) or "none yet",
        inline=False,
    )
    embed.add_field(
        name="Last failures",
        value="\n".join(f"{e.period}: {e.error}"[:200] for e in failures)[:1024] or "none",
        inline=False,
    )
    return embed
