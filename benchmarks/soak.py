"""Soak: many turns against one `python app.py`, watching errors, memory and durability.

    python -m benchmarks.soak [--turns 100000] [--users 64] [--windows 10] [--storage URL]
                              [--kill-at 0.5]

Questions and shortlist taps (adds, and now and then a removal), mixed, from `--users`
closed-loop users, in `--windows` equal slices of the turn budget; after each slice the bot's
RSS is read. The issue's targets: no error, and memory flat within 10% after warm-up (the first
slice of each process's life).

`--kill-at F` also proves durability: in the middle of the slice that holds fraction F of the
turns, the moment a reply reaches the channel (its turn not yet over, the other users' turns in
flight), the bot gets SIGKILL; it is started again on the same database and the remaining
slices run against it. The turns lost in that slice (in flight at
the kill, refused while the bot was down) are the only errors allowed, and are made up in the
next slice. At the end every shortlist change the bot acknowledged (its reply arrived) is checked
in the database through the project's own storage classes: an acknowledged add must be there, an
acknowledged removal must not, unless a later change of the same session was in flight when the
bot was killed (then either state is right).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks.load.bots import BotCommand, RunningBot, hallway, running
from benchmarks.load.generator import LoadGenerator, Plan, Result, Shape, loadavg, rss_kib
from benchmarks.load.scenarios import demo_session_ids, hallway_reply
from bot.replies import ENGLISH
from bot.shortlist_store import Owner, ShortlistStore
from bot.storage import open_storage

QUESTIONS = (
    "what's on after the keynote?",
    "anything about azure this afternoon?",
    "qu'est-ce qu'il y a en ce moment ?",
    "when is the SMB session?",
    "what's next",
    "qui parle de sécurité demain ?",
)
ADD = "shortlist_add"
REMOVE = "shortlist_remove"
GROWTH_LIMIT = 10.0
"""Percent of RSS growth allowed over the first slice of a process's life."""

PRESENT = "present"
ABSENT = "absent"


def _reply_pattern(template: str) -> re.Pattern[str]:
    """A reply template (`Added “{title}” ({when}) to your shortlist.`) as a prefix pattern:
    the placeholders match anything, and text may follow (an add can mention clashes)."""
    literals = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in literals), re.DOTALL)


# What an acknowledged tap tells about the session afterwards, from the bot's English replies.
OUTCOMES = (
    (_reply_pattern(ENGLISH.added), PRESENT),
    (_reply_pattern(ENGLISH.already_added), PRESENT),
    (_reply_pattern(ENGLISH.removed), ABSENT),
    (_reply_pattern(ENGLISH.not_on_list), ABSENT),
)
TURN_ID = re.compile(r"^(.*)u(\d+)t(\d+)$")
"""A load activity's id: the run's prefix, the user's number in the run, the turn's number."""


def mixed(session_ids: list[str]) -> Shape:
    """Two questions, then a tap on "Add to my shortlist", over and over; every fourth tap is
    "Remove" of the session added two taps before, so acknowledged removals are proved too."""
    count = len(session_ids)

    def shape(user: int, turn: int) -> Mapping[str, Any]:
        if turn % 3 != 2:
            return {"text": QUESTIONS[(user + turn) % len(QUESTIONS)], "value": None}
        tap = turn // 3
        if tap % 4 == 3:
            session_id = session_ids[(user * 37 + tap - 2) % count]
            return {"text": None, "value": {"action": REMOVE, "sessionId": session_id}}
        session_id = session_ids[(user * 37 + tap) % count]
        return {"text": None, "value": {"action": ADD, "sessionId": session_id}}

    return shape


@dataclass
class Change:
    """One shortlist tap a user sent: what, and what the bot said it did (None: no reply)."""

    turn: int
    action: str
    session_id: str
    outcome: str | None = None
    """PRESENT or ABSENT once acknowledged; None while (or if never) answered."""


@dataclass
class UserLedger:
    user_id: str = ""
    channel_id: str = ""
    changes: dict[int, Change] = field(default_factory=dict)


