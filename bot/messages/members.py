"""What a member sees about themselves: their zone, their buddy, a LeetCode link, forgetting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages.model import PLACE, Command, Message, Name, Text
from bot.services.accountability import Buddy
from bot.services.leetcode import PendingLink

TIMEZONE = Command(("timezone",), (("zone", "ZONE"),))


def said(*rows: Text) -> Message:
    return Message(content=rows)


def timezone_set(zone: ZoneInfo, now: datetime) -> Message:
    return said(
        (
            f"Your time zone is now {zone.key} (it is {now.astimezone(zone):%H:%M} there). "
            "Your check-ins count on your local date there; a change of zone never adds a "
            "day, so the first ones may still count for the day you are on.",
        )
    )


def timezone_shown(zone: ZoneInfo, own: bool, profile_zone: str | None) -> Message:
    """The member's zone, and the one their profile has when it differs."""
    whose: Text = ("your own",) if own else ("the ", PLACE, "'s")
    rows: list[Text] = [("Your days follow ", zone.key, " (", *whose, " zone).")]
    if profile_zone and profile_zone != zone.key:
        rows.append(
            (
                f"Your profile says {profile_zone}: ",
                Command(("timezone",), (("zone", profile_zone),)),
                " to use it.",
            )
        )
    else:
        rows.append(("To change it: ", TIMEZONE, ", such as Europe/Berlin."))
    return said(*rows)


def buddy_joined(joined: bool) -> Message:
    if joined:
        return said(("You are in! Buddies are paired every week with the weekly leaderboard.",))
    return said(("You are already in the buddy pairing.",))


def buddy_left(left: bool) -> Message:
    if left:
        return said(("Done: you will not be paired from next week.",))
    return said(("You were not in the buddy pairing.",))


def buddy_shown(opted_in: bool, buddies: list[Buddy]) -> Message:
    if buddies:
        listed: list[str | Name] = []
        for index, buddy in enumerate(buddies):
            listed += [", "] if index else []
            listed += [Name(buddy.name), f" ({buddy.streak}-day streak)"]
        return said(("Your study buddy this week: ", *listed, "."))
    if opted_in:
        return said(("You will get a buddy with the next weekly leaderboard.",))
    return said(
        ("You have no study buddy. ", Command(("buddy", "join")), " to be paired every week.")
    )


def leetcode_pending(pending: PendingLink) -> Message:
    # LeetCode usernames are validated to letters, digits, "_" and "-": shown as typed.
    return said(
        (
            f"To prove {pending.username} is yours, put the code `{pending.code}` in your "
            "LeetCode profile's name or 'about me' (leetcode.com > your avatar > Profile > "
            "Edit Profile), save, then press Verify. The code only needs to stay there until "
            "you are verified.",
        )
    )


def leetcode_linked(username: str) -> Message:
    return said(
        (
            f"Linked to LeetCode account {username}. From now on ",
            Command(("solved",)),
            " checks your accepted submissions, and your solves count as verified. You can "
            "remove the code from your profile.",
        )
    )


def leetcode_unlinked(removed: bool) -> Message:
    if removed:
        return said(("Unlinked. Your solves are self-reported again.",))
    return said(("No LeetCode account was linked.",))


def forget_warning() -> Message:
    return said(
        (
            "This deletes everything studybot keeps about you in this ",
            PLACE,
            ": check-ins, notes, streaks, points, solves, reminders, time away, buddy pairs and "
            "a linked LeetCode account. It cannot be undone. Your past messages in the channel "
            "stay (delete those yourself).",
        )
    )


def forgotten(deleted: int) -> Message:
    return said(
        (
            "Done: everything about you in this ",
            PLACE,
            f" is deleted ({deleted} records). If you use the bot again, it starts from zero.",
        )
    )


def nothing_deleted() -> Message:
    return said(("Nothing was deleted.",))
