"""The daily reminder and the weekly buddy round."""

from __future__ import annotations

from datetime import date, time

from bot.messages.model import Command, Mention, Message, Name, Text


def reminder(user_id: str, name: str, streak: int, *, in_channel: bool) -> Message:
    """The nudge for a member who has not checked in; in a channel it pings only them."""
    keep = f" and keep your {streak}-day streak going" if streak else ""
    words: Text = (
        "Hi ",
        Name(name),
        f"! You have not checked in today yet. A short session counts{keep}: use ",
        Command(("checkin",)),
        " in your study server.",
    )
    if not in_channel:
        return Message(content=(words,), fallback="You have not checked in today yet.")
    return Message(
        content=((Mention(user_id), " ", *words),),
        pings=(user_id,),
        fallback="You have not checked in today yet.",
    )


def buddy_round(groups: list[tuple[str, ...]]) -> Message:
    """Everyone's group, one line each; it pings every member in it."""
    rows: list[Text] = [
        ("Study buddies for this week! Say hello, share your plan and check on each other:",)
    ]
    for group in groups:
        pieces: list[str | Mention] = []
        for index, user_id in enumerate(group):
            pieces += [" + "] if index else []
            pieces.append(Mention(user_id))
        rows.append(tuple(pieces))
    return Message(
        content=tuple(rows),
        pings=tuple(user for group in groups for user in group),
        fallback="Study buddies for this week",
    )


def reminder_set(at: time | None) -> Message:
    if at is None:
        return Message(content=(("Reminders are off.",),))
    words: Text = (
        f"I will remind you at {at:%H:%M} (your time zone; see ",
        Command(("timezone",)),
        ") on days you have not checked in yet. By direct message if you accept them, "
        "otherwise with one mention in the study channel. ",
        Command(("remind",), (("time", "off"),)),
        " stops it.",
    )
    return Message(content=(words,))


def away_started(first: date, last: date) -> Message:
    days = (last - first).days + 1
    words: Text = (
        f"Enjoy the break! You are away from {first} through {last} "
        f"({days} day{'s' if days != 1 else ''}): no reminders, and your streak neither "
        "breaks nor grows. ",
        Command(("back",)),
        " ends it early.",
    )
    return Message(content=(words,))


def welcome_back() -> Message:
    return Message(content=(("Welcome back! Today is a normal study day again.",),))
