"""Hallway under load, next to a bare aiohttp handler (the floor) and botbuilder's echo bot.

    python -m benchmarks.load [--users 16,64] [--seconds 20] [--warmup 3] [--rounds 1]
                              [--scenario NAME ...] [--json FILE] [--py-spy DIR]

Every (scenario, users) pair gets a fresh bot process on a free port of 127.0.0.1 and a
closed-loop run: warm-up first (not counted), then `--seconds` of measurement. With
`--rounds N` the scenarios alternate N times and the table shows each pair's median round
(by turns/s). Targets (issues 10 and 5): Hallway's question turn at 64 users at least 10x the
echo bot's turns/s with p99 <= 150 ms; at 1 user p50 <= 5 ms; shortlist state costing at most
20% of the memory-storage throughput. The verdicts are printed, not enforced: this is a shared
2-core machine, and the load average is shown beside every row.

`--py-spy DIR` attaches py-spy to each bot but the floor during its measured window and prints
where its time went (`--py-spy-gil`: only the thread holding the GIL). Install py-spy in the
virtual environment first (it is not a project dependency); it perturbs the figures a little.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.load import bots, pyspy
from benchmarks.load.generator import LoadGenerator, Plan, Result, loadavg
from benchmarks.load.scenarios import Scenario, Skip, all_scenarios

QUESTION_TARGET_RATIO = 10.0
QUESTION_TARGET_P99_MS = 150.0
ONE_USER_TARGET_P50_MS = 5.0
STATE_TARGET_COST = 0.20


@dataclass
class Row:
    scenario: Scenario
    users: int
    rounds: list[Result]
    tracebacks: int = 0

    @property
    def result(self) -> Result:
        """The median round by turns/s."""
        ordered = sorted(self.rounds, key=lambda r: r.turns_per_second)
        return ordered[(len(ordered) - 1) // 2]


def _users(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of user counts: {text!r}") from error
    if not counts or any(c < 1 or c > 1024 for c in counts):
        raise argparse.ArgumentTypeError("user counts are between 1 and 1024")
    return counts


def parse_args(argv: Sequence[str] | None, names: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description="Closed-loop load over the Bot Framework protocol, on 127.0.0.1.",
    )
    parser.add_argument("--users", type=_users, default=[16, 64], help="e.g. 1,16,64")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not counted")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the scenarios N times")
    parser.add_argument("--max-turns", type=int, default=500_000, help="per run, warm-up included")
    parser.add_argument("--turn-timeout", type=float, default=10.0, help="seconds per turn")
    parser.add_argument(
        "--scenario", nargs="+", choices=names, default=list(names), metavar="NAME",
        help=f"some of: {', '.join(names)}",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    parser.add_argument(
        "--py-spy", type=Path, metavar="DIR", help="profile the bots (not the floor) with py-spy"
    )
    parser.add_argument(
        "--py-spy-gil", action="store_true", help="sample only the thread holding the GIL"
    )
    parser.add_argument(
        "--workers", type=int, default=1,
        help="Hallway's --workers on SQLite and PostgreSQL (memory storage keeps one)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 20 or not 0 < args.seconds <= 3600 or args.warmup < 0:
        parser.error("--rounds 1..20, --seconds up to 3600, --warmup >= 0")
    if not 1 <= args.workers <= 64:
        parser.error("--workers 1..64")
    return args


async def run_row(
    generator: LoadGenerator, scenario: Scenario, users: int, args: argparse.Namespace
) -> tuple[Result, int]:
    plan = Plan(users, args.seconds, args.warmup, args.max_turns, args.turn_timeout)
    profiled = args.py_spy is not None and scenario.name != "floor"
    async with scenario.prepare() as command, bots.running(command) as bot:
        spy = None
        if profiled:
            args.py_spy.mkdir(parents=True, exist_ok=True)
            output = args.py_spy / f"{scenario.name}-{users}u.txt"
            spy = asyncio.create_task(
                pyspy.record(bot.pid, args.seconds, output, delay=args.warmup, gil=args.py_spy_gil)
            )
        result = await generator.run(
            bot.url, plan, scenario.shape, check=scenario.check, label=scenario.label, pid=bot.pid
        )
        stacks = await spy if spy is not None else None
    if stacks is not None:
        print(f"py-spy, {scenario.name} at {users} users ({stacks}):")
        print(pyspy.report(pyspy.read_collapsed(stacks), result.turns))
    elif profiled:
        print(f"py-spy: no profile for {scenario.name} (is py-spy installed?)")
    tracebacks = bot.final_output.count("Traceback")
    if tracebacks:
        print(f"{scenario.name}: the bot printed {tracebacks} traceback(s):")
        print(bot.final_output[-3000:])
    return result, tracebacks


def _mb(kib: int | None) -> str:
    return f"{kib / 1024:.0f}" if kib is not None else "?"


def _ratio(value: float, reference: Row | None) -> str:
    if reference is None or reference.result.turns_per_second <= 0:
        return "-"
    return f"{value / reference.result.turns_per_second:.2f}x"


def _row_line(row: Row, rows: dict[tuple[str, int], Row]) -> str:
    r = row.result
    cpu = f"{r.bot_cpu_ms_per_turn:.2f}" if r.bot_cpu_ms_per_turn is not None else "?"
    errors = str(r.error_count) + (f"+{row.tracebacks}tb" if row.tracebacks else "")
    return (
        f"{row.scenario.name:<21}{row.users:>5} {r.turns_per_second:>9.1f} "
        f"{r.p50:>8.1f} {r.percentile(90):>8.1f} {r.percentile(99):>8.1f} {errors:>7} "
        f"{_mb(r.rss_before_kib):>5}→{_mb(r.rss_after_kib):<5} {cpu:>7} "
        f"{r.generator_cpu_percent:>5.0f}% {r.loadavg_start.split()[0]:>5}→"
        f"{r.loadavg_end.split()[0]:<5} "
        f"{_ratio(r.turns_per_second, rows.get(('echo', row.users))):>8} "
        f"{_ratio(r.turns_per_second, rows.get(('floor', row.users))):>7}"
    )


HEADER = (
    f"{'scenario':<21}{'users':>5} {'turns/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
    f"{'errors':>7} {'RSS MB':>11} {'CPU ms':>7} {'gen':>6} {'load1':>11} {'vs echo':>8} "
    f"{'vs floor':>7}"
)


def print_table(rows: dict[tuple[str, int], Row]) -> None:
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows.values():
        print(_row_line(row, rows))
    print(
        "CPU ms = the bot process's CPU time per measured turn; gen = the generator's own CPU "
        "(of one core); load1 = 1-minute load average at start→end."
    )
    for row in rows.values():
        r = row.result
        extras = []
        if r.labels:
            extras.append("replies " + ", ".join(f"{k} {v}" for k, v in r.labels.most_common()))
        if r.extra_replies or r.stray_replies:
            extras.append(f"extra replies {r.extra_replies}, stray {r.stray_replies}")
        if r.errors:
            extras.append("errors " + ", ".join(f"{k} {v}" for k, v in r.errors.most_common()))
            extras.extend(r.error_examples[:2])
        if r.processes > 1 and r.pss_after_kib is not None:
            extras.append(
                f"{r.processes} processes, PSS {_mb(r.pss_after_kib)} MB at the end "
                "(RSS counts the pages they share once per process)"
            )
        if len(row.rounds) > 1:
            extras.append(
                "rounds turns/s " + ", ".join(f"{x.turns_per_second:.0f}" for x in row.rounds)
            )
        if extras:
            print(f"  {row.scenario.name} @{row.users}: " + "; ".join(extras))


def print_verdicts(rows: dict[tuple[str, int], Row]) -> None:
    lines = []
    for (name, users), row in rows.items():
        r = row.result
        echo = rows.get(("echo", users))
        if row.scenario.group == "question" and name != "hallway-help" and users == 64:
            if echo is not None and echo.result.turns_per_second > 0:
                ratio = r.turns_per_second / echo.result.turns_per_second
                ok = ratio >= QUESTION_TARGET_RATIO
                lines.append(
                    f"{name} @64: {ratio:.1f}x echo (target >= {QUESTION_TARGET_RATIO:g}x) "
                    f"{'PASS' if ok else 'FAIL'}"
                )
            ok = r.percentile(99) <= QUESTION_TARGET_P99_MS
            lines.append(
                f"{name} @64: p99 {r.percentile(99):.1f} ms "
                f"(target <= {QUESTION_TARGET_P99_MS:g} ms) {'PASS' if ok else 'FAIL'}"
            )
        if row.scenario.group == "question" and users == 1:
            ok = r.p50 <= ONE_USER_TARGET_P50_MS
            lines.append(
                f"{name} @1: p50 {r.p50:.2f} ms (target <= {ONE_USER_TARGET_P50_MS:g} ms) "
                f"{'PASS' if ok else 'FAIL'}"
            )
        if row.scenario.group == "shortlist" and name != "shortlist-memory":
            memory = rows.get(("shortlist-memory", users))
            if memory is not None and memory.result.turns_per_second > 0:
                cost = 1 - r.turns_per_second / memory.result.turns_per_second
                ok = cost <= STATE_TARGET_COST
                lines.append(
                    f"{name} @{users}: state costs {cost * 100:.0f}% of the memory-storage "
                    f"turns/s ({r.turns_per_second:.0f} vs {memory.result.turns_per_second:.0f}; "
                    f"target <= {STATE_TARGET_COST * 100:.0f}%) {'PASS' if ok else 'FAIL'}"
                )
    if lines:
        print()
        print("Targets (indicative on a shared machine):")
        for line in lines:
            print(f"  {line}")


async def main_async(args: argparse.Namespace, scenarios: dict[str, Scenario]) -> int:
    print(
        f"load benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"load average {loadavg()}; users {args.users}, {args.seconds:g} s measured after "
        f"{args.warmup:g} s warm-up, {args.rounds} round(s)"
    )
    rows: dict[tuple[str, int], Row] = {}
    skipped: dict[str, str] = {}
    bot_failed = False
    async with LoadGenerator() as generator:
        for round_number in range(args.rounds):
            for name in args.scenario:
                if name in skipped:
                    continue
                scenario = scenarios[name]
                for users in args.users:
                    try:
                        result, tracebacks = await run_row(generator, scenario, users, args)
                    except Skip as skip:
                        skipped[name] = str(skip)
                        print(f"skipped {name}: {skip}")
                        break
                    except bots.BotFailed as failure:
                        skipped[name] = f"the bot failed: {failure}"
                        bot_failed = True
                        print(f"failed {name}: {failure}")
                        break
                    row = rows.setdefault((name, users), Row(scenario, users, []))
                    row.rounds.append(result)
                    row.tracebacks += tracebacks
                    print(
                        f"round {round_number + 1} {name} @{users}: "
                        f"{result.turns_per_second:.1f} turns/s, p50 {result.p50:.1f} ms, "
                        f"p99 {result.percentile(99):.1f} ms, errors {result.error_count}, "
                        f"load {result.loadavg_start} → {result.loadavg_end}",
                        flush=True,
                    )
    print_table(rows)
    print_verdicts(rows)
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    if args.json is not None:
        document = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": platform.node(),
            "python": platform.python_version(),
            "settings": {
                "users": args.users,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "rounds": args.rounds,
            },
            "results": [
                {
                    "scenario": row.scenario.name,
                    "what": row.scenario.what,
                    "median_round": row.result.summary(),
                    "rounds": [r.summary() for r in row.rounds],
                    "tracebacks": row.tracebacks,
                }
                for row in rows.values()
            ],
            "skipped": skipped,
        }
        args.json.write_text(json.dumps(document, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    failed = bot_failed or any(row.result.error_count or row.tracebacks for row in rows.values())
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, list(all_scenarios()))
    return asyncio.run(main_async(args, all_scenarios(args.workers)))


if __name__ == "__main__":
    sys.exit(main())
