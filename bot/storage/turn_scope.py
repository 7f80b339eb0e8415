"""One read and one write per turn: a turn's storage traffic, batched.

A question turn used to cost five round trips to the database: claim the activity id, read the
attendee's conversation reference, their conversation memory and their shortlist, then write the
memory. `TurnScopedStorage` wraps the app's storage; the handler opens a scope for each turn,
reads every key the turn may need in one `prefetch`, and commits once, just before the first
reply leaves.

Inside a scope:

- reads are answered from what the scope already knows, and go to the database only for keys
  it does not know yet;
- writes whose ``e_tag`` is ``"*"`` (last write wins: conversation memory, conversation
  references, nudge settings) are held and sent together by `commit`; reading such a key back in
  the same turn returns the held value;
- writes that check an eTag (shortlist changes, claims) go to the database at once, because the
  caller needs its answer; the scope then forgets those keys, so a retry reads them afresh.

`commit(claim=...)` writes the held values together with the activity's claim in one
all-or-nothing write: a re-delivered activity loses the claim, and its reply and its held
writes are dropped together. Outside a scope every call goes straight to the wrapped storage.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from botbuilder.core import Storage

UNCONDITIONAL = "*"

CLAIM = "hallway:claim"
"""An eTag no stored document has: a write with it succeeds only while the key does not exist."""


class TurnScope:
    """What one turn has read and what it will write."""

    def __init__(self, backend: Storage) -> None:
        self._backend = backend
        self._known: dict[str, Any] = {}
        """Keys read from the database: their document, or None when absent."""
        self._held: dict[str, Any] = {}

    async def prefetch(self, keys: Iterable[str]) -> None:
        """Read `keys` in one round trip (keys already known are not read again)."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._known]
        if not wanted:
            return
        found = await self._backend.read(wanted)
        for key in wanted:
            self._known[key] = found.get(key)

    def stored(self, key: str) -> bool:
        """Whether `key` existed in the database when it was read in this turn."""
        return self._known.get(key) is not None

    async def read(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = list(dict.fromkeys(keys))
        await self.prefetch(key for key in wanted if key not in self._held)
        result: dict[str, Any] = {}
        for key in wanted:
            value = self._held[key] if key in self._held else self._known.get(key)
            if value is not None:
                # A copy, as a database read would give: a caller changing it changes nothing.
                result[key] = dict(value) if isinstance(value, dict) else value
        return result

    async def write(self, changes: Mapping[str, Any]) -> None:
        if all(_etag(value) == UNCONDITIONAL for value in changes.values()):
            for key, value in changes.items():
                self._held[key] = dict(value) if isinstance(value, dict) else value
            return
        try:
            await self._backend.write(dict(changes))
        finally:
            # Written or refused, the stored eTag is now unknown here: read it afresh.
            self._forget(changes)

    async def delete(self, keys: Iterable[str]) -> None:
        wanted = list(keys)
        await self._backend.delete(wanted)
        self._forget(wanted)

    async def commit(self, claim: str | None = None) -> None:
        """Write what the turn held, with `claim` when given, all or nothing. Raises
        `StorageConflictError` when the claim is taken (the activity was already handled)."""
        batch = dict(self._held)
        if claim is not None:
            batch[claim] = {"e_tag": CLAIM}
        self._held.clear()
        if batch:
            await self._backend.write(batch)

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def _forget(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._known.pop(key, None)
            self._held.pop(key, None)


class TurnScopedStorage(Storage):  # type: ignore[misc]
    """botbuilder `Storage` over the app's storage, batching the traffic of the current turn."""

    def __init__(self, backend: Storage) -> None:
        self._backend = backend
        self._current: ContextVar[TurnScope | None] = ContextVar("turn_scope", default=None)

    @contextlib.contextmanager
    def scope(self) -> Iterator[TurnScope]:
        """The scope of one turn, for the code running inside this block (and tasks it starts)."""
        scope = TurnScope(self._backend)
        token = self._current.set(scope)
        try:
            yield scope
        finally:
            self._current.reset(token)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        scope = self._current.get()
        if scope is None:
            return dict(await self._backend.read(keys))
        return await scope.read(keys)

    async def write(self, changes: dict[str, Any]) -> None:
        scope = self._current.get()
        if scope is None:
            await self._backend.write(changes)
        else:
            await scope.write(changes)

    async def delete(self, keys: list[str]) -> None:
        scope = self._current.get()
        if scope is None:
            await self._backend.delete(keys)
        else:
            await scope.delete(keys)


def _etag(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("e_tag")
    return getattr(value, "e_tag", None)
