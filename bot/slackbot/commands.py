"""`/study <subcommand> [arguments]`: each subcommand, its usage, and what it asks the services.

Slash-command text arrives with `&`, `<` and `>` as entities and typed mentions as `<@U…|name>`:
it is decoded once here, so services store plain text (the renderer escapes it on the way out).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.messages.accountability import away_started, reminder_set, welcome_back
from bot.messages.daily import check_in_button, problem_reply, solved_reply, today_reply
from bot.messages.help import CommandInfo, help_message
from bot.messages.leaderboards import leaderboard, leaderboard_title
from bot.messages.model import Message
from bot.messages.progress import checkin_reply, member_stats, not_checked_in_yet, streak_report
from bot.render.heatmap import render_heatmap
from bot.render.leaderboard_card import CardRow, render_leaderboard_card
from bot.services.catalog import Services

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
PERIODS = ("week", "month", "all")


class Usage(Exception):
    """Bad arguments: the reply is the subcommand's usage."""

    def __init__(self, usage: str, problem: str = "") -> None:
        super().__init__(usage)
        self.usage = usage
        self.problem = problem

    def text(self) -> str:
        lead = f"{self.problem} " if self.problem else ""
        return f"{lead}Usage: `/study {self.usage}`"


@dataclass(frozen=True)
class Invocation:
    community_id: str
    user_id: str
    name: str
    channel_id: str
    words: list[str]


@dataclass(frozen=True)
class Answer:
    message: Message
    public: bool = False
    open_checkin_form: bool = False  # answered by opening the modal instead of a reply
    direct_picture: bool = False  # the picture goes to the member's DMs (no ephemeral files)


