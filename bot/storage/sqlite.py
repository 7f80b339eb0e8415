"""SQLite storage (``sqlite:///path``): one file, one table, safe for several processes.

All database work runs on one dedicated thread per storage object, so the event loop never waits
on the disk and this object's writes are serialised.  The file is in WAL mode (readers never
block the writer) with ``synchronous=NORMAL`` (a power cut may lose the last commits but never
corrupts the file).  Each write checks eTags and writes inside one ``BEGIN IMMEDIATE``
transaction, which takes the file's write lock first, so two processes (or two storage objects)
on the same file cannot lose each other's updates; a busy file is waited for up to
``busy_timeout_ms``.
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
from bot.storage.sqlite_thread import SqliteThread

T = TypeVar("T")

# SQLite's default limit on bound parameters is 32766 (999 before 3.32); stay well below.
_CHUNK = 500


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

    def __repr__(self) -> str:
        return f"SqliteStorage({str(self.path)!r}, table={self.table!r})"

    # -- worker thread -------------------------------------------------------------------------

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._thread.run(work)

    def _setup(self, connection: sqlite3.Connection) -> None:
        connection.execute(
            f'CREATE TABLE IF NOT EXISTS "{self.table}" ('
            " key TEXT PRIMARY KEY NOT NULL,"
            " etag TEXT NOT NULL,"
            " document TEXT NOT NULL"  # JSON
            ")"
        )

    @staticmethod
    def _in_transaction(connection: sqlite3.Connection, begin: str, work: Callable[[], T]) -> T:
        connection.execute(begin)
        try:
            result = work()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return result

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
        return self._in_transaction(connection, "BEGIN", work)  # one snapshot for all chunks

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

        self._in_transaction(connection, "BEGIN IMMEDIATE", work)

    def _delete(self, connection: sqlite3.Connection, keys: list[str]) -> None:
        def work() -> None:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                connection.execute(f'DELETE FROM "{self.table}" WHERE key IN ({marks})', chunk)

        self._in_transaction(connection, "BEGIN IMMEDIATE", work)

    # -- HallwayStorage ------------------------------------------------------------------------

    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        return await self._run(lambda connection: self._select(connection, column_keys))

    async def _save(self, writes: list[PendingWrite]) -> None:
        await self._run(lambda connection: self._upsert(connection, writes))

    async def _remove(self, column_keys: list[str]) -> None:
        await self._run(lambda connection: self._delete(connection, column_keys))

    async def _ping(self) -> None:
        await self._run(lambda connection: connection.execute("SELECT 1").fetchone())

    async def _close(self) -> None:
        await self._thread.close()
