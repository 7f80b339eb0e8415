"""Each attendee's shortlist in the bot's storage, safe against concurrent changes.

A shortlist belongs to a user on a channel, not to a conversation, so it follows the attendee
between their personal chat and the team channels where the bot is. Every change is a
read-modify-write guarded by the document's eTag and retried on conflict, so neither two taps
at once nor two bot instances on one database can lose an update. Within one process,
changes for the same attendee also queue on a lock, so they do not spin on conflicts.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from botbuilder.core import Storage

from bot.storage import StorageConflictError
from catalogue.shortlist import Entry

MAX_ATTEMPTS = 50
MAX_ENTRIES = 500
NEW_DOCUMENT = "hallway:new-document"


@dataclass(frozen=True, slots=True)
class Owner:
    channel_id: str
    user_id: str

    @property
    def key(self) -> str:
        return f"shortlist/{self.channel_id}/{self.user_id}"


@dataclass(frozen=True, slots=True)
class Shortlist:
    entries: tuple[Entry, ...] = ()
    export_token: str = ""

    def has(self, session_id: str) -> bool:
        return any(e.session_id == session_id for e in self.entries)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e.session_id for e in self.entries)


class ShortlistFull(Exception):
    """The attendee already has the most entries a shortlist may hold."""


class ShortlistStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def get(self, owner: Owner) -> Shortlist:
        document = (await self._storage.read([owner.key])).get(owner.key)
        return _decode(document) if document else Shortlist()

    async def add(self, owner: Owner, entry: Entry) -> tuple[Shortlist, bool]:
        def change(shortlist: Shortlist) -> Shortlist | None:
            if shortlist.has(entry.session_id):
                return None
            if len(shortlist.entries) >= MAX_ENTRIES:
                raise ShortlistFull
            return replace(shortlist, entries=(*shortlist.entries, entry))

        return await self._update(owner, change)

    async def remove(self, owner: Owner, session_id: str) -> tuple[Shortlist, bool]:
        def change(shortlist: Shortlist) -> Shortlist | None:
            if not shortlist.has(session_id):
                return None
            kept = tuple(e for e in shortlist.entries if e.session_id != session_id)
            return replace(shortlist, entries=kept)

        return await self._update(owner, change)

    async def clear(self, owner: Owner) -> tuple[Shortlist, bool]:
        def change(shortlist: Shortlist) -> Shortlist | None:
            return replace(shortlist, entries=()) if shortlist.entries else None

        return await self._update(owner, change)

    async def export_token(self, owner: Owner) -> str:
        """The attendee's unguessable download token, created on first use."""
        current = await self.get(owner)
        if current.export_token:
            return current.export_token
        token = secrets.token_urlsafe(24)

        def change(shortlist: Shortlist) -> Shortlist | None:
            return None if shortlist.export_token else replace(shortlist, export_token=token)

        shortlist, changed = await self._update(owner, change)
        if changed:
            await self._storage.write(
                {_token_key(token): {"channel_id": owner.channel_id, "user_id": owner.user_id}}
            )
        return shortlist.export_token

    async def owner_of_token(self, token: str) -> Owner | None:
        if not token or len(token) > 100:
            return None
        document = (await self._storage.read([_token_key(token)])).get(_token_key(token))
        if not document:
            return None
        return Owner(str(document["channel_id"]), str(document["user_id"]))

    async def _update(
        self, owner: Owner, change: Callable[[Shortlist], Shortlist | None]
    ) -> tuple[Shortlist, bool]:
        """Apply `change` atomically; it returns None when there is nothing to change."""
        lock = self._locks.setdefault(owner.key, asyncio.Lock())
        async with lock:
            for attempt in range(MAX_ATTEMPTS):
                document = (await self._storage.read([owner.key])).get(owner.key)
                current = _decode(document) if document else Shortlist()
                changed = change(current)
                if changed is None:
                    return current, False
                encoded = _encode(changed)
                # With no document yet, an eTag no stored document can have makes the write
                # "create if absent": another instance creating it first makes this conflict.
                encoded["e_tag"] = document["e_tag"] if document else NEW_DOCUMENT
                try:
                    await self._storage.write({owner.key: encoded})
                    return changed, True
                except StorageConflictError:
                    await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise TimeoutError(f"could not update {owner.key} after {MAX_ATTEMPTS} attempts")


def _token_key(token: str) -> str:
    return f"shortlist-export/{token}"


def _encode(shortlist: Shortlist) -> dict[str, Any]:
    return {
        "entries": [
            {
                "id": e.session_id,
                "title": e.title,
                "start": e.start.isoformat(),
                "end": e.end.isoformat(),
                "room": e.room,
            }
            for e in shortlist.entries
        ],
        "export_token": shortlist.export_token,
    }


def _decode(document: dict[str, Any]) -> Shortlist:
    entries = tuple(
        Entry(
            session_id=str(raw["id"]),
            title=str(raw.get("title", "")),
            start=datetime.fromisoformat(raw["start"]),
            end=datetime.fromisoformat(raw["end"]),
            room=str(raw.get("room", "")),
        )
        for raw in document.get("entries", ())
    )
    return Shortlist(entries=entries, export_token=str(document.get("export_token", "")))
