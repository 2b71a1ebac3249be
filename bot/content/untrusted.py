"""Parse a curriculum that somebody uploaded, without letting it stall the bot.

`tomllib` is quadratic on long dotted keys and recursive on nesting, so a hostile 100 KiB
file can hold the CPU for a minute. Two defences: a linear scan refuses such shapes before
parsing, and the parse itself runs in a child process with a time limit, so the event loop
(and every other server's commands) never waits on it, and a parse that runs over is killed.
"""

from __future__ import annotations

import asyncio
import pickle
import sys

from bot.content.loader import ContentError, ContentProblem, load_curriculum
from bot.content.model import Curriculum

MAX_KEY_PARTS = 8  # the format's deepest key is `days.resources.name`-like: 3 parts
MAX_KEY_CHARS = 200
MAX_NESTING = 8
PARSE_SECONDS = 10.0


def refuse(source: str, message: str) -> ContentError:
    return ContentError([ContentProblem(source, "file", "-", message)])


def check_shape(text: str, source: str) -> None:
    """Refuse keys and nesting no curriculum needs, in one linear pass (strings skipped)."""
    depth = parts = key_chars = 0
    line = 1
    in_key = True  # at the start of a line (or after `{` / `,`) a key may begin
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            end = text.find(quote, i + len(quote))
            while end != -1 and quote[0] == '"' and _escaped(text, end):
                end = text.find(quote, end + 1)
            if end == -1:
                return  # unterminated: tomllib reports it, quickly
            if in_key:
                key_chars += end - i
            line += text.count("\n", i, end)
            i = end + len(quote)
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if char == "\n":
            line += 1
            in_key, parts, key_chars = depth == 0, 0, 0
        elif char in "[{":
            depth += 1
            # A key follows `{`, or opens a `[table]` / `[[array.of.tables]]` header.
            header = depth == 1 or (depth == 2 and text[i - 1] == "[")
            in_key = char == "{" or (header and _line_start(text, i))
            if depth > MAX_NESTING:
                raise refuse(source, f"line {line}: nested more than {MAX_NESTING} levels deep")
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "=":
            in_key = False
        elif char == "," and depth:
            in_key = _innermost_is_table(text, i)
        elif in_key and char == ".":
            parts += 1
            if parts >= MAX_KEY_PARTS:
                raise refuse(source, f"line {line}: a key with more than {MAX_KEY_PARTS} parts")
        elif in_key and not char.isspace():
            key_chars += 1
        if in_key and key_chars > MAX_KEY_CHARS:
            raise refuse(source, f"line {line}: a key longer than {MAX_KEY_CHARS} characters")
        i += 1


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _line_start(text: str, index: int) -> bool:
    start = text.rfind("\n", 0, index) + 1
    return text[start:index].strip() in ("", "[")


def _innermost_is_table(text: str, index: int) -> bool:
    # A comma inside an inline table starts a key; inside an array it does not. Looking back
    # for the nearest unclosed bracket is bounded by MAX_NESTING levels in practice.
    opened = text.rfind("{", 0, index)
    return opened > text.rfind("[", 0, index)


async def parse_uploaded_curriculum(
    text: str, source: str, time_limit: float = PARSE_SECONDS
) -> Curriculum:
    """`load_curriculum` for untrusted text: shape-checked, in a child process, time-bound."""
    check_shape(text, source)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.content.untrusted",
        source,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with asyncio.timeout(time_limit):
            output, _ = await child.communicate(text.encode("utf-8"))
    except TimeoutError:
        raise refuse(source, f"took longer than {time_limit:.0f} s to read; simplify it") from None
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    if child.returncode != 0 or not output:
        raise refuse(source, "could not be read (the parser stopped); check that it is TOML")
    # Our own child wrote this, from our own code: unpickling it is safe.
    result = pickle.loads(output)
    if isinstance(result, ContentError):
        raise result
    assert isinstance(result, Curriculum)
    return result


def _child(source: str) -> None:
    text = sys.stdin.buffer.read().decode("utf-8")
    result: Curriculum | ContentError
    try:
        result = load_curriculum(text, source)
    except ContentError as exc:
        result = exc
    except RecursionError:
        result = refuse(source, f"is nested too deeply (at most {MAX_NESTING} levels)")
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _child(sys.argv[1])
