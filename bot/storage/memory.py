"""In-process storage for tests (``memory://``).

It keeps the same encoded rows as the durable backends, so a test on memory sees exactly what a
run on SQLite or PostgreSQL would: values come back as fresh copies with a new eTag per write.
"""

from __future__ import annotations

from bot.storage import HallwayStorage, PendingWrite, StorageConflictError, StoredRow


class InMemoryStorage(HallwayStorage):
    """Rows in a dict.  Every operation runs without awaiting, so each one is atomic."""

    kind = "memory"

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, StoredRow] = {}

    def __repr__(self) -> str:
        return f"InMemoryStorage({len(self._rows)} rows)"

    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        return {key: self._rows[key] for key in column_keys if key in self._rows}

    async def _save(self, writes: list[PendingWrite]) -> None:
        for item in writes:
            current = self._rows.get(item.column_key)
            if (
                item.expected_etag is not None
                and current is not None
                and current.etag != item.expected_etag
            ):
                raise StorageConflictError(item.key, item.expected_etag, current.etag)
        for item in writes:
            self._rows[item.column_key] = StoredRow(item.new_etag, item.document)

    async def _remove(self, column_keys: list[str]) -> None:
        for key in column_keys:
            self._rows.pop(key, None)

    async def _ping(self) -> None:
        return None

    async def _close(self) -> None:
        self._rows.clear()
