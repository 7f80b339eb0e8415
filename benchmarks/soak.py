"""Soak: many turns against one `python app.py`, watching errors and memory.

    python -m benchmarks.soak [--turns 100000] [--users 64] [--windows 10] [--storage URL]

Questions and shortlist taps, mixed, from `--users` closed-loop users, in `--windows` equal
slices of the turn budget; after each slice the bot's RSS is read. The issue's target: no error,
and memory flat within 10% after warm-up (the first slice). Durability through `kill -9` is
proved by the test suite (tests/e2e/test_shortlist_processes.py), not here.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.load.bots import hallway, running
from benchmarks.load.generator import LoadGenerator, Plan, loadavg, rss_kib
from benchmarks.load.scenarios import demo_session_ids

QUESTIONS = (
    "what's on after the keynote?",
    "anything about azure this afternoon?",
    "qu'est-ce qu'il y a en ce moment ?",
    "when is the SMB session?",
    "what's next",
    "qui parle de sécurité demain ?",
)


def mixed(session_ids: list[str]) -> Any:
    """Two questions, then a tap on "Add to my shortlist", over and over."""

    def shape(user: int, turn: int) -> Mapping[str, Any]:
        if turn % 3 == 2:
            session_id = session_ids[(user * 37 + turn) % len(session_ids)]
            return {"text": None, "value": {"action": "shortlist_add", "sessionId": session_id}}
        return {"text": QUESTIONS[(user + turn) % len(QUESTIONS)], "value": None}

    return shape


async def soak(turns: int, users: int, windows: int, storage: str) -> bool:
    per_window = max(turns // windows, users)
    command = hallway("--storage", storage, "--now", "2016-07-11T09:30")
    ok = True
    async with running(command) as bot, LoadGenerator() as generator:
        shape = mixed(demo_session_ids())
        baseline: int | None = None
        print(f"{'window':>6} {'turns':>7} {'turns/s':>8} {'p99 ms':>8} {'errors':>6} "
              f"{'RSS MB':>7} {'vs warm':>8}  load")  # fmt: skip
        for window in range(1, windows + 1):
            plan = Plan(users=users, seconds=3600, warmup=0, max_turns=per_window)
            result = await generator.run(bot.url, plan, shape, pid=bot.pid)
            rss = rss_kib(bot.pid) or 0
            baseline = baseline or rss
            growth = (rss - baseline) / baseline * 100 if baseline else 0.0
            ok &= result.error_count == 0
            if window > 1:
                ok &= growth <= 10.0
            print(
                f"{window:>6} {result.turns:>7} {result.turns_per_second:>8.1f} "
                f"{result.percentile(0.99):>8.1f} {result.error_count:>6} {rss / 1024:>7.1f} "
                f"{growth:>+7.1f}%  {loadavg()}"
            )
    print("PASS" if ok else "FAIL", "(no error; RSS within 10% of the first window)")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--windows", type=int, default=10)
    parser.add_argument("--storage", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        storage = args.storage or f"sqlite:///{Path(scratch) / 'state.sqlite3'}"
        passed = asyncio.run(soak(args.turns, args.users, args.windows, storage))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
