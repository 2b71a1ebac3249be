"""`/study <subcommand> [arguments]`: each member's subcommand, its usage, and what it asks the
services. The admin subcommands are in `bot/slackbot/admin.py`."""

from __future__ import annotations

from dataclasses import replace

from bot.messages.accountability import away_started, reminder_set, welcome_back
from bot.messages.daily import check_in_button, problem_reply, solved_reply, today_reply
from bot.messages.help import CommandInfo, help_message
from bot.messages.leaderboards import leaderboard, leaderboard_title
from bot.messages.members import (
    buddy_joined,
    buddy_left,
    buddy_shown,
    forget_warning,
    leetcode_pending,
    leetcode_unlinked,
    timezone_set,
    timezone_shown,
)
from bot.messages.progress import checkin_reply, member_stats, not_checked_in_yet, streak_report
from bot.render.heatmap import render_heatmap
from bot.render.leaderboard_card import CardRow, render_leaderboard_card
from bot.services.catalog import Services
from bot.slackbot import admin, work
from bot.slackbot.invocation import (
    Answer,
    DirectFile,
    Handler,
    Invocation,
    Subcommand,
    Usage,
    button,
    one_member,
    said,
)

PERIODS = ("week", "month", "all")
LINK_STARTS = ("<http://", "<https://", "http://", "https://")
VERIFY_ACTION = "sb:leetcode-verify"
FORGET_ACTION = "sb:forget:yes"
KEEP_ACTION = "sb:forget:no"


async def checkin(services: Services, call: Invocation) -> Answer:
    if not call.words:
        return Answer(said(""), open_checkin_form=True)
    minutes, *topic_words = call.words
    if not minutes.isdigit():
        raise Usage(USAGES["checkin"], "The first argument is the minutes you studied.")
    link = None
    if topic_words and topic_words[-1].lower().startswith(LINK_STARTS):
        link = work.link_of(topic_words.pop())  # a trailing link is the check-in's link
    topic = " ".join(topic_words) or None
    result = await services.checkins.check_in(
        call.community_id, call.user_id, call.name, minutes, topic, None, "command", link
    )
    return Answer(checkin_reply(call.name, result), public=True)


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
    plans = await services.plans.this_and_last_week(call.community_id, call.user_id)
    heatmap_png = render_heatmap(found.recent_minutes, found.today)
    message = member_stats(call.name, found, heatmap_png, plans)
    assert message.picture is not None
    heatmap = DirectFile(message.picture.filename, message.picture.png, "Your heatmap")
    return Answer(replace(message, picture=None), direct_files=(heatmap,))


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
    if not call.words:
        current = await services.members.zone(call.community_id, call.user_id)
        profile = await call.workspace.profile(call.user_id)
        shown = timezone_shown(current.zone, current.own, profile.zone if profile else None)
        return Answer(shown)
    if len(call.words) != 1:
        raise Usage(USAGES["timezone"], "Give one zone name, such as Europe/Berlin.")
    zone = await services.members.set_timezone(
        call.community_id, call.user_id, call.name, call.words[0]
    )
    return Answer(timezone_set(zone, services.clock.now()))


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


async def buddy(services: Services, call: Invocation) -> Answer:
    if len(call.words) != 1 or call.words[0].lower() not in ("join", "leave", "show"):
        raise Usage(USAGES["buddy"])
    choice = call.words[0].lower()
    people = services.accountability
    if choice == "join":
        return Answer(
            buddy_joined(await people.join_buddies(call.community_id, call.user_id, call.name))
        )
    if choice == "leave":
        return Answer(buddy_left(await people.leave_buddies(call.community_id, call.user_id)))
    opted_in, buddies = await people.my_buddies(call.community_id, call.user_id)
    return Answer(buddy_shown(opted_in, buddies))


async def leetcode(services: Services, call: Invocation) -> Answer:
    choice = call.words[0].lower() if call.words else ""
    if choice == "link" and len(call.words) == 2:
        pending = await services.leetcode.start_link(
            call.community_id, call.user_id, call.name, call.words[1]
        )
        verify = button("Verify", VERIFY_ACTION, style="primary")
        return Answer(leetcode_pending(pending), buttons=(verify,))
    if choice == "unlink" and len(call.words) == 1:
        return Answer(
            leetcode_unlinked(await services.leetcode.unlink(call.community_id, call.user_id))
        )
    raise Usage(USAGES["leetcode"])


async def forgetme(services: Services, call: Invocation) -> Answer:
    if call.words:
        raise Usage(USAGES["forgetme"])
    confirm = button("Delete my data", FORGET_ACTION, call.user_id, style="danger")
    return Answer(forget_warning(), buttons=(confirm, button("Cancel", KEEP_ACTION)))


async def help_(services: Services, call: Invocation) -> Answer:
    infos = [
        CommandInfo((sub.name,), sub.description, sub.for_admins) for sub in SUBCOMMANDS.values()
    ]
    infos += [
        CommandInfo(("admin", sub.name), sub.description, True)
        for sub in admin.SUBCOMMANDS.values()
    ]
    settings = await services.communities.get(call.community_id)
    return Answer(help_message(infos, settings, admin.WHO))


SUBCOMMANDS: dict[str, Subcommand] = {
    sub.name: sub
    for sub in (
        Subcommand("checkin", "checkin [MINUTES [TOPIC…] [LINK]]", "Log a study session", checkin),
        Subcommand("streak", "streak [@member]", "Your streak (or a member's)", streak),
        Subcommand("stats", "stats [week|month|all]", "Your totals and heatmap", stats),
        Subcommand(
            "leaderboard", "leaderboard [week|month|all]", "The top 10 and your place", leaderboard_
        ),
        Subcommand("today", "today", "Today's study prompt", today),
        Subcommand("problem", "problem", "Today's practice problem", problem),
        Subcommand("solved", "solved", "Mark today's problem as solved", solved),
        Subcommand("timezone", "timezone [ZONE]", "The time zone your days follow", timezone),
        Subcommand(
            "remind", "remind HH:MM|off", "A daily reminder if you have not checked in", remind
        ),
        Subcommand("away", "away YYYY-MM-DD", "Time away: no reminders, streak kept", away),
        Subcommand("back", "back", "End your time away", back),
        Subcommand("buddy", "buddy join|leave|show", "A weekly study buddy", buddy),
        Subcommand(
            "leetcode", "leetcode link USERNAME|unlink", "Verified solves from LeetCode", leetcode
        ),
        *work.SUBCOMMANDS,
        Subcommand("forgetme", "forgetme", "Delete all your data in this workspace", forgetme),
        Subcommand("help", "help", "What studybot does and every subcommand", help_),
    )
}
USAGES = {name: sub.usage for name, sub in SUBCOMMANDS.items()}


def handler_for(name: str) -> Handler:
    if name == "admin":
        return admin.run_admin
    sub = SUBCOMMANDS.get(name)
    if sub is None:
        raise unknown(name)
    return sub.handler


def unknown(name: str) -> Usage:
    names = ", ".join([*SUBCOMMANDS, "admin"])
    return Usage("help", f"There is no subcommand {name[:30]!r}; try one of: {names}.")
