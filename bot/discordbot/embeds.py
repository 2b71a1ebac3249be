"""Embeds for study content, shared by the commands and the daily post.

Every text is cut to Discord's limits (field 1,024, description 4,096, title 256) whatever
the content, so an imported curriculum can never make a post fail.
"""

from __future__ import annotations

from datetime import date

import discord

from bot.content.model import MlProblem, Problem, StudyDay
from bot.domain.selection import CurriculumPosition
from bot.services.ports import DailyPost

FIELD_LIMIT = 1024
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
MESSAGE_EMBEDS_LIMIT = 6000  # all embeds of one message together


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def study_day_embed(
    day: StudyDay, position: CurriculumPosition, total_days: int, curriculum_name: str
) -> discord.Embed:
    embed = discord.Embed(
        title=fit(f"Day {position.day_number}: {day.title}", TITLE_LIMIT),
        description=fit(day.prompt, DESCRIPTION_LIMIT),
        colour=discord.Colour.teal(),
    )
    if position.starts_again:
        embed.add_field(
            name="Starting again",
            value=f"That was the whole curriculum: round {position.round} starts today.",
            inline=False,
        )
    embed.add_field(name="Module", value=fit(day.module.title, FIELD_LIMIT), inline=False)
    links = "\n".join(f"[{r.name}]({r.url})" for r in day.resources)
    embed.add_field(name="Resources", value=fit(links, FIELD_LIMIT), inline=False)
    embed.add_field(name="Reflect", value=fit(day.reflection, FIELD_LIMIT), inline=False)
    embed.set_footer(
        text=f"{curriculum_name}: day {position.index + 1} of {total_days}"
        + (f", round {position.round}" if position.round > 1 else "")
    )
    return embed


def spoiler(text: str) -> str:
    # A "||" inside the hint would end the spoiler early and show the rest.
    return f"||{text.replace('||', '| |')}||"


def problem_embed(problem: Problem | MlProblem, day: date, zone_name: str) -> discord.Embed:
    if isinstance(problem, Problem):
        embed = discord.Embed(
            title=fit(f"Problem: {problem.title}", TITLE_LIMIT),
            url=problem.url,
            colour=discord.Colour.gold(),
        )
        embed.add_field(name="Difficulty", value=problem.difficulty)
        embed.add_field(name="Topics", value=", ".join(problem.topics))
        embed.add_field(name="Link", value=problem.url, inline=False)
        embed.add_field(name="Hint", value=fit(spoiler(problem.hint), FIELD_LIMIT), inline=False)
    else:
        embed = discord.Embed(
            title=fit(f"ML problem: {problem.title}", TITLE_LIMIT),
            description=fit(problem.statement, DESCRIPTION_LIMIT),
            colour=discord.Colour.gold(),
        )
        embed.add_field(name="Difficulty", value=problem.difficulty)
        embed.add_field(name="Topics", value=", ".join(problem.topics))
        embed.add_field(name="Input", value=fit(problem.input, FIELD_LIMIT), inline=False)
        embed.add_field(name="Output", value=fit(problem.output, FIELD_LIMIT), inline=False)
        embed.add_field(
            name="Example", value=fit(f"```\n{problem.example}\n```", FIELD_LIMIT), inline=False
        )
        hints = "\n".join(spoiler(hint) for hint in problem.hints)
        embed.add_field(name="Hints", value=fit(hints, FIELD_LIMIT), inline=False)
    embed.set_footer(text=f"Problem for {day:%a %d %b %Y} ({zone_name}). Solved it? Use /solved.")
    return embed


def daily_post_embeds(post: DailyPost) -> list[discord.Embed]:
    """The daily post: the study day, then the problem, within 6,000 characters together."""
    study = study_day_embed(post.study_day, post.position, post.total_days, post.curriculum_name)
    problem = problem_embed(post.problem, post.problem_day, post.zone_name)
    excess = len(study) + len(problem) - MESSAGE_EMBEDS_LIMIT
    if excess > 0 and study.description:
        # Only the prompt is long enough to give way; everything else is already capped.
        study.description = fit(study.description, max(200, len(study.description) - excess))
    return [study, problem]
