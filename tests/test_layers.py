"""The dependency rule of ../shared/DESIGN.md, checked on the source: no import cycles, the
adapters import the core and nothing in the core imports an adapter or a chat library."""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = {"bot.app", "bot.cli", "bot.__main__"}
CORE = ("bot.services", "bot.domain", "bot.store", "bot.messages", "bot.content", "bot.render")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, TYPE_CHECKING and function-level imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / "bot").rglob("*.py")}
    return {name: {i for i in imports_of(path) if i in modules} for name, path in modules.items()}


def test_no_module_imports_in_a_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle.extend([*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt])
                return True
            if nxt not in state and visit(nxt, [*path, nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(edges):
        if start not in state and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)


def test_only_the_entry_points_import_an_adapter_and_adapters_not_each_other() -> None:
    adapters = ("bot.discordbot", "bot.slackbot")
    offenders = {}
    for name, imported in graph().items():
        if name in ENTRY_POINTS:
            continue
        own = next((a for a in adapters if name.startswith(a)), None)
        found = sorted(
            i for i in imported if i.startswith(adapters) and (own is None or not i.startswith(own))
        )
        if found:
            offenders[name] = found
    assert offenders == {}


def test_the_core_names_no_chat_platform() -> None:
    offenders = {}
    for path in (ROOT / "bot").rglob("*.py"):
        name = module_name(path)
        if name.startswith(CORE):
            chat = sorted(
                i
                for i in imports_of(path)
                if i.split(".")[0] in {"discord", "slack_sdk", "slack_bolt"}
            )
            if chat:
                offenders[name] = chat
    assert offenders == {}


PLATFORM_WORDING = re.compile(r"discord|<@|/checkin|/away|press ", re.IGNORECASE)


def code_strings(path: Path) -> list[str]:
    """Every string literal in a module except docstrings (comments are not in the tree)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_services_and_domain_word_nothing_for_a_platform() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for folder in ("services", "domain")
        for path in (ROOT / "bot" / folder).rglob("*.py")
        if (found := [s for s in code_strings(path) if PLATFORM_WORDING.search(s)])
    }
    assert offenders == {}


def test_every_package_of_the_bot_ships() -> None:
    """An installed bot has only the packages pyproject lists; a forgotten one fails at import."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bot").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - {"bot.migrations"} <= listed
    for folder in (ROOT / "bot").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")):
            assert (folder / "__init__.py").exists(), f"{folder} is not a package"


SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")


def test_sql_lives_in_the_store_only() -> None:
    """One home for the SQL of each table (bot/store/), so engines and owners stay clear."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "bot").rglob("*.py")
        if "store" not in path.relative_to(ROOT / "bot").parts
        if (found := [s for s in code_strings(path) if SQL.search(s)])
    }
    assert offenders == {}
