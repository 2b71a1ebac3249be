"""The daily post fits Discord's limits whatever the content (imported or bundled)."""

from datetime import date

from bot.content import bundled_bank, bundled_curriculum
from bot.content.model import MlProblem, Module, Problem, Resource, StudyDay
from bot.discordbot.render import embeds_of
from bot.domain.selection import curriculum_position
from bot.messages.daily import daily_post
from bot.services.ports import DailyPost


def longest_day() -> StudyDay:
    module = Module("m", "M" * 60)
    resource = Resource("R" * 80, "https://example.org/" + "a" * 200)
    return StudyDay("d", module, "T" * 80, "P. " * 233, "Q" * 199 + "?", (resource,) * 3)


def longest_ml_problem() -> MlProblem:
    return MlProblem(
        "p",
        "T" * 80,
        "Hard",
        ("numerics",) * 3,
        "S" * 900,
        "I" * 350,
        "O" * 350,
        "E" * 500,
        ("H" * 160,) * 3,
    )


def check_limits(post: DailyPost) -> None:
    embeds = embeds_of(daily_post(post))
    assert sum(len(e) for e in embeds) <= 6000
    for embed in embeds:
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert field.name is not None
            assert field.value is not None
            assert len(field.name) <= 256
            assert 0 < len(field.value) <= 1024


def test_the_largest_possible_post_fits() -> None:
    check_limits(
        DailyPost(
            "C" * 60,
            999,
            curriculum_position(1000, 999),
            longest_day(),
            longest_ml_problem(),
            date(2026, 11, 22),
            "America/Argentina/Buenos_Aires",
        )
    )


def test_every_bundled_day_and_problem_fits() -> None:
    curriculum, bank = bundled_curriculum(), bundled_bank()
    problems: list[Problem | MlProblem] = [*bank.problems, *bank.ml_problems]
    for index, day in enumerate(curriculum.days):
        position = curriculum_position(index + 1, len(curriculum.days))
        for problem in problems[index :: len(curriculum.days)] or problems[:1]:
            check_limits(
                DailyPost(
                    curriculum.name,
                    len(curriculum.days),
                    position,
                    day,
                    problem,
                    date(2026, 11, 21),
                    "Europe/Berlin",
                )
            )
