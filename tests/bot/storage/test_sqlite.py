"""SQLite specifics: reads on the event loop, several connections opening one new file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.storage.sqlite import SqliteStorage
from bot.storage.sqlite_thread import busy


async def test_reads_see_what_another_connection_committed(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first, second = SqliteStorage(path), SqliteStorage(path)
    try:
        await first.write({"a": {"n": 1}})
        assert (await second.read(["a"]))["a"]["n"] == 1
        await first.write({"a": {"n": 2}})
        assert (await second.read(["a"]))["a"]["n"] == 2  # the reader sees new commits
    finally:
        await first.close()
        await second.close()


class _BusyReader:
    """Stands in for the on-loop connection at a moment it could only wait (another process
    recovering the WAL): a state that cannot be produced on demand while this storage's own
    connections hold the file open."""

    def execute(self, *args: object) -> None:
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY
        raise error

    def close(self) -> None:
        pass


async def test_a_read_that_would_wait_goes_to_the_storage_thread(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "state.sqlite3")
    try:
        await storage.write({"a": {"n": 1}})
        storage._reader = _BusyReader()  # type: ignore[assignment]
        assert (await storage.read(["a"]))["a"]["n"] == 1
    finally:
        await storage.close()


async def test_workers_opening_a_new_file_at_once_all_start(tmp_path: Path) -> None:
    """Switching a new file to WAL needs it to itself; four storages (as several workers
    starting together) used to fail now and then with 'database is locked'."""
    for attempt in range(15):
        path = tmp_path / f"fresh-{attempt}.sqlite3"
        storages = [SqliteStorage(path) for _ in range(4)]
        try:
            await asyncio.gather(*(storage.ping() for storage in storages))
        finally:
            for storage in storages:
                await storage.close()


def test_every_extended_busy_code_counts_as_busy() -> None:
    for code in (sqlite3.SQLITE_BUSY, 261, 517, 773):  # plain, recovery, snapshot, timeout
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = code
        assert busy(error)
    error = sqlite3.OperationalError("no such table")
    error.sqlite_errorcode = sqlite3.SQLITE_ERROR
    assert not busy(error)
