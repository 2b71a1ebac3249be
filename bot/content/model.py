"""What study content is: a curriculum of days, and problems to practise on."""

from __future__ import annotations

from dataclasses import dataclass

DIFFICULTIES = ("Easy", "Medium", "Hard")

DSA_TOPICS = (
    "arrays-hashing",
    "two-pointers",
    "sliding-window",
    "stack",
    "binary-search",
    "linked-list",
    "trees",
    "tries",
    "heap",
    "backtracking",
    "graphs",
    "dp-1d",
    "dp-2d",
    "greedy",
    "intervals",
    "math",
    "bit-manipulation",
)

ML_TOPICS = (
    "numerics",
    "linear-algebra",
    "probability",
    "statistics",
    "optimization",
    "regression",
    "classification",
    "clustering",
    "trees",
    "evaluation",
    "data-processing",
    "feature-engineering",
    "deep-learning",
    "nlp",
    "recommendation",
    "sampling",
)


@dataclass(frozen=True)
class Resource:
    name: str
    url: str


@dataclass(frozen=True)
class Module:
    id: str
    title: str


@dataclass(frozen=True)
class StudyDay:
    id: str
    module: Module
    title: str
    prompt: str
    reflection: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class Curriculum:
    id: str
    name: str
    description: str
    modules: tuple[Module, ...]
    days: tuple[StudyDay, ...]


@dataclass(frozen=True)
class Problem:
    """A data-structure and algorithm problem on a public judge, with our own hint."""

    id: str
    title: str
    slug: str
    difficulty: str
    topics: tuple[str, ...]
    url: str
    hint: str
    kind: str = "dsa"


@dataclass(frozen=True)
class MlProblem:
    """An original ML-implementation problem, complete in itself."""

    id: str
    title: str
    difficulty: str
    topics: tuple[str, ...]
    statement: str
    input: str
    output: str
    example: str
    hints: tuple[str, ...]
    kind: str = "ml"


@dataclass(frozen=True)
class ProblemBank:
    problems: tuple[Problem, ...]
    ml_problems: tuple[MlProblem, ...]
