"""Load and validate study content written in TOML (format: docs/content.md).

Every problem in a file is collected before anything is reported, each as
`file: entry: field: what is wrong`, so an author fixes a file in one pass. Unknown fields are
errors: a typo such as `promt` must not silently drop a prompt.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.content.model import (
    DIFFICULTIES,
    DSA_TOPICS,
    ML_TOPICS,
    Curriculum,
    MlProblem,
    Module,
    Problem,
    Resource,
    StudyDay,
)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A sentence ends with . ! or ? followed by white space or the end of the text.
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass(frozen=True)
class ContentProblem:
    source: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.entry}: {self.field}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[ContentProblem]]]:
        # Crosses a process boundary (bot.content.untrusted) with its problems intact.
        return (ContentError, (self.problems,))


@dataclass
class Checker:
    source: str
    problems: list[ContentProblem] = field(default_factory=list)

    def report(self, entry: str, field_name: str, message: str) -> None:
        self.problems.append(ContentProblem(self.source, entry, field_name, message))

    def table(
        self, value: object, entry: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.report(entry, "-", "must be a table")
            return {}
        required, optional = set(required), set(optional)
        for key in sorted(set(value) - required - optional):
            self.report(
                entry, key, f"unknown field (allowed: {', '.join(sorted(required | optional))})"
            )
        for key in sorted(required - set(value)):
            self.report(entry, key, "is missing")
        return value

    def text(self, table: dict[str, Any], entry: str, name: str, limit: int) -> str:
        """The field's trimmed text ("" if absent: `table()` already reported that)."""
        return self.check_text(table[name], entry, name, limit) if name in table else ""

    def line(self, table: dict[str, Any], entry: str, name: str, limit: int) -> str:
        return (
            self.check_text(table[name], entry, name, limit, one_line=True) if name in table else ""
        )

    def check_text(
        self, value: object, entry: str, name: str, limit: int, *, one_line: bool = False
    ) -> str:
        if not isinstance(value, str) or not value.strip():
            self.report(entry, name, "must be non-empty text")
            return ""
        value = value.strip()
        if len(value) > limit:
            self.report(entry, name, f"is {len(value)} characters; at most {limit}")
        if one_line and "\n" in value:
            self.report(entry, name, "must be one line")
        return value

    def slug(self, table: dict[str, Any], entry: str, name: str) -> str:
        value = self.line(table, entry, name, 70)  # fits in a button custom id
        if value and not SLUG.fullmatch(value):
            self.report(entry, name, f"{value!r} must be lowercase words joined by '-'")
        return value

    def url(self, value: object, entry: str, name: str) -> str:
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme != "https" or not parts.netloc or " " in str(value):
            self.report(entry, name, f"{value!r} must be an https:// link")
            return ""
        return str(value)

    def choice(self, table: dict[str, Any], entry: str, name: str, allowed: tuple[str, ...]) -> str:
        value = table.get(name)
        if name in table and value not in allowed:
            self.report(entry, name, f"{value!r} is not one of {', '.join(allowed)}")
            return ""
        return str(value or "")

    def topics(
        self, table: dict[str, Any], entry: str, vocabulary: tuple[str, ...]
    ) -> tuple[str, ...]:
        value = table.get("topics")
        if "topics" not in table:
            return ()
        if not isinstance(value, list) or not 1 <= len(value) <= 3:
            self.report(entry, "topics", "must be a list of 1 to 3 topics")
            return ()
        for topic in value:
            if topic not in vocabulary:
                self.report(entry, "topics", f"{topic!r} is not a known topic")
        return tuple(str(t) for t in value)

    def unique(self, ids: list[tuple[str, str]], what: str) -> None:
        seen: set[str] = set()
        for entry, value in ids:
            if value and value in seen:
                self.report(entry, "id", f"{what} {value!r} is used more than once")
            seen.add(value)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def parse_toml(text: str, checker: Checker) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        checker.report("file", "-", f"is not valid TOML: {exc}")
        checker.raise_if_any()
        raise AssertionError("unreachable") from exc


