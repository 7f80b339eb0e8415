"""How fast a question is answered (understanding, search, ranking; no HTTP).

    python -m benchmarks.answer_speed [--rounds 20] [--sessions 50000] [--check]

Targets (issue 4): p99 <= 5 ms on the 2,431-session re:Invent catalogue and <= 20 ms on a
synthetic 50,000-session catalogue, on this 2-core machine. Indexes are built once per
catalogue, outside the timing. Each question is asked `rounds` times at several "now"s across
the conference; the first round warms up and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.synthetic import write_synthetic
from catalogue.ask import Answerer
from catalogue.importers import ImportOptions, load
from catalogue.model import Catalogue

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HALLWAY_SHARED", ROOT.parent / "shared"))
REINVENT = SHARED / "catalogues" / "csv" / "aws-reinvent-2024-sessions.csv"

QUESTIONS = (
    "what's on now?",
    "what's next",
    "what's on after the keynote?",
    "when is the kubernetes security talk?",
    "anything about generative ai this afternoon?",
    "qu'est-ce qu'il y a après la plénière ?",
    "qui parle de sécurité demain ?",
    "any workshops tomorrow morning",
    "where is the serverless chalk talk",
    "sessions about data lakes on thursday at 2pm",
    "c'est quoi le programme de mercredi après-midi",
    "what is Deloitte presenting?",
    "xyzzy plugh",
    "more about observability and monitoring with open source tools please",
)


def measure(catalogue: Catalogue, rounds: int) -> list[float]:
    answerer = Answerer.for_catalogue(catalogue)
    first = catalogue.sessions[0].start
    nows = [first + timedelta(hours=h) for h in (1, 6, 26, 30, 50, 75)]
    timings: list[float] = []
    for round_number in range(rounds + 1):
        for question in QUESTIONS:
            for now in nows:
                started = time.perf_counter()
                answerer.answer(question, now)
                elapsed = (time.perf_counter() - started) * 1000
                if round_number:  # round 0 warms caches up
                    timings.append(elapsed)
    return timings


def report(name: str, timings: list[float], target_ms: float) -> bool:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    verdict = "PASS" if p99 <= target_ms else "FAIL"
    print(
        f"{name:<28} n={len(ordered):<6} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
        f"max {ordered[-1]:6.2f} ms  target p99 <= {target_ms:g} ms  {verdict}"
    )
    return verdict == "PASS"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.answer_speed")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    passed = True
    if REINVENT.exists():
        reinvent = load(REINVENT, options=ImportOptions(timezone=ZoneInfo("America/Los_Angeles")))
        passed &= report(
            f"re:Invent ({len(reinvent.sessions)} sessions)", measure(reinvent, args.rounds), 5.0
        )
    else:
        print(f"re:Invent catalogue not found at {REINVENT}; skipped")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.json"
        write_synthetic(path, sessions=args.sessions, seed=1)
        synthetic = load(path)
    rounds = max(1, args.rounds // 4)
    passed &= report(
        f"synthetic ({len(synthetic.sessions)} sessions)", measure(synthetic, rounds), 20.0
    )
    return 0 if passed or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