class Ledger:
    """Every shortlist change sent and every one acknowledged, per slice and virtual user.

    Users are new in each slice (the load generator names them per run), so a slice's ledger
    is keyed by the user's number in it. A change is acknowledged when the bot's reply to it
    reaches the channel, whatever happens to the HTTP answer to the tap (the kill can fall
    between the two). A change built after the kill is not recorded: it can only go to the
    dead port, so it cannot have changed anything."""

    def __init__(self) -> None:
        self.slices: dict[int, dict[int, UserLedger]] = {}
        self.current = 0
        self.killed = False
        self.down = False
        """Killed, and not started again yet: what users send now reaches no bot."""
        self.sent = 0
        self.answered = 0
        self.unrecognised: list[str] = []
        self._windows_by_prefix: dict[str, int] = {}
        self._answered_turns: set[str] = set()
        self._kill: tuple[int, int] | None = None
        self.kill_sent = asyncio.Event()
        self.in_flight_at_kill = 0
        self.killed_at_reply = 0
        self.killed_at = 0.0

    def kill_at(self, answered: int, pid: int) -> None:
        """SIGKILL process `pid` the moment the `answered`-th reply (or the first after it while
        another user's turn is in flight) reaches the channel: the bot has just sent it and its
        turn is not over. Other users are usually waiting for theirs, but a fast bot can have
        answered them all an instant before they send again: then the kill waits for one."""
        self._kill = (answered, pid)

    def start(self, window: int, inner: Shape) -> Shape:
        """Begin slice `window`; the shape to run it with, recording the changes sent."""
        self.current = window
        self.down = False
        self._answered_turns.clear()  # a slice's turns are answered within it (closed loop)
        users = self.slices.setdefault(window, {})

        def shape(user: int, turn: int) -> Mapping[str, Any]:
            fields = inner(user, turn)
            if self.down:
                return fields
            self.sent += 1
            value = fields.get("value")
            if isinstance(value, dict):
                ledger = users.setdefault(user, UserLedger())
                ledger.changes[turn] = Change(turn, value["action"], value["sessionId"])
            return fields

        return shape

    def replied(self, reply: Mapping[str, Any]) -> None:
        """A message from the bot reached the channel: note what it acknowledges."""
        if reply.get("type") != "message":
            return
        reply_to = str(reply.get("replyToId", ""))
        found = TURN_ID.match(reply_to)
        if found is None or reply_to in self._answered_turns:
            return
        self._answered_turns.add(reply_to)
        self.answered += 1
        in_flight = self.sent - self.answered
        if (
            self._kill is not None
            and self.answered >= self._kill[0]
            and in_flight > 0
            and not self.killed
        ):
            os.kill(self._kill[1], signal.SIGKILL)
            self.killed = self.down = True
            self.in_flight_at_kill = in_flight
            self.killed_at_reply = self.answered
            self.killed_at = time.monotonic()
            self.kill_sent.set()
        # Each run has its own id prefix; a run's first reply arrives while it is current.
        window = self._windows_by_prefix.setdefault(found[1], self.current)
        ledger = self.slices.get(window, {}).get(int(found[2]))
        change = ledger.changes.get(int(found[3])) if ledger else None
        if ledger is None or change is None:
            return  # a question's answer
        text = str(reply.get("text") or "")
        outcome = next((state for pattern, state in OUTCOMES if pattern.match(text)), None)
        if outcome is None:
            self.unrecognised.append(text[:80])
            return
        change.outcome = outcome
        recipient = reply.get("recipient") or {}
        ledger.user_id = str(recipient.get("id") or ledger.user_id)
        ledger.channel_id = str(reply.get("channelId") or ledger.channel_id)

    def expectations(self) -> list[tuple[Owner, str, frozenset[str], str]]:
        """(owner, session, states it may be in, why) for every session a user acknowledged
        a change of. Changes are replayed in turn order: an acknowledged one fixes the state,
        an unanswered one (in flight at the kill) adds its state as a possibility."""
        expected = []
        for users in self.slices.values():
            for ledger in users.values():
                if not ledger.user_id:
                    continue  # no acknowledged tap: nothing this user was promised
                owner = Owner(ledger.channel_id, ledger.user_id)
                possible: dict[str, set[str]] = {}
                acknowledged: dict[str, Change] = {}
                for change in sorted(ledger.changes.values(), key=lambda c: c.turn):
                    states = possible.setdefault(change.session_id, {ABSENT})
                    if change.outcome is not None:
                        states.clear()
                        states.add(change.outcome)
                        acknowledged[change.session_id] = change
                    else:
                        states.add(PRESENT if change.action == ADD else ABSENT)
                for session_id, last in acknowledged.items():
                    why = f"{last.action} at turn {last.turn} acknowledged ({last.outcome})"
                    expected.append((owner, session_id, frozenset(possible[session_id]), why))
        return expected

    @property
    def acknowledged(self) -> int:
        return sum(
            1
            for users in self.slices.values()
            for ledger in users.values()
            for change in ledger.changes.values()
            if change.outcome is not None
        )


