"""`TurnScope`: one batched read, held last-write-wins writes, one all-or-nothing commit."""

from __future__ import annotations

import pytest

from bot.storage import PendingWrite, StorageConflictError, StoredRow
from bot.storage.memory import InMemoryStorage
from bot.storage.turn_scope import TurnScopedStorage


class CountingStorage(InMemoryStorage):
    """The real in-memory backend, counting its round trips."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[list[str]] = []
        self.saves: list[list[str]] = []

    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        self.loads.append(column_keys)
        return await super()._load(column_keys)

    async def _save(self, writes: list[PendingWrite]) -> None:
        self.saves.append([w.key for w in writes])
        await super()._save(writes)


@pytest.fixture
async def backend() -> CountingStorage:
    storage = CountingStorage()
    await storage.write({"shortlist/u": {"entries": [1]}, "memory/u": {"lead": "old"}})
    storage.loads.clear()
    storage.saves.clear()
    return storage


async def test_reads_after_a_prefetch_cost_nothing(backend: CountingStorage) -> None:
    state = TurnScopedStorage(backend)
    with state.scope() as scope:
        await scope.prefetch(["shortlist/u", "memory/u", "reference/u"])
        assert (await state.read(["shortlist/u"]))["shortlist/u"]["entries"] == [1]
        assert await state.read(["reference/u"]) == {}  # known to be absent
        assert len(backend.loads) == 1
        await state.read(["other"])  # not prefetched: read on demand, once
        await state.read(["other"])
    assert len(backend.loads) == 2


async def test_last_write_wins_writes_wait_for_the_commit(backend: CountingStorage) -> None:
    state = TurnScopedStorage(backend)
    with state.scope() as scope:
        await scope.prefetch(["memory/u"])
        await state.write({"memory/u": {"lead": "new", "e_tag": "*"}})
        await state.write({"reference/u": {"where": "here", "e_tag": "*"}})
        assert backend.saves == []
        assert (await state.read(["memory/u"]))["memory/u"]["lead"] == "new"  # read your write
        await scope.commit(claim="seen/1")
    assert backend.saves == [["memory/u", "reference/u", "seen/1"]]
    stored = await backend.read(["memory/u", "reference/u", "seen/1"])
    assert stored["memory/u"]["lead"] == "new"
    assert set(stored) == {"memory/u", "reference/u", "seen/1"}


async def test_a_taken_claim_drops_the_whole_commit(backend: CountingStorage) -> None:
    await backend.write({"seen/1": {"e_tag": "hallway:claim"}})
    state = TurnScopedStorage(backend)
    with state.scope() as scope:
        await state.write({"memory/u": {"lead": "duplicate", "e_tag": "*"}})
        with pytest.raises(StorageConflictError):
            await scope.commit(claim="seen/1")
    assert (await backend.read(["memory/u"]))["memory/u"]["lead"] == "old"


async def test_checked_writes_go_through_at_once_and_are_read_afresh(
    backend: CountingStorage,
) -> None:
    state = TurnScopedStorage(backend)
    with state.scope() as scope:
        await scope.prefetch(["shortlist/u"])
        stale = (await state.read(["shortlist/u"]))["shortlist/u"]
        await backend.write({"shortlist/u": {"entries": [1, 2]}})  # another instance
        with pytest.raises(StorageConflictError):
            await state.write({"shortlist/u": {"entries": [1, 3], "e_tag": stale["e_tag"]}})
        fresh = (await state.read(["shortlist/u"]))["shortlist/u"]
        assert fresh["entries"] == [1, 2]
        await state.write({"shortlist/u": {"entries": [1, 2, 3], "e_tag": fresh["e_tag"]}})
    assert (await backend.read(["shortlist/u"]))["shortlist/u"]["entries"] == [1, 2, 3]


async def test_values_read_are_copies(backend: CountingStorage) -> None:
    state = TurnScopedStorage(backend)
    with state.scope():
        first = await state.read(["memory/u"])
        first["memory/u"]["lead"] = "changed by the caller"
        assert (await state.read(["memory/u"]))["memory/u"]["lead"] == "old"


async def test_outside_a_scope_everything_goes_straight_through(
    backend: CountingStorage,
) -> None:
    state = TurnScopedStorage(backend)
    await state.write({"memory/u": {"lead": "direct", "e_tag": "*"}})
    assert backend.saves == [["memory/u"]]
    assert (await state.read(["memory/u"]))["memory/u"]["lead"] == "direct"
    await state.delete(["memory/u"])
    assert await backend.read(["memory/u"]) == {}
