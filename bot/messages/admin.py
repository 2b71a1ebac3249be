"""What admins see: the setup summary, the config, post outcomes, pause and resume."""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import WEEKDAY_NAMES
from bot.messages.model import Accent, Channel, Command, Field, Message, Section, Text
from bot.services.communities import CommunitySettings
from bot.services.posting import PostOutcome
from bot.store.posts import LedgerEntry

SETUP = Command(("admin", "setup"))
RESUME = Command(("admin", "resume"))
CONFIG = Command(("admin", "config"))
OUTCOMES: dict[str, Text] = {
    "sent": ("Posted.",),
    "already-sent": ("That post is already out; use force to post it again.",),
    "not-set-up": ("Run ", SETUP, " first to choose the study channel."),
    "paused": ("Posting is paused; ", RESUME, " to start again."),
    "not-due": ("Nothing is due yet.",),
}


def local(instant: datetime | None, settings: CommunitySettings) -> str:
    if instant is None:
        return "not scheduled"
    return f"{instant.astimezone(settings.zone):%a %d %b %H:%M} ({settings.zone.key})"


def settings_summary(settings: CommunitySettings, next_runs: dict[str, datetime | None]) -> Text:
    channel: str | Channel = (
        Channel(settings.channel_id) if settings.channel_id else "no channel yet"
    )
    weekly_day = WEEKDAY_NAMES[settings.leaderboard_day].title()
    return (
        f"Daily post at {settings.post_time:%H:%M} in ",
        channel,
        f", time zone {settings.zone.key}; weekly leaderboard on {weekly_day} at "
        f"{settings.weekly_time:%H:%M}. Next daily post: "
        f"{local(next_runs.get('daily'), settings)}. Next leaderboard: "
        f"{local(next_runs.get('weekly'), settings)}.",
    )


def set_up(settings: CommunitySettings, next_runs: dict[str, datetime | None]) -> Message:
    return Message(content=(("Set up. ", *settings_summary(settings, next_runs)),))


def post_outcome(outcome: PostOutcome) -> Message:
    if outcome.status == "failed":
        words: Text = (f"The post failed: {outcome.detail}. Details are in ", CONFIG, ".")
    else:
        words = OUTCOMES.get(outcome.status, (outcome.status,))
    return Message(content=(words,))


def ledger_line(entry: LedgerEntry) -> str:
    return f"{entry.period}: {entry.status}" + (
        f" ({entry.sent_at[:16]} UTC)" if entry.sent_at else ""
    )


def config(
    settings: CommunitySettings,
    next_runs: dict[str, datetime | None],
    recent: list[LedgerEntry],
    failures: list[LedgerEntry],
) -> Message:
    fields = [Field("Settings", (settings_summary(settings, next_runs),))]
    if settings.paused:
        until = f"through {settings.paused_until}" if settings.paused_until else "until resumed"
        fields.append(Field("Paused", ((f"Daily posts are paused {until}.",),)))
    fields.append(Field("Problem pattern", ((settings.pattern,),)))
    fields.append(Field("Last posts", tuple((ledger_line(e),) for e in recent) or (("none yet",),)))
    fields.append(
        Field(
            "Last failures",
            tuple((f"{e.period}: {e.error}"[:200],) for e in failures) or (("none",),),
        )
    )
    section = Section(title=("studybot settings",), fields=tuple(fields), accent=Accent.INFO)
    return Message(sections=(section,), fallback="studybot settings")


def paused(settings: CommunitySettings) -> Message:
    when: Text = (
        (f"through {settings.paused_until}",) if settings.paused_until else ("until ", RESUME)
    )
    words: Text = (
        "Paused ",
        *when,
        ". No daily posts meanwhile; the curriculum continues where it stopped.",
    )
    return Message(content=(words,))


def resumed(outcome: PostOutcome) -> Message:
    extra = " Today's post went out now." if outcome.status == "sent" else ""
    return Message(content=((f"Resumed.{extra}",),))
