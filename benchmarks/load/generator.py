"""A closed-loop load generator that speaks the Bot Framework protocol, as a channel does.

Each of N virtual users POSTs a message activity to the bot's `/api/messages` and waits until
the bot's reply to it arrives at the generator's own connector server (the activity's
`serviceUrl`, on 127.0.0.1): the reply is `POST /v3/conversations/{id}/activities/{replyToId}`
and is matched to its turn by `replyToId`. Latency is send-to-reply. A user starts its next
turn only once both the reply and the HTTP answer to its POST are in (closed loop).

Every run is bounded: by duration, by a total turn count, and each turn by a timeout. Turns
started during the warm-up are not counted. The activities are the shared Emulator message
(`emulator-message-user-hello.json`) with a unique `id`, a `from.id` and `conversation.id` per
user, the current time as `timestamp` (as the channel stamps it), and the scenario's fields.

Figures: turns per second over the measured window, p50/p90/p99 latency, errors (non-2xx, no
reply within the timeout, connection failures, replies the scenario's check refuses), the bot
process's resident memory before the run and after it (`VmRSS`), its CPU time per measured turn,
the generator's own CPU use, and the load average at the start and end.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import os
import secrets
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HALLWAY_SHARED", ROOT.parent / "shared"))
TEMPLATE = SHARED / "activities" / "emulator-message-user-hello.json"

Shape = Callable[[int, int], Mapping[str, Any]]
"""(user, turn) -> fields to set on the activity; a value of None removes the field."""
Check = Callable[[Mapping[str, Any]], str | None]
"""A reply -> what is wrong with it, or None when it is the reply the scenario expects."""
Label = Callable[[Mapping[str, Any]], str]
"""A reply -> a short label counted in the result (e.g. "added" / "already" on the shortlist)."""

MAX_EXAMPLES = 5


def say(text: str) -> Shape:
    """Every turn sends the same text."""
    fields = {"text": text}
    return lambda user, turn: fields


@dataclass(frozen=True)
class Plan:
    users: int
    seconds: float
    warmup: float = 2.0
    max_turns: int = 500_000
    turn_timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.users < 1 or self.seconds <= 0 or self.warmup < 0 or self.max_turns < 1:
            raise ValueError(f"not a usable plan: {self}")


@dataclass
class Result:
    users: int
    window_seconds: float = 0.0
    started: int = 0
    """Turns begun, warm-up included."""
    turns: int = 0
    """Measured turns that got their reply."""
    warmup_turns: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    extra_replies: int = 0
    """Replies to one of this run's activities after its first reply (or after it gave up)."""
    stray_replies: int = 0
    """Calls to the connector that match no activity of this run."""
    rss_before_kib: int | None = None
    rss_after_kib: int | None = None
    pss_after_kib: int | None = None
    processes: int = 1
    """The bot's processes at the end (a supervisor and its workers)."""
    bot_cpu_seconds: float | None = None
    generator_cpu_seconds: float = 0.0
    loadavg_start: str = ""
    loadavg_end: str = ""

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.window_seconds if self.window_seconds > 0 else 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile (0-100) of the measured latencies, nearest rank; NaN if none."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def bot_cpu_ms_per_turn(self) -> float | None:
        if self.bot_cpu_seconds is None or not self.turns:
            return None
        return self.bot_cpu_seconds * 1000 / self.turns

    @property
    def generator_cpu_percent(self) -> float:
        if self.window_seconds <= 0:
            return 0.0
        return self.generator_cpu_seconds / self.window_seconds * 100

    def summary(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "window_seconds": round(self.window_seconds, 3),
            "started": self.started,
            "turns": self.turns,
            "warmup_turns": self.warmup_turns,
            "turns_per_second": round(self.turns_per_second, 1),
            "p50_ms": round(self.p50, 2),
            "p90_ms": round(self.percentile(90), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies_ms), 2) if self.latencies_ms else None,
            "errors": dict(self.errors),
            "error_examples": self.error_examples,
            "labels": dict(self.labels),
            "extra_replies": self.extra_replies,
            "stray_replies": self.stray_replies,
            "rss_before_kib": self.rss_before_kib,
            "pss_after_kib": self.pss_after_kib,
            "processes": self.processes,
            "rss_after_kib": self.rss_after_kib,
            "bot_cpu_ms_per_turn": (
                round(self.bot_cpu_ms_per_turn, 3) if self.bot_cpu_ms_per_turn else None
            ),
            "generator_cpu_percent": round(self.generator_cpu_percent, 1),
            "loadavg_start": self.loadavg_start,
            "loadavg_end": self.loadavg_end,
        }


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (a supervisor and its workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    tree, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting.extend(children.get(current, ()))
    return tree


def _status_kib(pid: int, field: str, path: str = "status") -> int | None:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_kib(pid: int) -> int | None:
    """Resident memory (`VmRSS`) of process `pid` and its workers, summed, in KiB. Pages a
    supervisor shares with the workers it forked count once per process here; `pss_kib`
    counts them once."""
    return _tree_kib(pid, "VmRSS:", "status")


def pss_kib(pid: int) -> int | None:
    """Proportional set size of `pid` and its workers, summed, in KiB (`Pss` of
    /proc/<pid>/smaps_rollup): each shared page is split among the processes sharing it."""
    return _tree_kib(pid, "Pss:", "smaps_rollup")


def _tree_kib(pid: int, field: str, path: str) -> int | None:
    total = 0
    for member in process_tree(pid):
        kib = _status_kib(member, field, path)
        if kib is None and member == pid:
            return None
        total += kib or 0
    return total


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time so far of process `pid` and its workers (/proc/<pid>/stat)."""
    total = 0.0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            if member == pid:
                return None
            continue
        # After the command name: state is field 3, utime field 14, stime field 15.
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as file:
            return " ".join(file.read().split()[:3])
    except OSError:
        return "?"


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(f"shared activity {path} not found (set HALLWAY_SHARED)")
    activity = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(activity, dict) or activity.get("type") != "message":
        raise ValueError(f"{path} is not a message activity")
    return activity


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class LoadGenerator:
    """The connector server and the HTTP client pool, shared by the runs made with it.

    Use as `async with LoadGenerator() as generator: result = await generator.run(...)`.
    """

    def __init__(self, template: Mapping[str, Any] | None = None) -> None:
        self._template = copy.deepcopy(dict(template or load_template()))
        self._pending: dict[str, asyncio.Future[tuple[float, dict[str, Any]]]] = {}
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self._prefix = ""
        self._result: Result | None = None
        self._resource_ids = itertools.count(1)
        self.service_url = ""

    async def __aenter__(self) -> LoadGenerator:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._receive)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.service_url = f"http://127.0.0.1:{port}"
        # One pool of keep-alive connections for all virtual users; the runs size it.
        self._client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        arrived = time.perf_counter()
        try:
            activity = json.loads(body)
        except ValueError:
            activity = {}
        reply_to = activity.get("replyToId") or request.match_info.get("reply_to") or ""
        result = self._result
        is_message = activity.get("type") == "message"
        waiter = self._pending.pop(reply_to, None) if is_message else None
        if waiter is not None and not waiter.done():
            waiter.set_result((arrived, activity))
        elif result is not None:
            if self._prefix and reply_to.startswith(self._prefix):
                result.extra_replies += 1
            else:
                result.stray_replies += 1
        return web.json_response({"id": f"reply-{next(self._resource_ids)}"})

    def activity(self, user: int, turn: int, shape: Shape) -> dict[str, Any]:
        activity = dict(self._template)
        activity_id = f"{self._prefix}u{user}t{turn}"
        activity["id"] = activity_id
        activity["timestamp"] = _stamp()
        activity.pop("localTimestamp", None)
        activity["serviceUrl"] = self.service_url
        activity["from"] = {**self._template["from"], "id": f"{self._prefix}user-{user}"}
        activity["conversation"] = {"id": f"{self._prefix}conv-{user}"}
        activity["channelData"] = {"clientActivityID": activity_id}
        for name, value in shape(user, turn).items():
            if value is None:
                activity.pop(name, None)
            else:
                activity[name] = value
        return activity

    async def run(
        self,
        bot_url: str,
        plan: Plan,
        shape: Shape,
        *,
        check: Check | None = None,
        label: Label | None = None,
        pid: int | None = None,
    ) -> Result:
        """Drive the bot at `bot_url` (its base URL) with `plan.users` closed-loop users."""
        if self._client is None:
            raise RuntimeError("use LoadGenerator as an async context manager")
        client = self._client
        self._prefix = f"load-{secrets.token_hex(4)}-"
        result = Result(users=plan.users, loadavg_start=loadavg())
        self._result = result
        if pid is not None:
            result.rss_before_kib = rss_kib(pid)
        loop = asyncio.get_running_loop()
        started_at = loop.time()
        warm_end = started_at + plan.warmup
        end = warm_end + plan.seconds
        wall_warm_end = time.perf_counter() + plan.warmup
        budget = itertools.count()
        last_finish = [wall_warm_end]
        endpoint = f"{bot_url.rstrip('/')}/api/messages"
        timeout = aiohttp.ClientTimeout(total=plan.turn_timeout)

        def error(kind: str, detail: str) -> None:
            result.errors[kind] += 1
            if len(result.error_examples) < MAX_EXAMPLES:
                result.error_examples.append(f"{kind}: {detail}"[:300])

        async def user(number: int) -> None:
            for turn in itertools.count():
                now = loop.time()
                if now >= end or next(budget) >= plan.max_turns:
                    return
                measured = now >= warm_end
                result.started += 1
                activity = self.activity(number, turn, shape)
                activity_id = activity["id"]
                waiter: asyncio.Future[tuple[float, dict[str, Any]]] = loop.create_future()
                self._pending[activity_id] = waiter
                sent = time.perf_counter()
                reply: dict[str, Any] | None = None
                arrived = sent
                try:
                    async with asyncio.timeout(plan.turn_timeout):
                        async with client.post(endpoint, json=activity, timeout=timeout) as answer:
                            await answer.read()
                            status = answer.status
                        if 200 <= status < 300:
                            arrived, reply = await waiter
                        else:
                            error(f"HTTP {status}", f"{activity_id}")
                except TimeoutError:
                    error("timeout", f"{activity_id}: no reply within {plan.turn_timeout:g} s")
                except aiohttp.ClientError as failure:
                    error(type(failure).__name__, f"{activity_id}: {failure}")
                    await asyncio.sleep(0.05)  # do not spin against a dead bot
                finally:
                    self._pending.pop(activity_id, None)
                    if not waiter.done():
                        waiter.cancel()
                if reply is not None:
                    problem = check(reply) if check is not None else None
                    if problem is not None:
                        error("bad reply", f"{activity_id}: {problem}")
                    elif measured:
                        result.turns += 1
                        result.latencies_ms.append((arrived - sent) * 1000)
                        if label is not None:
                            result.labels[label(reply)] += 1
                    else:
                        result.warmup_turns += 1
                if measured:
                    last_finish[0] = max(last_finish[0], time.perf_counter())

        async def sample_at_warm_end() -> tuple[float | None, float]:
            await asyncio.sleep(max(0.0, warm_end - loop.time()))
            return (cpu_seconds(pid) if pid is not None else None), time.process_time()

        sampler = asyncio.create_task(sample_at_warm_end())
        try:
            await asyncio.gather(*(user(n) for n in range(plan.users)))
        finally:
            warmed_up = sampler.done()
            if not warmed_up:  # the run ended before the warm-up did
                sampler.cancel()
        bot_cpu_start, generator_cpu_start = (
            sampler.result() if warmed_up else (None, time.process_time())
        )
        result.generator_cpu_seconds = time.process_time() - generator_cpu_start
        result.window_seconds = max(0.0, last_finish[0] - wall_warm_end)
        if pid is not None:
            bot_cpu_end = cpu_seconds(pid)
            if bot_cpu_start is not None and bot_cpu_end is not None:
                result.bot_cpu_seconds = bot_cpu_end - bot_cpu_start
            result.rss_after_kib = rss_kib(pid)
            result.pss_after_kib = pss_kib(pid)
            result.processes = len(process_tree(pid))
        result.loadavg_end = loadavg()
        await asyncio.sleep(0.1)  # let late replies land in this run's counts
        self._result = None
        self._pending.clear()
        return result
