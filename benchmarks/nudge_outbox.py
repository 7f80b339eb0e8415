"""Benchmark: the nudge outbox with a million planned nudges, against the targets of issue 6.

    python -m benchmarks.nudge_outbox [--engine sqlite|postgresql] [--attendees 100000]
                                      [--per-attendee 10] [--due 10000] [--ticks 50]
                                      [--batch 500] [--mark each|batch]
                                      [--postgres-url URL] [--check] [--quiet]

What it does, in one process:

1. **Plan and store.**  A synthetic three-day agenda (a 09:00 keynote, then 20 rooms every half
   hour), ``--attendees`` attendees with ``--per-attendee`` shortlisted sessions each, planned
   with `bot.nudges.plan_for` and stored with `Outbox.replan_many`, 5,000 attendees a call.  The
   first ``--due`` attendees shortlisted the keynote with lead times of 10 minutes plus 0-59
   seconds, so their keynote nudges fall due within the same minute; no other nudge is due
   before the keynote starts.
2. **Idle ticks.**  ``--ticks`` calls of `claim_due(limit=--batch)` at a time when nothing is
   due, each timed.  Target: a tick costs at most 50 ms (p99 reported; its cost should follow
   what is due, not what is planned).
3. **Burst.**  At one minute past the last keynote nudge's due time, claim ``--batch`` at a
   time and mark each claimed nudge sent (``--mark each``: one `mark_sent` per nudge, those of
   a batch concurrently, as a dispatcher's sends would; ``--mark batch``: one
   `mark_sent_many` per batch), until nothing is due.  Reported: nudges per second through the
   outbox (claim + mark_sent, no channel), claim latency, and the resident set size before and
   after (memory should stay flat).  Every keynote nudge must be claimed exactly once.
4. **Idle ticks again**, with the sent rows in the table; then the time `counts()` takes (the
   figures an operator sees in /healthz).

SQLite runs in a temporary directory (removed afterwards).  PostgreSQL uses ``--postgres-url``
(default ``$HALLWAY_TEST_POSTGRES_URL``, else ``postgresql://postgres@127.0.0.1:5432/test``) and
a table prefix of its own, dropped afterwards.  Exit status: 0, or 1 with ``--check`` when the
idle tick target (p99 <= 50 ms) or the burst target (>= 500 nudges/s) is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.nudges import NudgeSettings, Outbox, PlannedNudge, open_outbox, plan_for
from catalogue.model import Catalogue, Conference, Kind, Session
from catalogue.shortlist import Entry

TIMEZONE = ZoneInfo("America/Toronto")
FIRST_DAY = datetime(2026, 6, 9, tzinfo=TIMEZONE)
DAYS = 3
ROOMS = 20
CHANNEL = "msteams"
ATTENDEES_PER_CALL = 5000
IDLE_TARGET_MS = 50.0
BURST_TARGET_PER_S = 500.0
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def synthetic_catalogue() -> Catalogue:
    sessions = [
        Session(
            "keynote",
            "Opening keynote",
            FIRST_DAY.replace(hour=9),
            FIRST_DAY.replace(hour=10),
            kind=Kind.KEYNOTE,
            room="Main Hall",
        )
    ]
    for day in range(DAYS):
        date = FIRST_DAY + timedelta(days=day)
        for slot in range(16):  # 10:00 to 17:30
            start = date.replace(hour=10) + timedelta(minutes=30 * slot)
            for room in range(ROOMS):
                sessions.append(
                    Session(
                        f"d{day}-s{slot:02d}-r{room:02d}",
                        f"Talk {day}/{slot}/{room}",
                        start,
                        start + timedelta(minutes=25),
                        room=f"Room {room + 100}",
                    )
                )
    return Catalogue(Conference("Benchmark Conf", TIMEZONE), tuple(sessions))


def user_id(index: int) -> str:
    return f"29:1{index:08d}-bench-user-aad-object-id"


def attendee_plans(
    catalogue: Catalogue, attendees: range, per_attendee: int, due: int, now: datetime
) -> Iterator[tuple[str, str, list[PlannedNudge]]]:
    entries = {s.id: Entry.of(s) for s in catalogue.sessions}
    keynote = entries.pop("keynote")
    talks = list(entries.values())
    default = NudgeSettings()
    for index in attendees:
        rng = random.Random(index)
        if index < due:
            picks = [keynote, *rng.sample(talks, per_attendee - 1)]
            settings = NudgeSettings(lead=timedelta(minutes=10, seconds=index % 60))
        else:
            picks = rng.sample(talks, per_attendee)
            settings = default
        user = user_id(index)
        yield CHANNEL, user, plan_for(CHANNEL, user, picks, catalogue, settings, now)


def rss_mb() -> float:
    """The resident set size now, from /proc (MB = 10**6 bytes); 0 where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return 0.0


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Figures:
    engine: str
    planned: int = 0
    plan_s: float = 0.0
    store_s: float = 0.0
    idle_ms: tuple[float, ...] = ()
    idle_after_ms: tuple[float, ...] = ()
    burst_count: int = 0
    burst_s: float = 0.0
    claim_ms: tuple[float, ...] = ()
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    counts: dict[str, int] | None = None
    counts_ms: float = 0.0
    plan: str = ""


