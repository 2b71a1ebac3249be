"""Embeds for study content, shared by the commands and the daily post.

Every text is cut to Discord's limits (field 1,024, description 4,096, title 256) whatever
the content, so an imported curriculum can never make a post fail.
"""

from __future__ import annotations

import re
from datetime import date

import discord

from bot.content.model import MlProblem, Problem, StudyDay
from bot.discordbot.custom_ids import CHECKIN_BUTTON, solved_button
from bot.domain.selection import CurriculumPosition
from bot.services.leaderboard import Line
from bot.services.ports import DailyPost, WeeklyPost

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


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


# A bracket after an even number of backslashes (none included) is live markdown.
_LIVE_BRACKET = re.compile(r"(\\*)([\[\]])")
NAME_LIMIT = 64


def _escape_bracket(match: re.Match[str]) -> str:
    slashes, bracket = match.groups()
    return match[0] if len(slashes) % 2 else f"{slashes}\\{bracket}"


def member_text(text: str) -> str:
    """Text a member wrote, as the bot shows it in public: formatting stays, links stay plain.

    Escaping every live bracket means `[text](url)` can never become a masked link, which
    would hide where a click goes. `discord.utils.escape_markdown` is not enough: it escapes
    only the first link of a line. Mentions in it never ping either: the bot sends everything
    with `AllowedMentions.none()`.
    """
    return _LIVE_BRACKET.sub(_escape_bracket, text)


def member_name(text: str) -> str:
    """A member's display name (or a name they chose) on one line, shown literally."""
    flat = " ".join(text.split())[:NAME_LIMIT]
    return member_text(discord.utils.escape_markdown(flat))


def leaderboard_line(line: Line) -> str:
    days = "day" if line.days == 1 else "days"
    solved = ""
    if line.solves:
        # Solves LeetCode confirmed are marked apart from self-reported ones.
        verified = f", {line.verified_solves} verified" if line.verified_solves else ""
        solved = f", {line.solves} solved{verified}"
    return (
        f"{line.rank}. {member_name(line.name)} — {line.points} points "
        f"({line.days} {days}, {duration(line.minutes)}{solved})"
    )


def weekly_post_embed(post: WeeklyPost) -> discord.Embed:
    summary = post.summary
    lines = "\n".join(leaderboard_line(line) for line in summary.lines)
    embed = discord.Embed(
        title=fit(f"Leaderboard, {post.title}", TITLE_LIMIT),
        description=fit(lines or "Nobody scored last week. This week is a fresh start!", 4096),
        colour=discord.Colour.gold(),
    )
    embed.add_field(
        name="The group",
        value=f"{summary.active_members} members active, {duration(summary.minutes)} studied, "
        f"{summary.solves} problems solved, {summary.checkins} check-ins",
        inline=False,
    )
    if summary.streaks:
        streaks = ", ".join(f"{member_name(n)} ({days} days)" for n, days in summary.streaks)
        embed.add_field(
            name="Longest current streaks", value=fit(streaks, FIELD_LIMIT), inline=False
        )
    every_day = ", ".join(member_name(n) for n in summary.every_day)
    embed.add_field(
        name="Showed up all seven days",
        value=fit(every_day or "Nobody this time. Could it be you this week?", FIELD_LIMIT),
        inline=False,
    )
    if summary.most_improved:
        who, gain = summary.most_improved
        embed.add_field(
            name="Most improved", value=f"{member_name(who)} (+{gain} points)", inline=False
        )
    embed.set_image(url="attachment://leaderboard.png")
    embed.set_footer(text=f"Weeks run Monday to Sunday ({summary.zone_name}).")
    return embed


def daily_post_view(problem_id: str, day: date) -> discord.ui.View:
    """The daily post's buttons. Clicks are answered by the persistent handlers the cogs
    register for these custom ids, so this view is only a drawing: it is stopped before it is
    sent, and discord.py then keeps no copy of it that would take the clicks instead."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Check in",
            emoji="✅",
            style=discord.ButtonStyle.success,
            custom_id=CHECKIN_BUTTON,
        )
    )
    view.add_item(
        discord.ui.Button(
            label="Solved",
            emoji="🏁",
            style=discord.ButtonStyle.primary,
            custom_id=solved_button(problem_id, day),
        )
    )
    view.stop()
    return view
