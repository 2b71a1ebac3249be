"""The weekly post and /leaderboard: ranked lines, the group's week, and the card."""

from __future__ import annotations

from bot.messages.model import Accent, Field, Message, Name, Picture, Section, Text
from bot.messages.plans import plans_of_week
from bot.messages.words import duration, plural
from bot.messages.work import shared_this_week
from bot.services.leaderboard import Leaderboard, Line
from bot.services.ports import WeeklyPost

CARD_FILENAME = "leaderboard.png"
PERIOD_TITLES = {"week": "this week", "month": "this month", "all": "all time"}


def leaderboard_line(line: Line) -> Text:
    solved = ""
    if line.solves:
        # Solves LeetCode confirmed are marked apart from self-reported ones.
        verified = f", {line.verified_solves} verified" if line.verified_solves else ""
        solved = f", {line.solves} solved{verified}"
    return (
        f"{line.rank}. ",
        Name(line.name),
        f" — {line.points} points ({line.days} {plural(line.days, 'day', 'days')}, "
        f"{duration(line.minutes)}{solved})",
    )


def names(people: list[str] | tuple[str, ...]) -> Text:
    pieces: list[str | Name] = []
    for index, person in enumerate(people):
        if index:
            pieces.append(", ")
        pieces.append(Name(person))
    return tuple(pieces)


def weekly_post(post: WeeklyPost) -> Message:
    summary = post.summary
    body = tuple(leaderboard_line(line) for line in summary.lines) or (
        ("Nobody scored last week. This week is a fresh start!",),
    )
    fields = [
        Field(
            "The group",
            (
                (
                    f"{summary.active_members} members active, {duration(summary.minutes)} "
                    f"studied, {summary.solves} problems solved, {summary.checkins} check-ins",
                ),
            ),
        )
    ]
    if summary.streaks:
        streaks: list[str | Name] = []
        for index, (who, days) in enumerate(summary.streaks):
            streaks += [", "] if index else []
            streaks += [Name(who), f" ({days} days)"]
        fields.append(Field("Longest current streaks", (tuple(streaks),)))
    every_day = names(summary.every_day) or ("Nobody this time. Could it be you this week?",)
    fields.append(Field("Showed up all seven days", (every_day,)))
    if summary.most_improved:
        who, gain = summary.most_improved
        fields.append(Field("Most improved", ((Name(who), f" (+{gain} points)"),)))
    if post.plans is not None:
        fields.append(plans_of_week(post.plans))
    fields.append(shared_this_week(list(post.shared)))
    section = Section(
        title=(f"Leaderboard, {post.title}",),
        body=body,
        fields=tuple(fields),
        footer=(f"Weeks run Monday to Sunday ({summary.zone_name}).",),
        accent=Accent.PROBLEM,
        shows_image=True,
    )
    return Message(
        sections=(section,),
        picture=Picture(CARD_FILENAME, post.card_png),
        fallback=f"Leaderboard, {post.title}",
    )


def leaderboard_title(board: Leaderboard) -> str:
    since = f" (since {board.first_day:%a %d %b})" if board.first_day else ""
    return f"Leaderboard, {PERIOD_TITLES[board.period]}{since}"


def leaderboard(board: Leaderboard, card_png: bytes) -> Message:
    body = tuple(leaderboard_line(line) for line in board.lines) or (
        ("No points yet in this period. Check in to open the board!",),
    )
    mine: Text = (
        ("You have no points in this period yet.",)
        if board.me is None
        else ("You: ", *leaderboard_line(board.me))
    )
    section = Section(
        title=(leaderboard_title(board),),
        body=body,
        fields=(Field("Your place", (mine,)),),
        footer=(f"Periods follow the server's time zone ({board.zone_name}).",),
        accent=Accent.PROBLEM,
        shows_image=True,
    )
    return Message(
        sections=(section,),
        picture=Picture(CARD_FILENAME, card_png),
        fallback=leaderboard_title(board),
    )
