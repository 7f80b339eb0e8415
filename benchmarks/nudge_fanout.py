"""Benchmark: 10,000 nudges due in the same minute, sent by the app's own dispatcher.

    python -m benchmarks.nudge_fanout [--nudges 10000] [--storage sqlite|postgresql]
                                      [--tick 5] [--postgres-url URL]
                                      [--profile cprofile|py-spy] [--log-level WARNING]
                                      [--check] [--quiet]

What it does:

1. **A channel.**  A local connector (this module with ``--serve-connector``, in a process of
   its own so its CPU and memory are not the bot's) answers every
   ``POST /v3/conversations/{id}/activities`` with 200 and a resource id, and counts what
   arrives per conversation (duplicates and missing ones included).
2. **Seed.**  ``--nudges`` attendees, each in a personal conversation of their own on that
   connector (a stored conversation reference, as the bot saves when an attendee talks to it;
   one in ten in French), each with one nudge planned for a 10:00 session of a synthetic agenda
   (the one `benchmarks.nudge_outbox` uses), due between 09:49:01 and 09:50:00: all in the same
   minute.  Stored with the app's own `ReferenceStore` and `Outbox.replan_many`.
3. **Send.**  `app.create_app` builds the whole bot on that storage, with a clock at 09:50:01
   (every nudge due, none of the sessions started) and ``NUDGE_RATE`` lifted (10**9 a second);
   the app is started with `web.AppRunner`, which starts its dispatcher exactly as
   ``python app.py`` does: the same `Dispatcher`, the same `AdapterSender` over the app's adapter,
   the same outbound HTTP path, whatever `create_app` wires.  No request is made to the bot:
   the dispatcher does everything.  Measured until the connector has every nudge and the outbox
   has marked every one sent: sends per second (target >= 500), the bot's resident set size
   sampled every 0.25 s (target: flat), and its CPU time.
4. **Check.**  Every attendee got exactly one nudge; the outbox has them all sent.

``--profile cprofile`` profiles the event loop thread during the send phase (deterministic, so
slower: its throughput figure is not the benchmark's); ``--profile py-spy`` samples the whole
process with py-spy (``pip install py-spy``) and summarises where the time went by package and
function.  SQLite runs in a temporary directory (removed afterwards); PostgreSQL uses
``--postgres-url`` (default ``$HALLWAY_TEST_POSTGRES_URL``, else the local test server) with a
table prefix of its own, dropped afterwards.  Exit status: 0, or 1 when a nudge was lost or
duplicated, or with ``--check`` when the rate target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import os
import pstats
import resource
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from app import create_app
from benchmarks.load import pyspy
from benchmarks.load.generator import loadavg, rss_kib
from benchmarks.nudge_outbox import FIRST_DAY, synthetic_catalogue
from bot.clock import Clock
from bot.nudges import NudgeSettings, Outbox, open_outbox, plan_for
from bot.nudges.references import ReferenceStore
from bot.settings import Settings
from bot.storage import open_storage
from catalogue.model import Catalogue
from catalogue.shortlist import Entry

CHANNEL = "msteams"
ROOMS = 20
"""The 10:00 sessions of the synthetic agenda's first day, one per room: d0-s00-r00..r19."""
TARGET_PER_S = 500.0
LIFTED_RATE = 1e9
SEED_CHUNK = 500
STALL_SECONDS = 60.0
"""Give up when the connector has received nothing new for this long."""
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SAMPLE_SECONDS = 0.25


# -- the channel ------------------------------------------------------------------------------


@dataclass
class Tally:
    per_conversation: Counter[str] = field(default_factory=Counter)
    not_nudges: int = 0
    first: float | None = None
    last: float | None = None

    def report(self) -> dict[str, Any]:
        return {
            "received": sum(self.per_conversation.values()),
            "conversations": len(self.per_conversation),
            "duplicates": sum(n - 1 for n in self.per_conversation.values() if n > 1),
            "not_nudges": self.not_nudges,
            "first": self.first,
            "last": self.last,
        }


