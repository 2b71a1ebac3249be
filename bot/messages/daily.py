"""The daily post: the curriculum's day, the day's problem, and the Check in and Solved buttons."""

from __future__ import annotations

from datetime import date

from bot.content.model import MlProblem, Problem, StudyDay
from bot.domain.selection import CurriculumPosition
from bot.messages.model import (
    Accent,
    Action,
    Button,
    Code,
    Command,
    Field,
    Hidden,
    Link,
    Message,
    Name,
    Section,
    Style,
    Text,
)
from bot.services.content import DailyProblem, SolveResult, TodayStudy
from bot.services.ports import DailyPost


def study_day_section(
    day: StudyDay, position: CurriculumPosition, total_days: int, curriculum_name: str
) -> Section:
    fields = []
    if position.starts_again:
        fields.append(
            Field(
                "Starting again",
                ((f"That was the whole curriculum: round {position.round} starts today.",),),
            )
        )
    fields += [
        Field("Module", ((day.module.title,),)),
        Field("Resources", tuple((Link(r.url, r.name),) for r in day.resources)),
        Field("Reflect", ((day.reflection,),)),
    ]
    footer = f"{curriculum_name}: day {position.index + 1} of {total_days}" + (
        f", round {position.round}" if position.round > 1 else ""
    )
    return Section(
        title=(f"Day {position.day_number}: {day.title}",),
        body=((day.prompt,),),
        fields=tuple(fields),
        footer=(footer,),
        accent=Accent.STUDY,
    )


def problem_section(problem: Problem | MlProblem, day: date, zone_name: str) -> Section:
    footer: Text = (
        f"Problem for {day:%a %d %b %Y} ({zone_name}). Solved it? Use ",
        Command(("solved",)),
        ".",
    )
    topics = Field("Topics", ((", ".join(problem.topics),),), inline=True)
    difficulty = Field("Difficulty", ((problem.difficulty,),), inline=True)
    if isinstance(problem, Problem):
        return Section(
            title=(f"Problem: {problem.title}",),
            url=problem.url,
            fields=(
                difficulty,
                topics,
                Field("Link", ((Link(problem.url),),)),
                Field("Hint", ((Hidden(problem.hint),),)),
            ),
            footer=footer,
            accent=Accent.PROBLEM,
        )
    return Section(
        title=(f"ML problem: {problem.title}",),
        body=((problem.statement,),),
        fields=(
            difficulty,
            topics,
            Field("Input", ((problem.input,),)),
            Field("Output", ((problem.output,),)),
            Field("Example", ((Code(problem.example),),)),
            Field("Hints", tuple((Hidden(hint),) for hint in problem.hints)),
        ),
        footer=footer,
        accent=Accent.PROBLEM,
    )


def check_in_button() -> Button:
    return Button("Check in", Action.CHECK_IN, emoji="✅", style=Style.SUCCESS)


def solved_button(problem_id: str, day: date) -> Button:
    return Button("Solved", Action.SOLVED, (problem_id, day.isoformat()), emoji="🏁")


def daily_post(post: DailyPost) -> Message:
    study = study_day_section(post.study_day, post.position, post.total_days, post.curriculum_name)
    problem = problem_section(post.problem, post.problem_day, post.zone_name)
    return Message(
        sections=(study, problem),
        buttons=(check_in_button(), solved_button(post.problem.id, post.problem_day)),
        fallback=f"Day {post.position.day_number}: {post.study_day.title}",
    )


def today_reply(study: TodayStudy, total_days: int) -> Message:
    """/today: the day's study, or what Day 1 will be before the first post."""
    note = () if study.posted else (("No daily post yet: this is what Day 1 will be.",),)
    section = study_day_section(study.day, study.position, total_days, study.curriculum_name)
    return Message(sections=(section,), content=note, fallback=study.day.title)


def problem_reply(current: DailyProblem) -> Message:
    section = problem_section(current.problem, current.day, current.zone_name)
    return Message(sections=(section,), fallback=current.problem.title)


def solved_reply(name: str, result: SolveResult) -> Message:
    verified = ", verified on LeetCode." if result.verified else "."
    words: Text = (
        "✅ ",
        Name(name),
        f" solved **{result.problem.title}** ({result.problem.difficulty}): "
        f"+{result.points} points{verified}",
    )
    return Message(content=(words,), fallback=f"{name} solved {result.problem.title}")
