"""The week's plan: /plan's replies, the private "Your week in review" message and its form,
and the weekly post's count of plans and goals met."""

from __future__ import annotations

from bot.messages.model import (
    Accent,
    Action,
    Button,
    Command,
    Field,
    Message,
    Said,
    Section,
    Style,
    Text,
)
from bot.messages.words import plural
from bot.store.plans import WeekCounts, WeekPlan

PLAN = Command(("plan",), (("goals", "finish chapter 3; two LeetCode mediums"),))
REVIEW_TITLE = "Your week in review"
# The review form: its two questions, as every platform labels them.
HELPED_LABEL = "What helped this week?"
HINDERED_LABEL = "What got in the way?"


def goal_lines(plan: WeekPlan) -> tuple[Text, ...]:
    return tuple(
        (f"Goal {goal.position}: ", Said(goal.text), " ✅" if goal.done else "")
        for goal in plan.goals
    )


def plan_shown(plan: WeekPlan | None, week: str) -> Message:
    if plan is None:
        return Message(
            content=((f"No plan for this week ({week}) yet. Set up to 5 goals with ", PLAN, "."),)
        )
    section = Section(
        title=(f"Your plan for {week}",),
        body=goal_lines(plan),
        footer=("Private to you. On leaderboard day you get a review of how it went.",),
        accent=Accent.STUDY,
    )
    return Message(sections=(section,), fallback=f"Your plan for {week}")


def plan_set(plan: WeekPlan) -> Message:
    goals = plural(len(plan.goals), "goal", "goals")
    section = Section(
        title=(f"Plan set for {plan.week}: {len(plan.goals)} {goals}",),
        body=goal_lines(plan),
        footer=("Setting a plan again replaces it. Your review comes on leaderboard day.",),
        accent=Accent.STUDY,
    )
    return Message(sections=(section,), fallback=f"Plan set for {plan.week}")


def week_review(community_id: str, plan: WeekPlan) -> Message:
    section = Section(
        title=(f"{REVIEW_TITLE} ({plan.week})",),
        body=(
            (
                "These were your goals. Press the ones you met, then write a short review: only "
                "you will ever see it.",
            ),
            *goal_lines(plan),
        ),
        accent=Accent.STUDY,
    )
    done = [
        Button(
            f"Done: {goal.text}",
            Action.GOAL_DONE,
            (community_id, plan.week, str(goal.position)),
            style=Style.SUCCESS,
        )
        for goal in plan.goals
    ]
    buttons = (*done, Button("Write a review", Action.WRITE_REVIEW, (community_id, plan.week)))
    return Message(sections=(section,), buttons=buttons, fallback=REVIEW_TITLE)


def goal_marked(plan: WeekPlan) -> Message:
    return Message(
        content=((f"Marked done: {plan.met} of {len(plan.goals)} goals met in {plan.week}.",),)
    )


def review_saved() -> Message:
    return Message(content=(("Review saved. Only you can see it. Well done on the week!",),))


def plans_of_week(counts: WeekCounts) -> Field:
    if not counts.plans:
        return Field("Plans", (("Nobody planned last week. Try ", PLAN, " for this one!"),))
    return Field(
        "Plans",
        (
            (
                f"{counts.plans} {plural(counts.plans, 'member', 'members')} planned the week: "
                f"{counts.met} of {counts.goals} goals met.",
            ),
        ),
    )
