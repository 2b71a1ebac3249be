"""What admins see: the setup summary, the config, post outcomes, pause and resume."""

from __future__ import annotations

from datetime import datetime

from bot.content.loader import ContentError
from bot.content.model import Curriculum
from bot.domain.schedule import WEEKDAY_NAMES
from bot.domain.selection import SLOTS
from bot.messages.model import (
    PLACE,
    Accent,
    Channel,
    Command,
    Field,
    Mention,
    Message,
    Name,
    Section,
    Text,
)
from bot.services.communities import CommunitySettings
from bot.services.content import ActiveCurriculum, TodayStudy
from bot.services.posting import PostOutcome
from bot.services.privacy import Export
from bot.store.posts import LedgerEntry

SETUP = Command(("admin", "setup"))
RESUME = Command(("admin", "resume"))
CONFIG = Command(("admin", "config"))
OUTCOMES: dict[str, Text] = {
    "sent": ("Posted.",),
    "already-sent": ("That post is already out; use force to post it again.",),
    "in-progress": ("That post is being sent right now; it shows in a moment.",),
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
    # The id that `studybot curriculum import --community` takes.
    fields.append(Field("Community id", ((settings.community_id,),)))
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


SHOWN_PROBLEMS = 12
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RESET = Command(("admin", "curriculum", "reset"))


def curriculum_shown(active: ActiveCurriculum, today: TodayStudy) -> Message:
    curriculum = active.curriculum
    origin = f"imported from {active.filename}" if active.custom else "bundled with studybot"
    label = "Current day" if today.posted else "First day"
    counts = tuple(
        (f"{m.title}: {sum(d.module.id == m.id for d in curriculum.days)} days",)
        for m in curriculum.modules
    )
    section = Section(
        title=(curriculum.name,),
        body=((curriculum.description,),),
        fields=(
            Field("Source", ((origin,),)),
            Field(
                "Size", ((f"{len(curriculum.days)} days in {len(curriculum.modules)} modules",),)
            ),
            Field(label, ((f"Day {today.position.day_number}: {today.day.title}",),)),
            Field("Modules", counts),
        ),
        accent=Accent.STUDY,
    )
    return Message(sections=(section,), fallback=curriculum.name)


def curriculum_reset(changed: bool) -> Message:
    if changed:
        return Message(content=(("Back to the bundled curriculum from the next daily post.",),))
    return Message(content=(("This ", PLACE, " already uses the bundled curriculum."),))


def curriculum_imported(curriculum: Curriculum) -> Message:
    words: Text = (
        "Imported ",
        Name(curriculum.name),
        f": {len(curriculum.days)} days in {len(curriculum.modules)} modules. The next daily "
        "post uses it; ",
        RESET,
        " goes back to the bundled one.",
    )
    return Message(content=(words,))


def curriculum_refused(error: ContentError) -> Message:
    rows: list[Text] = [
        (
            f"The curriculum was not imported ({len(error.problems)} problem(s)); the current "
            "one stays active. Fix these and upload it again:",
        )
    ]
    rows += [(f"• {p.entry}: {p.field}: {p.message}",) for p in error.problems[:SHOWN_PROBLEMS]]
    more = len(error.problems) - SHOWN_PROBLEMS
    if more > 0:
        rows.append((f"…and {more} more.",))
    return Message(content=tuple(rows))


def problems_setting(source: str, pattern: str, changed: bool) -> Message:
    week = ", ".join(
        f"{day} {SLOTS[letter]}" for day, letter in zip(WEEKDAYS, pattern, strict=True)
    )
    verb = "is now" if changed else "is"
    origin = (
        "LeetCode's daily challenge (the bundled bank whenever LeetCode is unavailable or "
        "the challenge is for paying members)"
        if source == "leetcode-daily"
        else "the bundled bank"
    )
    return Message(
        content=(
            (
                f"Problems come from {origin}. The bundled bank's weekly pattern {verb} {pattern}: "
                f"{week}.",
            ),
        )
    )


def export_note(export: Export, limit_name: str) -> Text:
    text = "Every check-in in this "
    lead: Text = (text, PLACE, " (UTC times, local dates, members' own zone).")
    if export.split:
        return (
            *lead,
            f" It is too large for one upload even compressed, so it comes as "
            f"{len(export.files)} zip files, one per message: each is a complete CSV (with the "
            "header) of consecutive check-ins, oldest first.",
        )
    if export.compressed:
        return (*lead, f" It is larger than {limit_name}, so it comes zipped.")
    return lead


SHARED_WORK_NOTE = "Shared work: every piece members shared, with its Useful votes."


def organisers_listed(user_ids: list[str]) -> Message:
    if not user_ids:
        return Message(
            content=(
                (
                    "No organisers yet: workspace owners and admins run the study group. ",
                    Command(("admin", "organisers", "add"), (("member", "@member"),)),
                    " names one.",
                ),
            )
        )
    mentions: list[str | Mention] = []
    for index, user_id in enumerate(user_ids):
        mentions += [", "] if index else []
        mentions.append(Mention(user_id))
    return Message(content=(("Organisers (besides owners and admins): ", *mentions, "."),))


def organiser_changed(user_id: str, added: bool, changed: bool) -> Message:
    if added:
        verb = "is now an organiser" if changed else "already was an organiser"
    else:
        verb = "is no longer an organiser" if changed else "was not an organiser"
    return Message(content=((Mention(user_id), f" {verb}."),))
