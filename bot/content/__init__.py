"""Study content bundled with the bot: the curriculum and the problem banks (TOML files)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from bot.content.loader import (
    Checker,
    ContentError,
    ContentProblem,
    load_curriculum,
    load_ml_problems,
    load_problems,
)
from bot.content.model import Curriculum, MlProblem, Problem, ProblemBank

CURRICULUM_FILE = "curriculum.toml"
PROBLEMS_FILE = "problems.toml"
ML_PROBLEMS_FILE = "ml_problems.toml"


def bundled_text(name: str) -> str:
    return resources.files("bot.content").joinpath(name).read_text(encoding="utf-8")


@cache
def bundled_curriculum() -> Curriculum:
    return load_curriculum(bundled_text(CURRICULUM_FILE), f"bot/content/{CURRICULUM_FILE}")


@cache
def bundled_bank() -> ProblemBank:
    return load_bank(
        bundled_text(PROBLEMS_FILE),
        f"bot/content/{PROBLEMS_FILE}",
        bundled_text(ML_PROBLEMS_FILE),
        f"bot/content/{ML_PROBLEMS_FILE}",
    )


def load_bank(
    problems_text: str, problems_source: str, ml_text: str, ml_source: str
) -> ProblemBank:
    """Both banks, checked together: a solve is recorded by problem id, so ids are unique."""
    errors: list[ContentProblem] = []
    problems: tuple[Problem, ...] = ()
    ml_problems: tuple[MlProblem, ...] = ()
    try:
        problems = load_problems(problems_text, problems_source)
    except ContentError as exc:
        errors.extend(exc.problems)
    try:
        ml_problems = load_ml_problems(ml_text, ml_source)
    except ContentError as exc:
        errors.extend(exc.problems)
    checker = Checker(ml_source)
    dsa_ids = {p.id for p in problems}
    for index, problem in enumerate(ml_problems):
        if problem.id in dsa_ids:
            checker.report(
                f"problems[{index}] ({problem.id})", "id", f"also used in {problems_source}"
            )
    errors.extend(checker.problems)
    if errors:
        raise ContentError(errors)
    return ProblemBank(problems, ml_problems)


def summary(curriculum: Curriculum, bank: ProblemBank) -> str:
    """The one line `studybot content check` prints."""
    counts = {d: sum(p.difficulty == d for p in bank.problems) for d in ("Easy", "Medium", "Hard")}
    return (
        f"curriculum: {len(curriculum.days)} days in {len(curriculum.modules)} modules; "
        f"problems: {len(bank.problems)} ({counts['Easy']} easy, {counts['Medium']} medium, "
        f"{counts['Hard']} hard); ml problems: {len(bank.ml_problems)}"
    )


def describe_file(text: str, source: str) -> str:
    """Validate one content file of any kind and summarise it in a line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = {"curriculum": None}  # any loader reports the syntax error with its place
    if "curriculum" in data or "days" in data:
        curriculum = load_curriculum(text, source)
        return f"curriculum: {len(curriculum.days)} days in {len(curriculum.modules)} modules"
    entries = data.get("problems")
    if isinstance(entries, list) and any(isinstance(e, dict) and "statement" in e for e in entries):
        return f"ml problems: {len(load_ml_problems(text, source))}"
    problems = load_problems(text, source)
    counts = {d: sum(p.difficulty == d for p in problems) for d in ("Easy", "Medium", "Hard")}
    return (
        f"problems: {len(problems)} ({counts['Easy']} easy, {counts['Medium']} medium, "
        f"{counts['Hard']} hard)"
    )
