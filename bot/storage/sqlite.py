"""SQLite storage (``sqlite:///path``): one file, one table, safe for several processes.

Writes run on one dedicated thread per storage object, so the event loop never waits for the
file's write lock and this object's writes are serialised.  Reads of a few rows run on the event
loop itself, on a read-only connection that never waits: in WAL mode a reader does not wait for
writers, the rows a turn reads are in the page cache, and reading three of them that way costs
~20 µs of CPU against ~100 µs through the thread (the hand-off there and back dominates).  In
the rare moments a read would have to wait (another process recovering or resetting the WAL),
it is handed to the thread, which waits up to the busy timeout.

The file is in WAL mode (readers never block the writer) with ``synchronous=NORMAL`` (a power
cut may lose the last commits but never corrupts the file).  Each write checks eTags and writes
inside one ``BEGIN IMMEDIATE`` transaction, which takes the file's write lock first, so two
processes (or two storage objects) on the same file cannot lose each other's updates; a busy
file is waited for up to ``busy_timeout_ms``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from bot.storage import (
    DEFAULT_TABLE,
    HallwayStorage,
    PendingWrite,
    StorageConflictError,
    StoredRow,
    table_name,
)
from bot.storage.sqlite_thread import SqliteThread, busy

T = TypeVar("T")

# SQLite's default limit on bound parameters is 32766 (999 before 3.32); stay well below.
_CHUNK = 500


def _open_reader(path: Path) -> sqlite3.Connection:
    # check_same_thread (the default) keeps it on the event loop's thread.
    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    reader.execute("PRAGMA busy_timeout = 0")
    return reader


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SqliteStorage(HallwayStorage):
    """State rows ``(key TEXT PRIMARY KEY, etag TEXT, document TEXT)`` in one SQLite file.

    The parent directory and the file are created on first use; `ping` reports a path that
    cannot be opened.
    """

    kind = "sqlite"

    def __init__(
        self, path: Path, *, table: str = DEFAULT_TABLE, busy_timeout_ms: int = 10_000
    ) -> None:
        super().__init__()
        self.path = path
        self.table = table_name(table)
        self._thread = SqliteThread(
            path, busy_timeout_ms=busy_timeout_ms, thread_name="hallway-sqlite", setup=self._setup
        )
        self._file_ready = False
        """The thread has opened the file and made the table: reads may use `_reader`."""
        self._reader: sqlite3.Connection | None = None
        """Read-only, never waiting, used on the event loop only."""

    def __repr__(self) -> str:
        return f"SqliteStorage({str(self.path)!r}, table={self.table!r})"

    # -- worker thread -------------------------------------------------------------------------

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        result = await self._thread.run(work)
        self._file_ready = True
        return result

    def _read_on_loop(self, column_keys: list[str]) -> dict[str, StoredRow] | None:
        """The rows, read without leaving the event loop; None if that would mean waiting."""
        if not self._file_ready:
            return None
        try:
            if self._reader is None:
                self._reader = _open_reader(self.path)
            return self._select(self._reader, column_keys)
        except sqlite3.OperationalError as error:
            if busy(error) or (error.sqlite_errorcode & 0xFF) == sqlite3.SQLITE_LOCKED:
                return None
            raise

    def _setup(self, connection: sqlite3.Connection) -> None:
        connection.execute(
            f'CREATE TABLE IF NOT EXISTS "{self.table}" ('
            " key TEXT PRIMARY KEY NOT NULL,"
            " etag TEXT NOT NULL,"
            " document TEXT NOT NULL"  # JSON
            ")"
        )

    def _select(self, connection: sqlite3.Connection, keys: list[str]) -> dict[str, StoredRow]:
        def work() -> dict[str, StoredRow]:
            rows: dict[str, StoredRow] = {}
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                cursor = connection.execute(
                    f'SELECT key, etag, document FROM "{self.table}" WHERE key IN ({marks})',
                    chunk,
                )
                for key, etag, document in cursor:
                    rows[key] = StoredRow(etag, document)
            return rows

        if len(keys) <= _CHUNK:
            return work()
        return self._thread.reading(connection, work)  # one snapshot for all chunks

    def _upsert(self, connection: sqlite3.Connection, writes: list[PendingWrite]) -> None:
        def work() -> None:
            for item in writes:
                if item.expected_etag is not None:
                    row = connection.execute(
                        f'SELECT etag FROM "{self.table}" WHERE key = ?', (item.column_key,)
                    ).fetchone()
                    if row is not None and row[0] != item.expected_etag:
                        raise StorageConflictError(item.key, item.expected_etag, row[0])
                connection.execute(
                    f'INSERT INTO "{self.table}" (key, etag, document) VALUES (?, ?, ?)'
                    " ON CONFLICT (key) DO UPDATE"
                    " SET etag = excluded.etag, document = excluded.document",
                    (item.column_key, item.new_etag, item.document),
                )

        self._thread.writing(connection, work)

    def _delete(self, connection: sqlite3.Connection, keys: list[str]) -> None:
        def work() -> None:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                connection.execute(f'DELETE FROM "{self.table}" WHERE key IN ({marks})', chunk)

        self._thread.writing(connection, work)

    # -- HallwayStorage ------------------------------------------------------------------------

    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        rows = self._read_on_loop(column_keys)
        if rows is not None:
            return rows
        return await self._run(lambda connection: self._select(connection, column_keys))

    async def _save(self, writes: list[PendingWrite]) -> None:
        await self._run(lambda connection: self._upsert(connection, writes))

    async def _remove(self, column_keys: list[str]) -> None:
        await self._run(lambda connection: self._delete(connection, column_keys))

    async def _ping(self) -> None:
        await self._run(lambda connection: connection.execute("SELECT 1").fetchone())

    async def _close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await self._thread.close()
