"""/help: what the bot does, the schedule, the points rules and every command."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.points import rules_text
from bot.messages.model import PLACE, Accent, Channel, Command, Field, Message, Section, Text
from bot.services.communities import CommunitySettings

INTRO = (
    "studybot keeps this study group going: a daily study prompt from an ML-engineering "
    "curriculum and a practice problem, check-ins that build streaks, and a weekly leaderboard."
)
DAYS_TEXT: Text = (
    "A check-in counts on your local date: your zone if you set one with ",
    Command(("timezone",)),
    ", else the ",
    PLACE,
    "'s. Your streak is the number of days in a row with a check-in; today "
    "only counts once you check in, and it never breaks before your midnight. Every 7 days in "
    "a row earn a freeze (2 at most) that covers one missed day.",
)


@dataclass(frozen=True)
class CommandInfo:
    path: tuple[str, ...]
    description: str
    for_admins: bool


def schedule_text(settings: CommunitySettings) -> Text:
    if settings.channel_id is None:
        return (
            "Not set up yet: an admin runs ",
            Command(("admin", "setup")),
            " to choose the channel and times.",
        )
    pieces: list[str | Channel] = [
        f"Daily post at {settings.post_time:%H:%M} ({settings.zone.key}) in ",
        Channel(settings.channel_id),
        ".",
    ]
    if settings.paused:
        until = f" through {settings.paused_until}" if settings.paused_until else ""
        pieces.append(f" Paused{until}.")
    return tuple(pieces)


def command_line(command: CommandInfo) -> Text:
    return ("`", Command(command.path), "`", f": {command.description}")


def help_message(
    commands: list[CommandInfo],
    settings: CommunitySettings | None,
    admins_are: str = "Manage Server",
) -> Message:
    """`admins_are` says who counts as an admin on the platform."""
    ordered = sorted(commands, key=lambda c: " ".join(c.path))
    fields = [] if settings is None else [Field("Schedule", (schedule_text(settings),))]
    fields += [
        Field("Your days", (DAYS_TEXT,)),
        Field("Points", ((rules_text(),),)),
        Field(
            "Commands for members",
            tuple(command_line(c) for c in ordered if not c.for_admins),
        ),
        Field(
            f"Commands for admins ({admins_are})",
            tuple(command_line(c) for c in ordered if c.for_admins),
        ),
    ]
    section = Section(
        title=("studybot help",), body=((INTRO,),), fields=tuple(fields), accent=Accent.INFO
    )
    return Message(sections=(section,), fallback="studybot help")
