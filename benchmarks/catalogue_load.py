"""Benchmark: load and index a catalogue, against the targets of the issue.

    python -m benchmarks.catalogue_load [--repeat N] [--scenario NAME] [--check]

Scenarios ("load and index" is `catalogue.importers.load(...)` then
`catalogue.ask.Answerer.for_catalogue(...)`, which builds the search index):

- `reinvent-csv`: the 2,431-row AWS re:Invent 2024 sessions CSV from the shared catalogues
  (`$HALLWAY_SHARED`, else `<repo>/../shared`), time zone America/Los_Angeles. Target: at most
  1 s. Skipped, saying why, when the file is not there.
- `synthetic-50k`: 50,000 sessions in Hallway's native JSON (`benchmarks.synthetic`, seed 1),
  written to a temporary file first (not timed). Targets: at most 10 s and at most 500 MB peak
  memory.

Every run is a fresh Python process, so nothing warmed up or allocated by an earlier run counts:
the process imports Hallway (timed separately, not part of the figure), then times load + index
with `time.perf_counter`, then reports its peak resident set size from
`resource.getrusage(RUSAGE_SELF).ru_maxrss`. One more process per scenario runs the same work
under `tracemalloc` for the peak of Python allocations (its times are not used: tracing slows
everything down).

A target is met when the worst run meets it (max seconds, max peak RSS). MB are 10^6 bytes.
Linux carries a parent's peak RSS over `exec` into the child's `ru_maxrss`, so this driver stays
small (it does not import Hallway, and the synthetic file is written by a child process); each
run also reports `VmHWM` from /proc/self/status, the high-water mark of its own address space,
as a cross-check.

Exit status: 0 unless `--check` is given and a target is missed (1); 2 when a run crashed. A
scenario whose file is missing is reported as SKIP and does not fail `--check`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REINVENT_CSV = Path("csv") / "aws-reinvent-2024-sessions.csv"
REINVENT_TIMEZONE = "America/Los_Angeles"
MB = 1_000_000


def shared_catalogues() -> Path:
    """The shared catalogues directory: `$HALLWAY_SHARED` (the shared dir or its `catalogues`
    subdirectory), else `<repo>/../shared/catalogues`."""
    override = os.environ.get("HALLWAY_SHARED")
    base = Path(override) if override else ROOT.parent / "shared"
    return base / "catalogues" if (base / "catalogues").is_dir() else base


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    what: str
    repeats: int
    max_seconds: float
    max_rss_mb: float | None = None

    @property
    def target(self) -> str:
        parts = [f"<= {self.max_seconds:g} s"]
        if self.max_rss_mb is not None:
            parts.append(f"<= {self.max_rss_mb:g} MB")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Run:
    """What one fresh process measured."""

    sessions: int
    skipped: int
    warnings: int
    import_s: float
    load_s: float
    index_s: float
    total_s: float
    cpu_s: float
    rss_start_kib: int
    rss_before_kib: int
    rss_peak_kib: int
    hwm_kib: int
    traced_peak: int | None = None


@dataclass(slots=True)
class Outcome:
    scenario: Scenario
    runs: list[Run] = field(default_factory=list)
    traced: Run | None = None
    status: str = "PASS"
    note: str = ""

    def seconds(self) -> list[float]:
        return [r.total_s for r in self.runs]

    def peak_rss_mb(self) -> float:
        return max(r.rss_peak_kib for r in self.runs) * 1024 / MB

    def judge(self) -> None:
        if not self.runs:
            return
        missed = []
        if max(self.seconds()) > self.scenario.max_seconds:
            missed.append("time")
        if self.scenario.max_rss_mb is not None and self.peak_rss_mb() > self.scenario.max_rss_mb:
            missed.append("memory")
        if missed:
            self.status = "FAIL"
            self.note = "missed: " + ", ".join(missed)


# --- the measuring process --------------------------------------------------------------------


def _vm_hwm_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _max_rss_kib() -> int:
    # Linux reports kibibytes; macOS reports bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss


def measure(path: str, timezone: str | None, *, trace: bool = False) -> Run:
    """Load and index `path` once in this process and report what it cost."""
    rss_start = _max_rss_kib()
    started = time.perf_counter()
    from zoneinfo import ZoneInfo

    from catalogue.ask import Answerer
    from catalogue.importers import ImportOptions, load

    imported = time.perf_counter()
    options = ImportOptions(timezone=ZoneInfo(timezone) if timezone else None)
    rss_before = _max_rss_kib()
    if trace:
        import tracemalloc

        tracemalloc.start()
    cpu_begin = time.process_time()
    begin = time.perf_counter()
    catalogue = load(path, options=options)
    loaded = time.perf_counter()
    answerer = Answerer.for_catalogue(catalogue)
    indexed = time.perf_counter()
    cpu = time.process_time() - cpu_begin
    traced_peak = None
    if trace:
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    run = Run(
        sessions=len(answerer.catalogue.sessions),
        skipped=len(catalogue.skipped),
        warnings=len(catalogue.warnings),
        import_s=imported - started,
        load_s=loaded - begin,
        index_s=indexed - loaded,
        total_s=indexed - begin,
        cpu_s=cpu,
        rss_start_kib=rss_start,
        rss_before_kib=rss_before,
        rss_peak_kib=_max_rss_kib(),
        hwm_kib=_vm_hwm_kib(),
        traced_peak=traced_peak,
    )
    del answerer, catalogue
    return run


def _worker(args: argparse.Namespace) -> int:
    run = measure(args.worker, args.timezone, trace=args.tracemalloc)
    print(json.dumps(asdict(run)))
    return 0


# --- the driver -------------------------------------------------------------------------------


class RunFailed(Exception):
    pass


def _spawn(path: Path, timezone: str | None, *, trace: bool) -> Run:
    command = [sys.executable, "-m", "benchmarks.catalogue_load", "--worker", str(path)]
    if timezone:
        command += ["--timezone", timezone]
    if trace:
        command.append("--tracemalloc")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise RunFailed(f"exit {done.returncode}: {tail}")
    return Run(**json.loads(done.stdout.strip().splitlines()[-1]))


def _run_scenario(
    outcome: Outcome, path: Path, timezone: str | None, *, trace: bool, progress: bool
) -> None:
    name = outcome.scenario.name
    try:
        for number in range(outcome.scenario.repeats):
            run = _spawn(path, timezone, trace=False)
            outcome.runs.append(run)
            if progress:
                print(
                    f"  {name} run {number + 1}/{outcome.scenario.repeats}: "
                    f"{run.total_s:.3f} s (load {run.load_s:.3f} + index {run.index_s:.3f}), "
                    f"peak RSS {run.rss_peak_kib * 1024 / MB:.0f} MB",
                    file=sys.stderr,
                )
        if trace:
            outcome.traced = _spawn(path, timezone, trace=True)
    except RunFailed as error:
        outcome.status = "ERROR"
        outcome.note = str(error)
        return
    outcome.judge()


def _write_synthetic(path: Path, sessions: int, seed: int) -> float:
    """Write the synthetic catalogue from a child process (keeps this driver's RSS small)."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "benchmarks.synthetic", str(path)]
    command += ["--sessions", str(sessions), "--seed", str(seed)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _table(outcomes: Sequence[Outcome]) -> str:
    header = (
        "scenario",
        "runs",
        "sessions",
        "min s",
        "median s",
        "max s",
        "load s",
        "index s",
        "cpu s",
        "peak RSS MB",
        "VmHWM MB",
        "traced MB",
        "target",
        "result",
    )
    rows: list[tuple[str, ...]] = [header]
    for outcome in outcomes:
        runs = outcome.runs
        shown = outcome.note if outcome.note and outcome.status != "ERROR" else ""
        result = outcome.status + (f" ({shown})" if shown else "")
        if not runs:
            blank = ("-",) * (len(header) - 4)
            rows.append((outcome.scenario.name, "0", *blank, outcome.scenario.target, result))
            continue
        seconds = outcome.seconds()
        traced = outcome.traced.traced_peak if outcome.traced else None
        rows.append(
            (
                outcome.scenario.name,
                str(len(runs)),
                str(runs[0].sessions),
                f"{min(seconds):.3f}",
                f"{statistics.median(seconds):.3f}",
                f"{max(seconds):.3f}",
                f"{statistics.median(r.load_s for r in runs):.3f}",
                f"{statistics.median(r.index_s for r in runs):.3f}",
                f"{statistics.median(r.cpu_s for r in runs):.3f}",
                f"{outcome.peak_rss_mb():.0f}",
                f"{max(r.hwm_kib for r in runs) * 1024 / MB:.0f}",
                f"{traced / MB:.0f}" if traced is not None else "-",
                outcome.scenario.target,
                result,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(width) if i in (0, len(row) - 2, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} CPUs ({cpu})"
    )


def _load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


SCENARIOS = ("reinvent-csv", "synthetic-50k")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.catalogue_load",
        description="Time and measure loading and indexing catalogues, each run in a fresh "
        "process, against the issue's targets.",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        metavar="N",
        help="runs per scenario (default: 5 for reinvent-csv, 3 for synthetic-50k)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=SCENARIOS,
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument(
        "--sessions", type=int, default=50_000, help="size of the synthetic catalogue"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic catalogue")
    parser.add_argument(
        "--synthetic", type=Path, metavar="PATH", help="use this synthetic file, do not write one"
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the extra tracemalloc run"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the raw figures")
    parser.add_argument("--quiet", action="store_true", help="no per-run progress on stderr")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--worker", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--timezone", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")

    chosen = args.scenario or list(SCENARIOS)
    trace = not args.no_tracemalloc
    progress = not args.quiet
    outcomes: list[Outcome] = []
    print(f"Load and index catalogues: {_machine()}", flush=True)
    print(f"load average before: {_load_average()}", flush=True)

    if "reinvent-csv" in chosen:
        csv_path = shared_catalogues() / REINVENT_CSV
        outcome = Outcome(
            Scenario(
                "reinvent-csv",
                f"{csv_path} ({REINVENT_TIMEZONE})",
                args.repeat or 5,
                max_seconds=1.0,
            )
        )
        if csv_path.is_file():
            _run_scenario(outcome, csv_path, REINVENT_TIMEZONE, trace=trace, progress=progress)
        else:
            outcome.status = "SKIP"
            outcome.note = f"{csv_path} not found (set HALLWAY_SHARED)"
        outcomes.append(outcome)

    if "synthetic-50k" in chosen:
        name = "synthetic-50k" if args.sessions == 50_000 else f"synthetic-{args.sessions}"
        scenario = Scenario(
            name,
            f"{args.sessions} sessions, seed {args.seed}",
            args.repeat or 3,
            max_seconds=10.0,
            max_rss_mb=500.0,
        )
        outcome = Outcome(scenario)
        with tempfile.TemporaryDirectory(prefix="hallway-bench-") as scratch:
            path = args.synthetic or Path(scratch) / "synthetic.json"
            if args.synthetic is None:
                took = _write_synthetic(path, args.sessions, args.seed)
                if progress:
                    print(
                        f"  wrote {path.stat().st_size / MB:.1f} MB synthetic catalogue "
                        f"in {took:.1f} s (not timed)",
                        file=sys.stderr,
                    )
            _run_scenario(outcome, path, None, trace=trace, progress=progress)
        outcomes.append(outcome)

    print(_table(outcomes))
    print(f"load average after: {_load_average()}")
    print(
        "seconds: wall clock of load + index in a fresh process (load s, index s, cpu s: "
        "medians; cpu s is process CPU time, less sensitive to a busy machine); peak RSS: "
        "ru_maxrss, worst run; VmHWM: the same from /proc; traced: tracemalloc peak; "
        "MB = 10^6 bytes; a target is met when the worst run meets it"
    )
    for outcome in outcomes:
        if outcome.status == "ERROR":
            print(f"{outcome.scenario.name}: a run failed, {outcome.note}")
        if outcome.runs and (outcome.runs[0].skipped or outcome.runs[0].warnings):
            run = outcome.runs[0]
            print(
                f"{outcome.scenario.name}: {run.skipped} rows skipped and {run.warnings} "
                "warnings while loading (reported by the importer)"
            )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": _machine(),
                    "scenarios": [
                        {
                            "scenario": asdict(o.scenario),
                            "status": o.status,
                            "note": o.note,
                            "runs": [asdict(r) for r in o.runs],
                            "traced": asdict(o.traced) if o.traced else None,
                        }
                        for o in outcomes
                    ],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    if any(o.status == "ERROR" for o in outcomes):
        return 2
    if args.check and any(o.status == "FAIL" for o in outcomes):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