@dataclass
class Window:
    number: int
    life: int
    result: Result
    rss_kib: int | None
    growth: float | None
    load: str
    killed: bool = False


@dataclass
class SoakReport:
    windows: list[Window] = field(default_factory=list)
    kill: str = ""
    """What happened at the kill, in words; empty without --kill-at."""
    restart_seconds: float | None = None
    """From the SIGKILL to the restarted bot answering /healthz."""
    acknowledged: int = 0
    acknowledged_before_kill: int = 0
    checked: int = 0
    uncertain: int = 0
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.lost


class RecordingGenerator(LoadGenerator):
    """The load generator, telling the ledger of every reply as it reaches the channel.

    The generator itself only hands a reply to its check once the HTTP answer to the turn is in;
    a reply that arrives and then sees its turn's connection cut by the kill would go unseen."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self._ledger = ledger

    async def _receive(self, request: web.Request) -> web.Response:
        try:
            reply = json.loads(await request.read())  # aiohttp keeps the body for the next read
        except ValueError:
            reply = None
        if isinstance(reply, dict):
            self._ledger.replied(reply)
        return await super()._receive(request)


def _connection_error(kind: str) -> bool:
    """Whether an error the generator counted is a failed connection (what a kill causes)."""
    error_type = getattr(aiohttp, kind, None)
    return isinstance(error_type, type) and issubclass(error_type, aiohttp.ClientConnectionError)


async def _killed(bot: RunningBot, ledger: Ledger, report: SoakReport, users: int) -> None:
    await ledger.kill_sent.wait()
    await bot.process.wait()
    report.kill = (
        f"SIGKILL as reply {ledger.killed_at_reply:,} reached the channel, "
        f"{ledger.in_flight_at_kill} other users of {users} waiting for theirs"
    )
    report.acknowledged_before_kill = ledger.acknowledged


async def soak(
    turns: int,
    users: int,
    windows: int,
    storage: str,
    *,
    kill_at: float | None = None,
    command: BotCommand | None = None,
    ledger: Ledger | None = None,
    verbose: bool = True,
) -> SoakReport:
    per_window = max(turns // windows, users)
    command = command or hallway("--storage", storage, "--now", "2016-07-11T09:30")
    report = SoakReport()
    ledger = ledger or Ledger()
    # The kill falls in the middle of the slice that holds fraction `kill_at` of the turns.
    kill_window = min(windows, max(1, math.ceil(kill_at * windows))) if kill_at else 0
    shape = mixed(demo_session_ids())

    def say(text: str) -> None:
        if verbose:
            print(text, flush=True)

    say(f"{'window':>6} {'life':>4} {'turns':>7} {'turns/s':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'RSS MB':>7} {'vs warm':>8}  load")  # fmt: skip
    window, life, carry = 1, 0, 0
    async with RecordingGenerator(ledger) as generator:
        while window <= windows or carry:
            life += 1
            baseline: int | None = None
            async with running(command) as bot:
                if ledger.killed and report.restart_seconds is None:
                    report.restart_seconds = time.monotonic() - ledger.killed_at
                while window <= windows or carry:
                    budget = (per_window if window <= windows else 0) + carry
                    carry = 0
                    killing = window == kill_window and not ledger.killed
                    killer = None
                    if killing:
                        ledger.kill_at(ledger.answered + budget // 2, bot.pid)
                        killer = asyncio.create_task(_killed(bot, ledger, report, users))
                    plan = Plan(users=users, seconds=3600, warmup=0, max_turns=budget)
                    result = await generator.run(
                        bot.url,
                        plan,
                        ledger.start(window, shape),
                        check=hallway_reply,
                        pid=bot.pid,
                    )
                    if killer is not None:
                        if ledger.killed:
                            await killer
                        else:  # the slice ended before its kill point (a reply went missing)
                            killer.cancel()
                            report.problems.append(f"window {window}: ended before the kill")
                        carry = budget - result.turns  # make up the turns the kill cost
                    rss = rss_kib(bot.pid) if bot.process.returncode is None else None
                    growth = None
                    if rss is not None:
                        if baseline is None:
                            baseline = rss  # the first slice of each life is its warm-up
                        else:
                            growth = (rss - baseline) / baseline * 100
                    row = Window(window, life, result, rss, growth, loadavg(), killing)
                    report.windows.append(row)
                    _judge(row, report)
                    say(_row(row))
                    window += 1
                    if killing:
                        break  # start the bot again on the same database
    await verify(ledger, storage, report)
    report.problems += [f"not a reply to a shortlist tap: {t!r}" for t in ledger.unrecognised]
    say(_summary(report, kill_at is not None))
    return report


def _judge(row: Window, report: SoakReport) -> None:
    result = row.result
    if row.killed:
        unexpected = {k: n for k, n in result.errors.items() if not _connection_error(k)}
        if unexpected:
            report.problems.append(f"window {row.number}: errors besides the kill: {unexpected}")
    elif result.error_count:
        report.problems.append(
            f"window {row.number}: {dict(result.errors)} e.g. {result.error_examples[:2]}"
        )
    if row.growth is not None and row.growth > GROWTH_LIMIT:
        report.problems.append(f"window {row.number}: RSS {row.growth:+.1f}% over warm-up")


def _row(row: Window) -> str:
    result = row.result
    rss = f"{row.rss_kib / 1024:>7.1f}" if row.rss_kib else f"{'-':>7}"
    growth = f"{row.growth:>+7.1f}%" if row.growth is not None else f"{'-':>8}"
    mark = "  <- SIGKILL, restarted" if row.killed else ""
    return (
        f"{row.number:>6} {row.life:>4} {result.turns:>7} {result.turns_per_second:>8.1f} "
        f"{result.percentile(99):>8.1f} {result.error_count:>6} {rss} {growth}  "
        f"{row.load}{mark}"
    )


async def verify(ledger: Ledger, storage: str, report: SoakReport) -> None:
    """Read every acknowledged change back from the database, bot stopped, through
    `ShortlistStore` on the project's storage backend (as the bot itself reads it)."""
    report.acknowledged = ledger.acknowledged
    expectations = ledger.expectations()
    if not expectations or storage.startswith("memory:"):
        return
    store = open_storage(storage)
    try:
        shortlists = ShortlistStore(store)
        held: dict[Owner, frozenset[str]] = {}
        for owner, session_id, states, why in expectations:
            if owner not in held:
                held[owner] = (await shortlists.get(owner)).ids
            actual = PRESENT if session_id in held[owner] else ABSENT
            report.checked += 1
            report.uncertain += len(states) > 1
            if actual not in states:
                report.lost.append(f"{owner.user_id} {session_id}: {actual}, but {why}")
    finally:
        await store.close()