def entry_name(key: str, index: int, raw: object) -> str:
    """`days[3] (python-04)`: the position always, and the id when there is one to show."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{key}[{index}] ({raw['id']})"
    return f"{key}[{index}]"


def entries(data: dict[str, Any], key: str, checker: Checker) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list) or not value:
        checker.report("file", key, f"needs at least one [[{key}]] entry")
        return []
    return value


def load_curriculum(text: str, source: str) -> Curriculum:
    checker = Checker(source)
    data = checker.table(parse_toml(text, checker), "file", ["curriculum", "modules", "days"])
    head = checker.table(data.get("curriculum", {}), "curriculum", ["id", "name", "description"])
    modules: dict[str, Module] = {}
    for index, raw in enumerate(entries(data, "modules", checker)):
        entry = entry_name("modules", index, raw)
        table = checker.table(raw, entry, ["id", "title"])
        module = Module(checker.slug(table, entry, "id"), checker.line(table, entry, "title", 60))
        if module.id in modules:
            checker.report(entry, "id", f"module {module.id!r} is used more than once")
        modules[module.id] = module
    days = []
    for index, raw in enumerate(entries(data, "days", checker)):
        entry = entry_name("days", index, raw)
        table = checker.table(
            raw, entry, ["id", "module", "title", "prompt", "reflection", "resources"]
        )
        module_id = table.get("module")
        if "module" in table and module_id not in modules:
            checker.report(entry, "module", f"{module_id!r} is not one of the [[modules]] ids")
        prompt = checker.text(table, entry, "prompt", 700)
        sentences = len(SENTENCE_END.findall(prompt))
        if prompt and not 2 <= sentences <= 5:
            checker.report(entry, "prompt", f"has {sentences} sentences; write 2 to 5")
        days.append(
            StudyDay(
                id=checker.slug(table, entry, "id"),
                module=modules.get(str(module_id), Module("", "")),
                title=checker.line(table, entry, "title", 80),
                prompt=prompt,
                reflection=checker.text(table, entry, "reflection", 200),
                resources=resources(table, entry, checker),
            )
        )
    checker.unique([(f"days[{i}]", d.id) for i, d in enumerate(days)], "day id")
    curriculum = Curriculum(
        id=checker.slug(head, "curriculum", "id"),
        name=checker.line(head, "curriculum", "name", 60),
        description=checker.text(head, "curriculum", "description", 300),
        modules=tuple(modules.values()),
        days=tuple(days),
    )
    checker.raise_if_any()
    return curriculum


def resources(table: dict[str, Any], entry: str, checker: Checker) -> tuple[Resource, ...]:
    value = table.get("resources")
    if "resources" not in table:
        return ()
    if not isinstance(value, list) or not 1 <= len(value) <= 3:
        checker.report(entry, "resources", "must be a list of 1 to 3 {name, url} tables")
        return ()
    found = []
    for index, raw in enumerate(value):
        name = f"resources[{index}]"
        item = checker.table(raw, entry, ["name", "url"])
        found.append(
            Resource(
                checker.check_text(item["name"], entry, f"{name}.name", 80, one_line=True)
                if "name" in item
                else "",
                checker.url(item["url"], entry, f"{name}.url") if "url" in item else "",
            )
        )
    return tuple(found)


def load_problems(text: str, source: str) -> tuple[Problem, ...]:
    checker = Checker(source)
    data = checker.table(parse_toml(text, checker), "file", ["problems"])
    problems = []
    for index, raw in enumerate(entries(data, "problems", checker)):
        entry = entry_name("problems", index, raw)
        table = checker.table(
            raw, entry, ["id", "title", "slug", "difficulty", "topics", "url", "hint"]
        )
        problem = Problem(
            id=checker.slug(table, entry, "id"),
            title=checker.line(table, entry, "title", 100),
            slug=checker.slug(table, entry, "slug"),
            difficulty=checker.choice(table, entry, "difficulty", DIFFICULTIES),
            topics=checker.topics(table, entry, DSA_TOPICS),
            url=checker.url(table.get("url"), entry, "url") if "url" in table else "",
            hint=checker.line(table, entry, "hint", 160),
        )
        if problem.id and problem.slug and problem.id != problem.slug:
            checker.report(entry, "id", "must equal the slug")
        problems.append(problem)
    checker.unique([(f"problems[{i}]", p.id) for i, p in enumerate(problems)], "problem id")
    checker.raise_if_any()
    return tuple(problems)


def load_ml_problems(text: str, source: str) -> tuple[MlProblem, ...]:
    checker = Checker(source)
    data = checker.table(parse_toml(text, checker), "file", ["problems"])
    problems = []
    fields = [
        "id",
        "title",
        "difficulty",
        "topics",
        "statement",
        "input",
        "output",
        "example",
        "hints",
    ]
    for index, raw in enumerate(entries(data, "problems", checker)):
        entry = entry_name("problems", index, raw)
        table = checker.table(raw, entry, fields)
        hints = table.get("hints", [])
        if "hints" in table and (not isinstance(hints, list) or not 1 <= len(hints) <= 3):
            checker.report(entry, "hints", "must be a list of 1 to 3 hints")
            hints = []
        problems.append(
            MlProblem(
                id=checker.slug(table, entry, "id"),
                title=checker.line(table, entry, "title", 80),
                difficulty=checker.choice(table, entry, "difficulty", DIFFICULTIES),
                topics=checker.topics(table, entry, ML_TOPICS),
                statement=checker.text(table, entry, "statement", 900),
                input=checker.text(table, entry, "input", 350),
                output=checker.text(table, entry, "output", 350),
                example=checker.text(table, entry, "example", 500),
                hints=tuple(
                    checker.check_text(hint, entry, f"hints[{i}]", 160, one_line=True)
                    for i, hint in enumerate(hints)
                ),
            )
        )
    checker.unique([(f"problems[{i}]", p.id) for i, p in enumerate(problems)], "problem id")
    checker.raise_if_any()
    return tuple(problems)