Handler = Callable[[Services, Invocation], Awaitable[Answer]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    description: str
    handler: Handler
    for_admins: bool = False


def decoded(text: str) -> str:
    """Slack's command text as the member typed it (entities decoded once)."""
    return html.unescape(text)


def parse(text: str) -> tuple[str, list[str]]:
    words = decoded(text).split()
    if not words:
        return "help", []
    return words[0].lower(), words[1:]


def said(message: str) -> Message:
    return Message(content=((message,),))


async def checkin(services: Services, call: Invocation) -> Answer:
    if not call.words:
        return Answer(said(""), open_checkin_form=True)
    minutes, *topic_words = call.words
    if not minutes.isdigit():
        raise Usage(USAGES["checkin"], "The first argument is the minutes you studied.")
    topic = " ".join(topic_words) or None
    result = await services.checkins.check_in(
        call.community_id, call.user_id, call.name, minutes, topic, None, "command"
    )
    return Answer(checkin_reply(call.name, result), public=True)


def one_member(call: Invocation, usage: str) -> tuple[str, str, bool]:
    """(user id, shown name, own) of the member a subcommand is about."""
    if not call.words:
        return call.user_id, call.name, True
    match = MENTION.fullmatch(call.words[0])
    if match is None or len(call.words) > 1:
        raise Usage(usage, "Name the member with an @mention.")
    user_id = match[1]
    label = call.words[0].partition("|")[2].rstrip(">") or user_id
    return user_id, label, user_id == call.user_id


async def streak(services: Services, call: Invocation) -> Answer:
    user_id, name, own = one_member(call, USAGES["streak"])
    if not own:
        name = await services.members.display_name(call.community_id, user_id) or name
    report = await services.checkins.streak(call.community_id, user_id)
    if not report.has_checkins and not own:
        return Answer(not_checked_in_yet(name))
    message = streak_report(name, report, own)
    if own and not report.streak.today_done:
        message = replace(message, buttons=(check_in_button(),))
    return Answer(message)


def period_of(call: Invocation, usage: str) -> str:
    if len(call.words) > 1 or (call.words and call.words[0].lower() not in PERIODS):
        raise Usage(usage, "The period is week, month or all.")
    return call.words[0].lower() if call.words else "week"


async def stats(services: Services, call: Invocation) -> Answer:
    period = period_of(call, USAGES["stats"])
    found = await services.stats.member_stats(call.community_id, call.user_id, period)
    picture = render_heatmap(found.recent_minutes, found.today)
    return Answer(member_stats(call.name, found, picture), direct_picture=True)


async def leaderboard_(services: Services, call: Invocation) -> Answer:
    period = period_of(call, USAGES["leaderboard"])
    board = await services.leaderboards.leaderboard(call.community_id, period, call.user_id)
    card = render_leaderboard_card(
        leaderboard_title(board),
        [CardRow(line.rank, line.name, line.points) for line in board.lines],
    )
    return Answer(replace(leaderboard(board, card), picture=None))


async def today(services: Services, call: Invocation) -> Answer:
    study = await services.content.today(call.community_id)
    active = await services.content.active_curriculum(call.community_id)
    return Answer(today_reply(study, len(active.curriculum.days)))


async def problem(services: Services, call: Invocation) -> Answer:
    return Answer(problem_reply(await services.content.current_problem(call.community_id)))


async def solved(services: Services, call: Invocation) -> Answer:
    result = await services.content.solve(call.community_id, call.user_id, call.name)
    return Answer(solved_reply(call.name, result), public=True)


async def timezone(services: Services, call: Invocation) -> Answer:
    if len(call.words) != 1:
        raise Usage(USAGES["timezone"], "Give one zone name, such as Europe/Berlin.")
    zone = await services.members.set_timezone(
        call.community_id, call.user_id, call.name, call.words[0]
    )
    return Answer(said(f"Your days now follow {zone.key}."))


async def remind(services: Services, call: Invocation) -> Answer:
    if len(call.words) != 1:
        raise Usage(USAGES["remind"])
    at = await services.accountability.set_reminder(
        call.community_id, call.user_id, call.name, call.words[0]
    )
    return Answer(reminder_set(at))


async def away(services: Services, call: Invocation) -> Answer:
    if len(call.words) != 1:
        raise Usage(USAGES["away"])
    period = await services.accountability.go_away(
        call.community_id, call.user_id, call.name, call.words[0]
    )
    return Answer(away_started(period.first_day, period.last_day))


async def back(services: Services, call: Invocation) -> Answer:
    if call.words:
        raise Usage(USAGES["back"])
    await services.accountability.come_back(call.community_id, call.user_id)
    return Answer(welcome_back())


async def help_(services: Services, call: Invocation) -> Answer:
    infos = [
        CommandInfo((sub.name,), sub.description, sub.for_admins) for sub in SUBCOMMANDS.values()
    ]
    settings = await services.communities.get(call.community_id)
    return Answer(help_message(infos, settings))


SUBCOMMANDS: dict[str, Subcommand] = {
    sub.name: sub
    for sub in (
        Subcommand("checkin", "checkin [MINUTES [TOPIC…]]", "Log a study session", checkin),
        Subcommand("streak", "streak [@member]", "Your streak (or a member's)", streak),
        Subcommand("stats", "stats [week|month|all]", "Your totals and heatmap", stats),
        Subcommand(
            "leaderboard", "leaderboard [week|month|all]", "The top 10 and your place", leaderboard_
        ),
        Subcommand("today", "today", "Today's study prompt", today),
        Subcommand("problem", "problem", "Today's practice problem", problem),
        Subcommand("solved", "solved", "Mark today's problem as solved", solved),
        Subcommand("timezone", "timezone ZONE", "The time zone your days follow", timezone),
        Subcommand(
            "remind", "remind HH:MM|off", "A daily reminder if you have not checked in", remind
        ),
        Subcommand("away", "away YYYY-MM-DD", "Time away: no reminders, streak kept", away),
        Subcommand("back", "back", "End your time away", back),
        Subcommand("help", "help", "What studybot does and every subcommand", help_),
    )
}
USAGES = {name: sub.usage for name, sub in SUBCOMMANDS.items()}


def unknown(name: str) -> Usage:
    names = ", ".join(SUBCOMMANDS)
    return Usage("help", f"There is no subcommand {name[:30]!r}; try one of: {names}.")
