"""One SQLite connection on one dedicated thread, shared by the SQLite state storage and the
SQLite nudge outbox.

All database work of an owner runs on its own worker thread, so the event loop never waits on
the disk and the owner's writes are serialised. The file is opened on first use in WAL mode
(readers never block the writer) with ``synchronous=NORMAL`` (a power cut may lose the last
commits but never corrupts the file), and a busy file is waited for up to the busy timeout.

Write transactions take the file's write lock with their own quick retries (`writing`) rather
than SQLite's busy handler, whose pauses grow 1, 2, 5, 10… up to 100 ms: with several worker
processes writing hundreds of times a second, a lock held for a fraction of a millisecond then
cost some turns a tenth of a second or more.

The hand-off is a plain queue to the thread and `call_soon_threadsafe` back, not an executor:
`run_in_executor` builds a `concurrent.futures.Future` (a lock and a condition) and chains it to
an asyncio one for every call, which under load cost several times the SQLite work of a turn's
read. The thread starts on first use, so a supervisor can build storage before it forks.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Job = tuple[Callable[[], Any], asyncio.Future[Any], asyncio.AbstractEventLoop]

FIRST_LOCK_PAUSE = 0.0002
"""Seconds before the second try for the write lock; doubling up to `LONGEST_LOCK_PAUSE`."""
LONGEST_LOCK_PAUSE = 0.002


class SqliteThread:
    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_ms: int,
        thread_name: str,
        setup: Callable[[sqlite3.Connection], None],
    ) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._setup = setup
        self._thread_name = thread_name
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self._connection: sqlite3.Connection | None = None  # touched on the worker thread only

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._on_thread(lambda: work(self._connected()))

    def writing(self, connection: sqlite3.Connection, work: Callable[[], T]) -> T:
        """`work` in one write transaction (on the thread, inside `run`): the write lock first
        (BEGIN IMMEDIATE), so no other writer can slip in between its reads and its writes."""
        self._retry_while_busy(connection, "BEGIN IMMEDIATE")
        return _finish(connection, work)

    @staticmethod
    def reading(connection: sqlite3.Connection, work: Callable[[], T]) -> T:
        """`work` in one read transaction: one snapshot for several statements."""
        connection.execute("BEGIN")
        return _finish(connection, work)

    def _retry_while_busy(self, connection: sqlite3.Connection, statement: str) -> None:
        """`statement` (one that takes a lock), tried again after a short, jittered, growing
        pause while another connection holds the lock, up to the busy timeout."""
        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        pause = FIRST_LOCK_PAUSE
        connection.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    connection.execute(statement)
                    return
                except sqlite3.OperationalError as error:
                    if not busy(error):
                        raise
                    if time.monotonic() >= deadline:
                        raise
                time.sleep(pause * random.uniform(0.5, 1.5))  # writers out of step
                pause = min(pause * 2, LONGEST_LOCK_PAUSE)
        finally:
            # Other statements (a read during another process's WAL recovery) keep waiting.
            connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")

    async def close(self) -> None:
        if self._thread is None:
            return
        try:
            await self._on_thread(self._disconnect)
        finally:
            self._jobs.put(None)  # the thread ends after the jobs before it
            self._thread = None

    async def _on_thread(self, job: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._start()
        self._jobs.put((job, future, loop))
        return await future

    def _start(self) -> None:
        with self._starting:
            if self._thread is None:
                # A daemon: a process that exits without closing its storage is not held up;
                # SQLite rolls back a transaction cut short, so the file stays whole.
                self._thread = threading.Thread(
                    target=self._serve, name=self._thread_name, daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, future, loop = job
            try:
                result = work()
            except BaseException as error:
                _settle(loop, future, _fail, error)
            else:
                _settle(loop, future, _succeed, result)

    def _connected(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = self._connect()
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self.path, timeout=self._busy_timeout_ms / 1000, isolation_level=None
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            # Switching to WAL needs the file to itself: several workers opening a new file
            # at once take turns.
            self._retry_while_busy(connection, "PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            self._setup(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY in any of its extended forms (recovery, snapshot, timeout): another
    connection holds what this statement needs, for now."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def _finish(connection: sqlite3.Connection, work: Callable[[], T]) -> T:
    """Run `work` in the transaction just begun: commit, or roll back if it raised."""
    try:
        result = work()
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return result


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    outcome: Callable[[asyncio.Future[Any], Any], None],
    value: Any,
) -> None:
    with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting any more
        loop.call_soon_threadsafe(outcome, future, value)


def _succeed(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # a cancelled caller no longer wants it
        future.set_result(result)


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