def _summary(report: SoakReport, killed: bool) -> str:
    lines = [report.kill]
    if report.restart_seconds is not None:
        lines.append(f"restarted on the same database, answering in {report.restart_seconds:.1f} s")
    if report.checked:
        before = (
            f", {report.acknowledged_before_kill:,} before the kill; {report.uncertain} with a "
            "change in flight at the kill"
            if killed
            else ""
        )
        lines.append(
            f"durability: {report.checked:,} sessions with acknowledged changes checked in the "
            f"database ({report.acknowledged:,} acknowledged taps{before}): "
            f"{len(report.lost)} lost"
        )
    lines += [f"  lost: {line}" for line in report.lost[:20]]
    lines += [f"  problem: {line}" for line in report.problems]
    target = f"no error; RSS within {GROWTH_LIMIT:g}% of each life's first window"
    if killed:
        target += "; nothing acknowledged lost through kill -9"
    lines.append(f"{'PASS' if report.ok else 'FAIL'} ({target})")
    return "\n".join(line for line in lines if line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--windows", type=int, default=10)
    parser.add_argument("--storage", default="", help="default: a scratch SQLite file")
    parser.add_argument(
        "--kill-at",
        type=float,
        default=None,
        metavar="F",
        help="SIGKILL the bot in the middle of the slice holding fraction F of the turns "
        "(0 < F <= 1), restart it on the same database, and check nothing acknowledged is lost",
    )
    args = parser.parse_args(argv)
    if args.kill_at is not None and not 0 < args.kill_at <= 1:
        parser.error("--kill-at must be in (0, 1]")
    if args.kill_at is not None and args.storage.startswith("memory:"):
        parser.error("--kill-at needs durable storage (SQLite or PostgreSQL)")
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        storage = args.storage or f"sqlite:///{Path(scratch) / 'state.sqlite3'}"
        report = asyncio.run(
            soak(args.turns, args.users, args.windows, storage, kill_at=args.kill_at)
        )
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
