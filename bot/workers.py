"""Several worker processes on one port, so a keynote crowd gets every core of the machine.

Python runs one thread of Python at a time, so one process uses one core. With `WORKERS=N` the
supervisor (the process started as `python app.py`) loads and checks the agenda once, opens the
listening socket, then forks N workers that each serve the whole app on that socket: whichever
worker is free accepts the next connection. A fork shares the loaded agenda and its index with
every worker until a worker writes to those pages.

What workers share is in the storage (SQLite or PostgreSQL): shortlists, conversation memory,
dedupe claims, the nudge outbox. What each holds on its own: its copy of the agenda, its
connection pools and its outbound token. So:

- Only worker 0 sends nudges: `NUDGE_RATE` and the per-conversation pace are for the whole bot.
- A reload reaches every worker. Each polls the agenda file; `POST /api/admin/reload` reloads the
  worker that got it, which then asks the supervisor (SIGUSR1) to pass a SIGHUP to the others;
  a SIGHUP to the supervisor reloads them all.
- A worker that dies is started again, after a pause that grows while it keeps dying young;
  SIGTERM or SIGINT stops them all, each finishing its turns (run_app's graceful shutdown).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

SUPERVISOR_SIGNALS = frozenset(
    {signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGCHLD}
)
STOP_GRACE_SECONDS = 30.0
"""How long stopping workers may take to finish their turns before they are killed."""
YOUNG_SECONDS = 10.0
"""A worker that dies sooner than this after its start is restarted after a growing pause."""
MAX_RESTART_PAUSE_SECONDS = 30.0
GIVE_UP_AFTER_YOUNG_DEATHS = 5
"""Consecutive early deaths of one worker after which the supervisor stops everything: a
worker that cannot start (storage unreachable, port taken) will not start the sixth time."""
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Worker:
    """Which worker this process is; `Worker.alone()` when there is no supervisor."""

    index: int
    count: int
    supervisor_pid: int | None = None

    @classmethod
    def alone(cls) -> Worker:
        return cls(index=0, count=1)

    @property
    def sends_nudges(self) -> bool:
        return self.index == 0

    def label(self) -> str:
        return f"worker {self.index + 1}/{self.count}" if self.count > 1 else ""

    def ask_others_to_reload(self) -> None:
        """After an admin reload here: the supervisor passes a SIGHUP to the other workers."""
        if self.supervisor_pid is None or os.getppid() != self.supervisor_pid:
            return  # alone, or orphaned (and about to be stopped): nobody to tell
        os.kill(self.supervisor_pid, signal.SIGUSR1)


@dataclass
class _Running:
    index: int
    started: float
    young_deaths: int = 0


class Supervisor:
    """Forks `count` workers running `serve(worker) -> exit code` and keeps them running."""

    def __init__(
        self, count: int, serve: Callable[[Worker], int], *, first_pause_seconds: float = 1.0
    ) -> None:
        """`first_pause_seconds`: before restarting a worker that died young the first time;
        it doubles with each further early death."""
        self._count = count
        self._serve = serve
        self._first_pause = first_pause_seconds
        self._running: dict[int, _Running] = {}
        self._restarts: dict[int, tuple[float, int]] = {}
        """index -> (monotonic time to start it again, young deaths so far)"""
        self._stopping_since: float | None = None
        self._exit_code = 0

    def run(self) -> int:
        # Signals wait in a queue read by sigtimedwait, with the sender's pid: no handler runs
        # in the middle of a fork or of the bookkeeping.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, SUPERVISOR_SIGNALS)
        try:
            for index in range(self._count):
                self._start(index, young_deaths=0, mask=previous)
            while self._running or (self._restarts and self._stopping_since is None):
                info = signal.sigtimedwait(SUPERVISOR_SIGNALS, self._wait_seconds())
                if info is not None:
                    self._on_signal(info.si_signo, info.si_pid)
                self._reap()
                self._restart_due(previous)
                self._kill_stragglers()
            return self._exit_code
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    # -- workers ---------------------------------------------------------------------------

    def _start(self, index: int, *, young_deaths: int, mask: set[int | signal.Signals]) -> None:
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                # A SIGHUP before the app listens for it must not end the worker; the app
                # checks the agenda file on start anyway.
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                # Its own process group: Ctrl-C in a terminal signals the supervisor alone,
                # which stops the workers once each, instead of each getting it twice.
                os.setpgid(0, 0)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                _stop_when_orphaned()
                if os.getppid() == supervisor:  # not orphaned before prctl took effect
                    code = self._serve(Worker(index, self._count, supervisor))
            except BaseException:
                log.exception("worker %d/%d failed", index + 1, self._count)
            finally:
                logging.shutdown()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)  # never run the supervisor's own clean-up in a worker
        self._running[pid] = _Running(index, time.monotonic(), young_deaths)
        log.info("worker %d/%d started (pid %d)", index + 1, self._count, pid)

    def _reap(self) -> None:
        while self._running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            worker = self._running.pop(pid, None)
            if worker is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            if self._stopping_since is not None:
                log.info("worker %d/%d stopped (%s)", worker.index + 1, self._count, _how(code))
                continue
            self._after_death(worker, code)

    def _after_death(self, worker: _Running, code: int) -> None:
        young = time.monotonic() - worker.started < YOUNG_SECONDS
        deaths = worker.young_deaths + 1 if young else 0
        if deaths >= GIVE_UP_AFTER_YOUNG_DEATHS:
            log.error(
                "worker %d/%d died %d times right after starting (%s); stopping Hallway",
                worker.index + 1, self._count, deaths, _how(code),
            )  # fmt: skip
            self._exit_code = 1
            self._stop()
            return
        pause = (
            min(self._first_pause * 2.0 ** (deaths - 1), MAX_RESTART_PAUSE_SECONDS) if deaths else 0
        )
        log.error(
            "worker %d/%d died (%s); starting it again in %.0f s",
            worker.index + 1, self._count, _how(code), pause,
        )  # fmt: skip
        self._restarts[worker.index] = (time.monotonic() + pause, deaths)

    def _wait_seconds(self) -> float:
        """Until the next signal, the next restart, or half a second (the stop deadline)."""
        if not self._restarts or self._stopping_since is not None:
            return 0.5
        soonest = min(when for when, _ in self._restarts.values())
        return min(0.5, max(0.001, soonest - time.monotonic()))

    def _restart_due(self, mask: set[int | signal.Signals]) -> None:
        if self._stopping_since is not None:
            return
        now = time.monotonic()
        for index, (when, deaths) in list(self._restarts.items()):
            if when <= now:
                del self._restarts[index]
                self._start(index, young_deaths=deaths, mask=mask)

    # -- signals ---------------------------------------------------------------------------

    def _on_signal(self, signo: int, sender: int) -> None:
        if signo in (signal.SIGTERM, signal.SIGINT):
            log.info("stopping %d workers", len(self._running))
            self._stop()
        elif signo == signal.SIGHUP:
            log.info("reloading the agenda in every worker")
            self._tell(signal.SIGHUP, except_pid=None)
        elif signo == signal.SIGUSR1 and sender in self._running:
            self._tell(signal.SIGHUP, except_pid=sender)

    def _stop(self) -> None:
        if self._stopping_since is None:
            self._stopping_since = time.monotonic()
            self._restarts.clear()
            self._tell(signal.SIGTERM, except_pid=None)

    def _kill_stragglers(self) -> None:
        if self._stopping_since is None:
            return
        if time.monotonic() - self._stopping_since > STOP_GRACE_SECONDS:
            log.warning("killing %d workers still busy after %.0f s", len(self._running),
                        STOP_GRACE_SECONDS)  # fmt: skip
            self._tell(signal.SIGKILL, except_pid=None)
            self._stopping_since = time.monotonic()  # and again, should one still linger

    def _tell(self, signo: int, *, except_pid: int | None) -> None:
        for pid in list(self._running):
            if pid != except_pid:
                with contextlib.suppress(ProcessLookupError):  # just died: _reap will see it
                    os.kill(pid, signo)


def _how(code: int) -> str:
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _stop_when_orphaned() -> None:
    """Linux: a worker gets SIGTERM when its supervisor dies (even by SIGKILL), so no worker
    goes on serving the port unsupervised. Elsewhere this is skipped."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        log.warning("cannot ask to be stopped with the supervisor (prctl unavailable)")
