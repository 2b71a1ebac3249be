"""Replies about a member's own progress: a check-in, /streak and /stats."""

from __future__ import annotations

from bot.domain.streaks import MAX_FREEZES
from bot.messages.model import Accent, Field, Link, Message, Name, Picture, Said, Section, Text
from bot.messages.plans import goal_lines
from bot.messages.words import duration, plural
from bot.services.checkins import CheckinResult, StreakReport
from bot.services.stats import MemberStats
from bot.store.plans import WeekPlan

HEATMAP_FILENAME = "heatmap.png"
PERIOD_TITLES = {"week": "This week", "month": "This month", "all": "All time"}
MILESTONE_TEXT = {
    "streak-7": "🎉 A 7-day streak: a whole week of showing up!",
    "streak-30": "🎉 A 30-day streak: a month of study, day after day!",
    "streak-100": "🎉 A 100-day streak! That is a habit now.",
    "streak-365": "🎉 A 365-day streak: a full year of showing up!",
    "hours-100": "🎉 100 hours of study in total!",
}


def one(value: str) -> tuple[Text, ...]:
    return ((value,),)


def checkin_reply(name: str, result: CheckinResult) -> Message:
    streak = result.streak
    fields = []
    if result.topic:
        fields.append(Field("Topic", ((Said(result.topic),),)))
    sessions = plural(result.day_sessions, "session", "sessions")
    fields += [
        Field(
            "Today",
            one(
                f"{duration(result.day_minutes)} in {result.day_sessions} {sessions}, "
                f"{result.day_points} points"
            ),
            inline=True,
        ),
        Field("Streak", one(f"🔥 {streak.current}-day streak (best {streak.best})"), inline=True),
    ]
    if result.link:
        # Inside the embed: no preview card of it, and never behind a label.
        fields.append(Field("Link", ((Link(result.link),),)))
    fields += [Field("Milestone", one(MILESTONE_TEXT[m])) for m in result.milestones]
    counted = f"Counted on {result.day:%a %d %b %Y} ({result.zone_name})"
    if result.day != result.local_date:
        counted += (
            f", not {result.local_date:%a %d %b}: your zone changed, and a change of zone "
            "never adds a day"
        )
    section = Section(
        title=(Name(name), f" checked in: {duration(result.minutes)}"),
        body=((Said(result.note),),) if result.note else (),
        fields=tuple(fields),
        footer=(counted,),
        accent=Accent.CHECKIN,
    )
    return Message(sections=(section,), fallback=f"{name} checked in: {duration(result.minutes)}")


def streak_report(name: str, report: StreakReport, own: bool) -> Message:
    streak = report.streak
    if streak.today_done:
        today = "Done: checked in today."
    elif report.away_until is not None:
        today = "Away today."
    elif own:
        today = "Not yet: check in before midnight to keep the streak going."
    else:
        today = "Not checked in yet today."
    fields = [
        Field("Current streak", one(f"Current streak: {streak.current}"), inline=True),
        Field("Best streak", one(f"Best streak: {streak.best}"), inline=True),
        Field("Freezes banked", one(f"{streak.freezes} of {MAX_FREEZES}"), inline=True),
        Field("Today", one(today)),
    ]
    if report.away_until is not None:
        fields.append(
            Field(
                "Away",
                one(f"Away through {report.away_until}: the streak is on hold, not broken."),
            )
        )
    if report.away_days:
        fields.append(Field("Days away", one(str(report.away_days)), inline=True))
    section = Section(
        title=(Name(name), "'s streak"),
        fields=tuple(fields),
        footer=(
            f"Today is {report.today:%a %d %b %Y} in {report.zone_name}. "
            "Every 7 days in a row earn a freeze, which covers one missed day.",
        ),
        accent=Accent.STREAK,
    )
    return Message(sections=(section,), fallback=f"{name}'s streak: {streak.current}")


def not_checked_in_yet(name: str) -> Message:
    return Message(content=((Name(name), " has not checked in yet."),))


def member_stats(
    name: str,
    stats: MemberStats,
    heatmap_png: bytes,
    plans: tuple[WeekPlan | None, WeekPlan | None] | None = None,
) -> Message:
    """`plans`, on a member's own stats: this week's plan and last week's."""
    since = "" if stats.start is None else f" (since {stats.start:%a %d %b})"
    fields = [
        Field("Days studied", one(str(stats.days_studied)), inline=True),
        Field("Time studied", one(duration(stats.minutes)), inline=True),
        Field("Problems solved", one(str(stats.problems_solved)), inline=True),
        Field("Points", one(str(stats.points)), inline=True),
    ]
    if stats.away_days:
        fields.append(Field("Days away", one(str(stats.away_days)), inline=True))
    if plans is not None:
        fields += plan_fields(*plans)
    section = Section(
        title=(Name(name), f": {PERIOD_TITLES[stats.period].lower()}{since}"),
        fields=tuple(fields),
        footer=(f"Days follow {stats.zone_name}.",),
        accent=Accent.INFO,
        shows_image=True,
    )
    return Message(
        sections=(section,),
        picture=Picture(HEATMAP_FILENAME, heatmap_png),
        fallback=f"{name}: {PERIOD_TITLES[stats.period].lower()}",
    )


def plan_fields(this_week: WeekPlan | None, last_week: WeekPlan | None) -> list[Field]:
    now = goal_lines(this_week) if this_week else (("No plan for this week yet.",),)
    if last_week is None:
        before = "Last week: no plan."
    else:
        before = f"Last week: {last_week.met} of {len(last_week.goals)} goals met."
    return [Field("This week's plan", now), Field("Last week's plan", one(before))]