async def idle_ticks(box: Outbox, now: datetime, ticks: int, batch: int) -> tuple[float, ...]:
    times: list[float] = []
    for _ in range(ticks):
        started = time.perf_counter()
        claimed = await box.claim_due(now, limit=batch, lease=timedelta(minutes=1), worker="idle")
        times.append((time.perf_counter() - started) * 1000)
        if claimed:
            raise AssertionError(f"an idle tick claimed {len(claimed)} nudges")
    return tuple(times)


async def claim_plan(box: Outbox, url: str, now: datetime, batch: int) -> str:
    """How the database runs an idle claim (EXPLAIN), to show it probes the due index."""
    from bot.nudges.outbox_postgres import PostgresOutbox
    from bot.nudges.outbox_sqlite import SqliteOutbox

    if isinstance(box, SqliteOutbox):
        import sqlite3

        from bot.nudges.outbox import to_micros

        with sqlite3.connect(box.path) as connection:
            rows = connection.execute(
                f"EXPLAIN QUERY PLAN {box._sql_claim_due}",
                ("w", 0, to_micros(now), batch),
            ).fetchall()
        connection.close()
        return "\n".join(f"  {row[-1]}" for row in rows)
    if isinstance(box, PostgresOutbox):
        import asyncpg

        connection = await asyncpg.connect(box.dsn)
        try:
            transaction = connection.transaction()
            await transaction.start()
            rows = await connection.fetch(
                f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {box._sql_claim}",
                now,
                batch,
                "w",
                now,
            )
            await transaction.rollback()
        finally:
            await connection.close()
        return "\n".join(f"  {row[0]}" for row in rows)
    return ""


async def run(args: argparse.Namespace, url: str) -> Figures:
    figures = Figures(engine=args.engine)
    catalogue = synthetic_catalogue()
    plan_now = FIRST_DAY.replace(hour=7)
    keynote_start = FIRST_DAY.replace(hour=9).astimezone(UTC)
    async with open_outbox(url) as box:
        await box.ping()
        for first in range(0, args.attendees, ATTENDEES_PER_CALL):
            chunk = range(first, min(args.attendees, first + ATTENDEES_PER_CALL))
            started = time.perf_counter()
            plans = list(attendee_plans(catalogue, chunk, args.per_attendee, args.due, plan_now))
            planned = time.perf_counter()
            await box.replan_many(plans)
            figures.plan_s += planned - started
            figures.store_s += time.perf_counter() - planned
            figures.planned += sum(len(nudges) for _, _, nudges in plans)
            if not args.quiet:
                print(
                    f"\r  stored {figures.planned:,} nudges ({figures.store_s:.1f} s)",
                    end="",
                    file=sys.stderr,
                )
        if not args.quiet:
            print(file=sys.stderr)

        idle_now = keynote_start - timedelta(minutes=30)
        figures.idle_ms = await idle_ticks(box, idle_now, args.ticks, args.batch)
        figures.plan = await claim_plan(box, url, idle_now, args.batch)

        burst_now = keynote_start - timedelta(minutes=9)  # every keynote nudge due, nothing else
        figures.rss_before_mb = rss_mb()
        seen: set[str] = set()
        claim_ms: list[float] = []
        started = time.perf_counter()
        while True:
            claim_started = time.perf_counter()
            claimed = await box.claim_due(
                burst_now, limit=args.batch, lease=timedelta(minutes=1), worker="bench"
            )
            claim_ms.append((time.perf_counter() - claim_started) * 1000)
            if not claimed:
                break
            for nudge in claimed:
                if nudge.key in seen:
                    raise AssertionError(f"{nudge.key} claimed twice")
                seen.add(nudge.key)
            if args.mark == "batch":
                marked = await box.mark_sent_many([n.key for n in claimed], "bench", burst_now)
                sent = [n.key in marked for n in claimed]
            else:
                sent = await asyncio.gather(
                    *(box.mark_sent(n.key, "bench", burst_now) for n in claimed)
                )
            if not all(sent):
                raise AssertionError("a claimed nudge could not be marked sent")
        figures.burst_s = time.perf_counter() - started
        figures.burst_count = len(seen)
        figures.claim_ms = tuple(claim_ms[:-1] or claim_ms)
        figures.rss_after_mb = rss_mb()
        expected = min(args.due, args.attendees)
        if figures.burst_count != expected:
            raise AssertionError(f"claimed {figures.burst_count} nudges, expected {expected}")

        figures.idle_after_ms = await idle_ticks(box, burst_now, args.ticks, args.batch)
        counts_ms: list[float] = []
        for _ in range(3):
            started = time.perf_counter()
            figures.counts = await box.counts()
            counts_ms.append((time.perf_counter() - started) * 1000)
        figures.counts_ms = statistics.median(counts_ms)
    return figures


