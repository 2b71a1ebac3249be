"""`make bench`: run every benchmark and print one table (figure, target, result, pass/fail)."""

import asyncio
import platform
import sys

from bench.leaderboard import run as leaderboard


def main() -> int:
    print(f"studybot benchmarks on {platform.machine()}, Python {platform.python_version()}")
    results = asyncio.run(leaderboard())
    width = max(len(r[0]) for r in results)
    print(f"\n{'figure':<{width}}  {'target':>10}  {'result':>10}  verdict")
    failed = 0
    for figure, target, result, passed in results:
        failed += not passed
        print(f"{figure:<{width}}  {target:>10}  {result:>10}  {'pass' if passed else 'FAIL'}")
    return 1 if failed else 0


sys.exit(main())
