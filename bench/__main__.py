"""`make bench`: run every benchmark and print one table (figure, target, result, pass/fail)."""

import asyncio
import gc
import platform
import sys
import tempfile
from pathlib import Path

from bench import (
    bigdb,
    engines,
    fanout,
    footprint,
    interactions,
    leaderboard,
    reminders,
    shards,
    slack,
    writes_while_reading,
)

Row = tuple[str, str, str, bool]


def collect_the_last_ones_garbage() -> None:
    """Free what the previous benchmark left (its fake Discord is hundreds of thousands of
    objects in reference cycles), so that no benchmark pays for another's collection: one of
    650 ms once landed inside the writes-while-reading window, which runs in this process."""
    gc.collect()


async def everything() -> list[Row]:
    rows: list[Row] = []
    rows += await interactions.run()
    collect_the_last_ones_garbage()
    rows += await writes_while_reading.run()
    collect_the_last_ones_garbage()
    rows += await engines.run()
    collect_the_last_ones_garbage()
    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "big.db"
        await bigdb.build(big)
        collect_the_last_ones_garbage()
        rows += await leaderboard.run(big)
        collect_the_last_ones_garbage()
        rows += await fanout.run()
        collect_the_last_ones_garbage()
        rows += await shards.run()
        collect_the_last_ones_garbage()
        rows += await footprint.run(big)
    collect_the_last_ones_garbage()
    rows += await reminders.run()
    collect_the_last_ones_garbage()
    rows += await slack.run()
    return rows


def main() -> int:
    print(f"studybot benchmarks on {platform.machine()}, Python {platform.python_version()}")
    results = asyncio.run(everything())
    width = max(len(r[0]) for r in results)
    print(f"\n{'figure':<{width}}  {'target':>10}  {'result':>10}  verdict")
    failed = 0
    for figure, target, result, passed in results:
        failed += not passed
        print(f"{figure:<{width}}  {target:>10}  {result:>10}  {'pass' if passed else 'FAIL'}")
    return 1 if failed else 0


sys.exit(main())