def describe(figures: Figures, args: argparse.Namespace) -> str:
    def ms(values: Sequence[float]) -> str:
        return (
            f"p50 {statistics.median(values):.2f} ms, p99 {percentile(values, 0.99):.2f} ms, "
            f"max {max(values):.2f} ms"
        )

    rate = figures.burst_count / figures.burst_s if figures.burst_s else 0.0
    lines = [
        f"engine: {figures.engine}  ({args.attendees:,} attendees x {args.per_attendee})",
        f"planned and stored: {figures.planned:,} nudges; planning {figures.plan_s:.1f} s, "
        f"storing {figures.store_s:.1f} s ({figures.planned / figures.store_s:,.0f} nudges/s)",
        f"idle tick ({len(figures.idle_ms)} ticks, nothing due): {ms(figures.idle_ms)}"
        f"  [target p99 <= {IDLE_TARGET_MS:g} ms]",
        f"burst: {figures.burst_count:,} due in one minute, claimed {args.batch} at a time and "
        f"marked sent ({args.mark}) in {figures.burst_s:.2f} s = {rate:,.0f} nudges/s"
        f"  [target >= {BURST_TARGET_PER_S:g}/s]",
        f"  claim of {args.batch}: {ms(figures.claim_ms)}",
        f"  RSS {figures.rss_before_mb:.0f} MB before, {figures.rss_after_mb:.0f} MB after",
        f"idle tick after the burst: {ms(figures.idle_after_ms)}",
        f"counts ({figures.counts_ms:.0f} ms): {figures.counts}",
        "idle claim plan:",
        figures.plan,
    ]
    return "\n".join(lines)


def met(figures: Figures) -> bool:
    rate = figures.burst_count / figures.burst_s if figures.burst_s else 0.0
    idle = max(percentile(figures.idle_ms, 0.99), percentile(figures.idle_after_ms, 0.99))
    return idle <= IDLE_TARGET_MS and rate >= BURST_TARGET_PER_S


async def _drop_postgres(url: str, prefix: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.partition("?")[0], timeout=10)
    try:
        for suffix in ("nudges", "unreachable"):
            await connection.execute(f'DROP TABLE IF EXISTS "{prefix}_{suffix}"')
    finally:
        await connection.close()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.nudge_outbox", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--per-attendee", type=int, default=10)
    parser.add_argument("--due", type=int, default=10_000, help="nudges due in the burst minute")
    parser.add_argument("--ticks", type=int, default=50)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--mark",
        choices=("each", "batch"),
        default="each",
        help="mark each nudge sent on its own (concurrently), or each claimed batch at once",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("HALLWAY_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not 1 <= args.per_attendee <= 400:
        parser.error("--per-attendee must be between 1 and 400")
    if args.attendees < 1 or args.ticks < 1 or args.batch < 1 or args.due < 0:
        parser.error("--attendees, --ticks and --batch must be positive, --due not negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    figures: Any
    if args.engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hallway-nudges-") as directory:
            url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
            figures = asyncio.run(run(args, url))
    else:
        prefix = f"bench_{uuid.uuid4().hex[:12]}"
        separator = "&" if "?" in args.postgres_url else "?"
        url = f"{args.postgres_url}{separator}table={prefix}"
        try:
            figures = asyncio.run(run(args, url))
        finally:
            asyncio.run(_drop_postgres(args.postgres_url, prefix))
    print(describe(figures, args))
    return 1 if args.check and not met(figures) else 0


if __name__ == "__main__":
    sys.exit(main())
