"""SQLite reads on the event loop: fast when the file is free, still correct when it is not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.storage.sqlite import SqliteStorage


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
