"""Hostile curriculum uploads: refused fast, parsed off the loop, fetched only from Discord."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.content.loader import ContentError
from bot.content.untrusted import check_shape, parse_uploaded_curriculum
from bot.discordbot.errors import Refusal
from bot.discordbot.uploads import ATTACHMENT_HOSTS, fetch_upload, upload_hosts
from bot.services.content import ContentService
from bot.store.database import Database
from tests.conftest import MovableClock
from tests.content_samples import GOOD_CURRICULUM

# The shape of the reported attack: ~107 KiB of one dotted key, quadratic in tomllib.
LONG_DOTTED_KEY = ".".join(["a"] * 53_000) + " = 1\n"
DEEP_ARRAY = "x = " + "[" * 4_000 + "]" * 4_000 + "\n"
DEEP_TABLE = "x = " + "{a = " * 2_000 + "1" + "}" * 2_000 + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LONG_DOTTED_KEY, "a key with more than 8 parts"),
        ("[" + ".".join(["t"] * 30) + "]\n", "a key with more than 8 parts"),
        ("[[" + ".".join(["t"] * 30) + "]]\n", "a key with more than 8 parts"),
        ("k" * 300 + " = 1\n", "a key longer than 200 characters"),
        (DEEP_ARRAY, "nested more than 8 levels deep"),
        (DEEP_TABLE, "nested more than 8 levels deep"),
    ],
)
def test_pathological_shapes_are_refused_with_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        check_shape(text, "plan.toml")
    assert [p.message for p in caught.value.problems] == [
        f"line 1: {message}" if "line" not in message else message
    ]


def test_real_curricula_pass_the_shape_check() -> None:
    from bot.content import CURRICULUM_FILE, bundled_text

    check_shape(bundled_text(CURRICULUM_FILE), "bundled")
    check_shape(GOOD_CURRICULUM, "sample")
    # Dots and brackets inside strings are text, not keys or nesting.
    check_shape('a = "' + "." * 500 + "[" * 50 + '"\nb = """\n' + "{" * 50 + '\n"""\n', "s")


async def test_a_good_upload_parses_in_a_child_process() -> None:
    curriculum = await parse_uploaded_curriculum(GOOD_CURRICULUM, "plan.toml")
    assert (curriculum.name, len(curriculum.days)) == ("Mini plan", 2)


async def test_problems_in_an_upload_come_back_whole_from_the_child() -> None:
    broken = GOOD_CURRICULUM.replace('title = "Lists"', 'titel = "Lists"')
    with pytest.raises(ContentError) as caught:
        await parse_uploaded_curriculum(broken, "plan.toml")
    assert any(p.field == "titel" and "unknown field" in p.message for p in caught.value.problems)


async def test_a_parse_over_its_time_limit_is_killed_with_a_clear_line() -> None:
    with pytest.raises(ContentError, match="took longer than 0 s to read"):
        await parse_uploaded_curriculum(GOOD_CURRICULUM, "plan.toml", time_limit=0.0001)


async def test_the_event_loop_keeps_serving_while_an_upload_parses(
    database: Database, clock: MovableClock
) -> None:
    from bot.content import bundled_bank, bundled_curriculum

    content = ContentService(database, clock, bundled_curriculum(), bundled_bank())
    # Slow to parse but within every limit: many short keys, each table 2 parts deep.
    slow = GOOD_CURRICULUM + "".join(f"[extra{i}]\nk = 1\n" for i in range(6_000))
    ticks = 0
    longest_gap = 0.0

    async def heartbeat() -> None:
        nonlocal ticks, longest_gap
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0)
            now = time.perf_counter()
            longest_gap, last, ticks = max(longest_gap, now - last), now, ticks + 1

    beating = asyncio.create_task(heartbeat())
    started = time.perf_counter()
    with pytest.raises(ContentError, match="extra0: unknown field"):
        await content.import_curriculum("discord:1", "2", "plan.toml", slow.encode())
    elapsed = time.perf_counter() - started
    beating.cancel()
    # The loop turned over throughout: no gap near the parse's own duration.
    assert ticks > 100
    assert longest_gap < max(0.05, elapsed / 4)


async def test_each_server_keeps_one_parsed_curriculum(
    database: Database, clock: MovableClock
) -> None:
    from bot.content import bundled_bank, bundled_curriculum

    content = ContentService(database, clock, bundled_curriculum(), bundled_bank())
    for n in range(5):
        text = GOOD_CURRICULUM.replace('name = "Mini plan"', f'name = "Plan {n}"')
        await content.import_curriculum("discord:7", "2", "plan.toml", text.encode())
        assert (await content.active_curriculum("discord:7")).curriculum.name == f"Plan {n}"
    assert len(content._parsed) == 1
    await content.reset_curriculum("discord:7")
    assert content._parsed == {}


@pytest.fixture
async def file_server() -> AsyncIterator[str]:
    async def big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # no Content-Length: the cap must hold while reading
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"#" * 16_384)
        return response

    async def small(request: web.Request) -> web.Response:
        return web.Response(body=b"ok = 1\n")

    app = web.Application()
    app.router.add_get("/big", big)
    app.router.add_get("/small", small)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_uploads_come_only_from_discords_hosts_and_are_capped(file_server: str) -> None:
    assert upload_hosts("https://discord.com/api/v10") == ATTACHMENT_HOSTS
    hosts = upload_hosts(f"{file_server}/api/v10")
    assert "127.0.0.1" in hosts
    assert await fetch_upload(f"{file_server}/small", hosts, 1024) == b"ok = 1\n"
    with pytest.raises(Refusal, match="over 256 KiB"):
        await fetch_upload(f"{file_server}/big", hosts, 256 * 1024)
    with pytest.raises(Refusal, match="not on Discord's file servers"):
        await fetch_upload(f"{file_server}/small", ATTACHMENT_HOSTS, 1024)
    with pytest.raises(Refusal, match="not on Discord's file servers"):
        await fetch_upload("file:///etc/passwd", hosts, 1024)