async def serve_connector() -> None:
    """The connector process: print ``PORT n``, answer 200 to every send, count, until stdin
    closes (the benchmark ended or died)."""
    tally = Tally()
    ids = iter(range(1, sys.maxsize))

    async def activity(request: web.Request) -> web.Response:
        body = await request.json()
        now = time.time()  # wall clock: compared with the benchmark process's own
        tally.first = tally.first or now
        tally.last = now
        tally.per_conversation[request.match_info["conversation"]] += 1
        # A nudge is a message with its text and the session's card; the texts themselves
        # are the replies' business, checked by the tests.
        if body.get("type") != "message" or not body.get("text") or not body.get("attachments"):
            tally.not_nudges += 1
        return web.json_response({"id": f"sent-{next(ids)}"})

    async def counts(request: web.Request) -> web.Response:
        return web.json_response(tally.report())

    app = web.Application(client_max_size=1024**2)
    app.router.add_post("/v3/conversations/{conversation}/activities", activity)
    app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", activity)
    app.router.add_get("/counts", counts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    print(f"PORT {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


@dataclass
class Connector:
    url: str
    process: asyncio.subprocess.Process
    session: aiohttp.ClientSession

    async def counts(self) -> dict[str, Any]:
        async with self.session.get(f"{self.url}/counts") as response:
            return dict(await response.json())


@asynccontextmanager
async def connector_process() -> AsyncIterator[Connector]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.nudge_fanout", "--serve-connector",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line.startswith(b"PORT "):
            raise RuntimeError(f"the connector did not start: {line!r}")
        async with aiohttp.ClientSession() as session:
            yield Connector(f"http://127.0.0.1:{int(line.split()[1])}", process, session)
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


# -- seeding ----------------------------------------------------------------------------------


def reference_activity(index: int, service_url: str) -> Activity:
    """What a Teams personal chat message from attendee `index` looks like to the bot, as far
    as the stored conversation reference goes."""
    return Activity(
        type="message",
        id=f"seed-{index}",
        channel_id=CHANNEL,
        service_url=service_url,
        from_property=ChannelAccount(id=f"29:attendee-{index:06d}", name=f"Attendee {index}"),
        recipient=ChannelAccount(id="28:hallway-bench", name="Hallway"),
        conversation=ConversationAccount(
            id=f"a:personal-{index:06d}", conversation_type="personal", tenant_id="bench"
        ),
        locale="fr-FR" if index % 10 == 0 else "en-US",
    )


async def seed(url: str, catalogue: Catalogue, nudges: int, service_url: str) -> None:
    """References and one nudge per attendee, due within one minute (09:49:01-09:50:00)."""
    storage = open_storage(url)
    outbox = open_outbox(url)
    references = ReferenceStore(storage)
    plan_now = FIRST_DAY.replace(hour=7)
    try:
        for first in range(0, nudges, SEED_CHUNK):
            chunk = range(first, min(nudges, first + SEED_CHUNK))
            await asyncio.gather(
                *(references.save(reference_activity(i, service_url)) for i in chunk)
            )
            plans = []
            for index in chunk:
                session = catalogue.get(f"d0-s00-r{index % ROOMS:02d}")
                assert session is not None
                user = f"29:attendee-{index:06d}"
                lead = NudgeSettings(lead=timedelta(minutes=10, seconds=index % 60))
                planned = plan_for(CHANNEL, user, [Entry.of(session)], catalogue, lead, plan_now)
                plans.append((CHANNEL, user, planned))
            await outbox.replan_many(plans)
    finally:
        await outbox.close()
        await storage.close()


# -- the measured run -------------------------------------------------------------------------


@dataclass
class Run:
    storage: str
    nudges: int
    tick: float
    seed_s: float = 0.0
    started: float = 0.0
    """time.time() just before the app (and its dispatcher) started."""
    delivered_at: float = 0.0
    """time.time() of the last nudge at the connector."""
    first_at: float = 0.0
    all_marked_s: float = 0.0
    """Seconds from the start until the outbox had every nudge marked sent."""
    cpu_s: float = 0.0
    rss_mb: list[tuple[float, float]] = field(default_factory=list)
    """(seconds since the start, RSS in MB) samples during the send phase."""
    counts: dict[str, Any] = field(default_factory=dict)
    outbox_counts: dict[str, int] = field(default_factory=dict)
    load_before: str = ""
    load_after: str = ""
    profile: str = ""

    @property
    def send_s(self) -> float:
        return self.delivered_at - self.started

    @property
    def rate(self) -> float:
        return self.nudges / self.send_s if self.send_s > 0 else 0.0

    @property
    def steady_rate(self) -> float:
        """Between the first and last arrival: without the app's start and first claim."""
        span = self.delivered_at - self.first_at
        return (self.nudges - 1) / span if span > 0 else 0.0

    @property
    def exact(self) -> bool:
        return (
            self.counts.get("received") == self.nudges
            and self.counts.get("conversations") == self.nudges
            and self.counts.get("duplicates") == 0
            and self.counts.get("not_nudges") == 0
            and self.outbox_counts.get("sent") == self.nudges
        )


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(args: argparse.Namespace, url: str, log: Callable[[str], None]) -> Run:
    run = Run(storage=args.storage, nudges=args.nudges, tick=args.tick)
    catalogue = synthetic_catalogue()
    async with connector_process() as connector:
        started = time.perf_counter()
        await seed(url, catalogue, args.nudges, connector.url)
        run.seed_s = time.perf_counter() - started
        log(f"seeded {args.nudges:,} attendees and nudges in {run.seed_s:.1f} s")

        storage = open_storage(url)
        outbox = open_outbox(url)
        settings = Settings(
            storage_url=url,
            catalogue_poll_seconds=0,
            nudge_tick_seconds=args.tick,
            nudge_rate=LIFTED_RATE,
            log_level=args.log_level,
        )
        # Every nudge due (the last at 09:50:00), no session started (10:00).
        clock = Clock.starting_at(FIRST_DAY.replace(hour=9, minute=50, second=1))
        app = create_app(settings, catalogue=catalogue, storage=storage, clock=clock, outbox=outbox)
        runner = web.AppRunner(app)
        pid = os.getpid()
        profiler = cProfile.Profile() if args.profile == "cprofile" else None
        spy = await start_py_spy(pid, args.py_spy_output) if args.profile == "py-spy" else None
        run.load_before = loadavg()
        cpu_before = cpu_seconds()
        run.started = time.time()
        if profiler is not None:
            profiler.enable()
        await runner.setup()  # the app's start-up: storage, outbox, then the dispatcher
        try:
            counts = await follow(connector, run, pid)
            if profiler is not None:
                profiler.disable()
            run.counts = counts
            run.delivered_at = float(counts["last"] or time.time())
            run.first_at = float(counts["first"] or run.delivered_at)
            # The connector answered the last send; the outbox marks it right after.
            await until_marked(outbox, args.nudges, run.delivered_at)
            run.all_marked_s = time.time() - run.started
            run.cpu_s = cpu_seconds() - cpu_before
            run.outbox_counts = await outbox.counts()
        finally:
            if spy is not None:
                run.profile = await stop_py_spy(spy, args.py_spy_output, args.nudges)
            await runner.cleanup()  # closes the storage and outbox handed in, too
        run.load_after = loadavg()
        if profiler is not None:
            run.profile = cprofile_report(profiler)
    return run


async def until_marked(outbox: Outbox, nudges: int, since: float) -> None:
    """Until the outbox has `nudges` marked sent (it marks each right after the channel's
    answer), or nothing more for `STALL_SECONDS` after `since`."""
    while True:
        if (await outbox.counts())["sent"] >= nudges or time.time() - since > STALL_SECONDS:
            return
        await asyncio.sleep(0.05)


async def follow(connector: Connector, run: Run, pid: int) -> dict[str, Any]:
    """Sample the bot's RSS until the connector has every nudge (or nothing more arrives)."""
    received, progressed = -1, time.monotonic()
    while True:
        counts = await connector.counts()
        rss = rss_kib(pid)
        run.rss_mb.append((time.time() - run.started, (rss or 0) * 1024 / 1e6))
        if counts["received"] >= run.nudges:
            return counts
        if counts["received"] != received:
            received, progressed = counts["received"], time.monotonic()
        elif time.monotonic() - progressed > STALL_SECONDS:
            return counts
        await asyncio.sleep(SAMPLE_SECONDS)


# -- profiles ---------------------------------------------------------------------------------


def cprofile_report(profiler: cProfile.Profile, top: int = 25) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


async def start_py_spy(pid: int, output: Path) -> asyncio.subprocess.Process | None:
    # Installed in the virtual environment, which need not be on PATH.
    beside = Path(sys.executable).with_name("py-spy")
    executable = pyspy.py_spy() or (str(beside) if beside.exists() else None)
    if executable is None:
        print("py-spy not found: pip install py-spy", file=sys.stderr)
        return None
    process = await asyncio.create_subprocess_exec(
        executable, "record", "--pid", str(pid), "--rate", str(pyspy.RATE), "--format", "raw",
        "--nonblocking", "--output", str(output),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    await asyncio.sleep(0.5)  # attached before the measured phase starts
    return process


async def stop_py_spy(process: asyncio.subprocess.Process, output: Path, nudges: int) -> str:
    """Stop the recording as Ctrl-C would (py-spy then writes its file) and summarise it."""
    process.send_signal(signal.SIGINT)
    _, errors = await asyncio.wait_for(process.communicate(), 60)
    if not await asyncio.to_thread(output.exists):
        return f"py-spy wrote nothing ({process.returncode}): {errors.decode()[-300:]}"
    # `report` speaks of turns: here a "turn" is one nudge sent.
    text = pyspy.report(pyspy.read_collapsed(output), nudges)
    for turn, nudge in (
        ("per turn", "per nudge"),
        ("ms/turn", "ms/nudge"),
        (" turns:", " nudges:"),
    ):
        text = text.replace(turn, nudge)
    return text


# -- the command ------------------------------------------------------------------------------


def describe(run: Run) -> str:
    samples = [mb for _, mb in run.rss_mb] or [0.0]

    def at(fraction: float) -> str:
        return f"{samples[min(len(samples) - 1, round(fraction * (len(samples) - 1)))]:.0f}"

    lines = [
        f"storage: {run.storage}; {run.nudges:,} nudges due in one minute; dispatcher tick "
        f"{run.tick:g} s, rate limit lifted",
        f"seed (references + outbox): {run.seed_s:.1f} s",
        f"sent: {run.counts.get('received', 0):,} at the connector in {run.send_s:.2f} s = "
        f"{run.rate:,.0f} nudges/s from the app's start (first to last arrival: "
        f"{run.steady_rate:,.0f}/s)  [target >= {TARGET_PER_S:g}/s: "
        f"{'met' if run.rate >= TARGET_PER_S else 'MISSED'}]",
        f"all marked sent in the outbox after {run.all_marked_s:.2f} s; CPU of the bot process "
        f"{run.cpu_s:.1f} s ({run.cpu_s / run.nudges * 1000:.2f} ms a nudge)",
        f"RSS MB through the run (0/10/25/50/75/100%): "
        f"{' / '.join(at(f) for f in (0, 0.1, 0.25, 0.5, 0.75, 1))}, peak {max(samples):.0f} "
        f"({len(samples)} samples, every {SAMPLE_SECONDS:g} s)",
        f"exactly once: {'yes' if run.exact else 'NO'} (connector {run.counts}; outbox "
        f"{run.outbox_counts})",
        f"load average: {run.load_before} before, {run.load_after} after ({os.cpu_count()} CPUs)",
    ]
    if run.profile:
        lines += ["profile:", run.profile]
    return "\n".join(lines)


async def _drop_postgres(url: str, prefix: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.partition("?")[0], timeout=10)
    try:
        for suffix in ("", "_nudges", "_unreachable"):
            await connection.execute(f'DROP TABLE IF EXISTS "{prefix}{suffix}"')
    finally:
        await connection.close()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.nudge_fanout", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--nudges", type=int, default=10_000)
    parser.add_argument("--storage", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--tick", type=float, default=5.0, help="NUDGE_TICK_SECONDS (default: the app's, 5)"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("HALLWAY_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
    )
    parser.add_argument("--profile", choices=("cprofile", "py-spy"), default=None)
    parser.add_argument(
        "--py-spy-output", type=Path, default=Path(tempfile.gettempdir()) / "nudge_fanout.txt"
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="the bot's log level (INFO logs a line per nudge sent, as `python app.py` does)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--serve-connector", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.nudges < 1 or args.tick <= 0:
        parser.error("--nudges and --tick must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.serve_connector:
        asyncio.run(serve_connector())
        return 0
    # As `python app.py` configures it; INFO writes a line per nudge (to stderr here).
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    def log(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr)

    if args.storage == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hallway-fanout-") as directory:
            run = asyncio.run(measure(args, f"sqlite:///{Path(directory) / 'bench.sqlite3'}", log))
    else:
        prefix = f"bench_fanout_{uuid.uuid4().hex[:12]}"
        separator = "&" if "?" in args.postgres_url else "?"
        try:
            run = asyncio.run(measure(args, f"{args.postgres_url}{separator}table={prefix}", log))
        finally:
            asyncio.run(_drop_postgres(args.postgres_url, prefix))
    print(describe(run))
    if not run.exact:
        return 1
    return 1 if args.check and run.rate < TARGET_PER_S else 0


if __name__ == "__main__":
    sys.exit(main())
