"""The shortlist store's read-modify-write against concurrent instances.

The control test shows the concurrency test has teeth: the same load against a storage that
ignores eTags (last write wins) loses updates."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.shortlist_store import Owner, ShortlistStore
from bot.storage import open_storage
from catalogue.shortlist import Entry

OWNER = Owner("msteams", "29:alice")
START = datetime(2016, 7, 11, 11, tzinfo=ZoneInfo("America/Toronto"))


def entries(count: int) -> list[Entry]:
    return [
        Entry(
            f"s{i}", f"Talk {i}", START + timedelta(hours=i), START + timedelta(hours=i, minutes=45)
        )
        for i in range(count)
    ]


class LastWriteWins:
    """A storage that drops eTags before writing: what a naive store would do."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return await self._inner.read(keys)  # type: ignore[no-any-return]

    async def write(self, changes: dict[str, Any]) -> None:
        await asyncio.sleep(0)
        await self._inner.write({k: {**v, "e_tag": "*"} for k, v in changes.items()})

    async def delete(self, keys: list[str]) -> None:
        await self._inner.delete(keys)


async def add_all_through_two_instances(storage: Any) -> int:
    first, second = ShortlistStore(storage), ShortlistStore(storage)
    await asyncio.gather(
        *((first if i % 2 else second).add(OWNER, e) for i, e in enumerate(entries(50)))
    )
    return len((await first.get(OWNER)).entries)


async def test_two_instances_lose_no_update(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        assert await add_all_through_two_instances(storage) == 50
    finally:
        await storage.close()


async def test_control_last_write_wins_loses_updates(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    try:
        assert await add_all_through_two_instances(LastWriteWins(storage)) < 50
    finally:
        await storage.close()


async def test_remove_clear_and_the_export_token(tmp_path: Path) -> None:
    storage = open_storage("memory://")
    store = ShortlistStore(storage)
    first, second = entries(2)
    await store.add(OWNER, first)
    await store.add(OWNER, second)
    shortlist, removed = await store.remove(OWNER, first.session_id)
    assert removed and [e.session_id for e in shortlist.entries] == [second.session_id]
    assert (await store.remove(OWNER, "nope"))[1] is False
    token = await store.export_token(OWNER)
    assert token == await store.export_token(OWNER)
    assert await store.owner_of_token(token) == OWNER
    assert await store.owner_of_token("guess") is None
    shortlist, cleared = await store.clear(OWNER)
    assert cleared and shortlist.entries == () and shortlist.export_token == token
