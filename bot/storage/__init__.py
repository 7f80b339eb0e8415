"""Durable bot state behind botbuilder's `Storage` interface: memory (tests), SQLite, PostgreSQL.

`open_storage(url)` picks the backend from the URL scheme:

- ``memory://`` keeps everything in the process (tests only);
- ``sqlite:///data/hallway.sqlite3`` (relative to the working directory) or
  ``sqlite:////var/lib/hallway/state.sqlite3`` (absolute) for one instance;
- ``postgresql://user@host:5432/db`` (or ``postgres://``) when several instances share state.

Every backend accepts ``?table=NAME`` (default ``hallway_state``).

The contract is botbuilder's `MemoryStorage`, made durable and safe for several writers:

- `read` returns only the keys that exist, each value carrying its current ``e_tag``;
- `write` stores each value under a new eTag.  A value whose ``e_tag`` is neither absent/None nor
  ``"*"`` is written only if it equals the stored eTag (or the key is absent); otherwise the
  whole `write` call changes nothing and raises `StorageConflictError` (a `KeyError`, as
  botbuilder's `MemoryStorage` raises).  An empty ``e_tag`` is refused with `ValueError`;
- `delete` of a missing key is fine.

Values are serialised the way botbuilder's own durable stores (Blob, Cosmos DB) do it, with
jsonpickle: plain dicts, lists and scalars are stored as plain JSON, while objects (`StoreItem`
subclasses, the `DialogState` that botbuilder-dialogs keeps in conversation state, datetimes)
are stored from their ``__dict__`` with a ``py/object`` type tag so they come back as the same
type.  Restoring such a document imports and calls what it names, exactly like botbuilder's
stores: the database must only be writable by Hallway.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

__all__ = [
    "DEFAULT_TABLE",
    "HallwayStorage",
    "PendingWrite",
    "StorageConflictError",
    "StorageUnavailableError",
    "StoredRow",
    "open_storage",
]

DEFAULT_TABLE = "hallway_state"
ACCEPTED_URLS = (
    "memory://, sqlite:///relative/path.sqlite3, sqlite:////absolute/path.sqlite3, "
    "postgresql://user@host:port/database (or postgres://)"
)

# Keys longer than this (in UTF-8 bytes) are stored under a digest: PostgreSQL cannot index a
# text value over ~2.7 kB, and a uniform rule keeps every backend behaving the same.
MAX_KEY_BYTES = 1000
_DIGEST_MARKER = "#sha256="
_DIGEST_PREFIX_CHARS = 200
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class StorageConflictError(KeyError):
    """A write carried an eTag that is no longer the stored one: someone else wrote first.

    Re-read the key, re-apply the change and write again.
    """

    def __init__(self, key: str, expected: str, current: str | None) -> None:
        super().__init__(key)
        self.key = key
        self.expected = expected
        self.current = current

    def __str__(self) -> str:
        return (
            f"eTag conflict on {self.key!r}: the write carried eTag {self.expected!r} "
            f"but the stored eTag is {self.current!r}"
        )


class StorageUnavailableError(ConnectionError):
    """`ping` could not reach the database; the message says which one and why."""


@dataclass(frozen=True)
class StoredRow:
    """One row as a backend keeps it: the eTag and the JSON text of the document."""

    etag: str
    document: str


@dataclass(frozen=True)
class PendingWrite:
    """One value of a `write` call, checked and encoded, ready for a backend to store."""

    key: str
    column_key: str
    expected_etag: str | None  # None: write unconditionally
    new_etag: str
    document: str  # JSON text
    portable: bool  # False when the JSON holds NUL or lone surrogates (PostgreSQL refuses those)


def column_key(key: str) -> str:
    """The value of the key column for `key`.

    Keys that are too long, hold NUL or lone surrogates, or contain the digest marker are stored
    as a readable prefix followed by the SHA-256 of the full key; all other keys as they are.
    """
    if not isinstance(key, str):
        raise TypeError(f"storage keys must be str, got {type(key).__name__}: {key!r}")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        size = -1
    if 0 <= size <= MAX_KEY_BYTES and "\x00" not in key and _DIGEST_MARKER not in key:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    prefix = key[:_DIGEST_PREFIX_CHARS].encode("utf-8", "replace").decode("utf-8")
    return prefix.replace("\x00", "?") + _DIGEST_MARKER + digest


def _expected_etag(key: str, value: object) -> str | None:
    raw = value.get("e_tag") if isinstance(value, Mapping) else getattr(value, "e_tag", None)
    if raw is None or raw == "*":
        return None
    if not isinstance(raw, str):
        raise TypeError(f"e_tag of {key!r} must be a str, got {type(raw).__name__}")
    if raw == "":
        raise ValueError(f"e_tag of {key!r} is empty: use None or '*' to overwrite")
    return raw


def _encode(value: object) -> tuple[str, bool]:
    """JSON text of `value` without its e_tag, and whether PostgreSQL's jsonb can hold it."""
    flat: Any
    if isinstance(value, dict) and _plain(value):
        # Hallway's own documents are plain JSON: jsonpickle would return them unchanged,
        # after walking them at a cost (~0.2 ms a turn).
        flat = {key: item for key, item in value.items() if key != "e_tag"}
    else:
        flat = Pickler(unpicklable=True, make_refs=False, keys=True).flatten(value)
    if isinstance(flat, dict):
        flat.pop("e_tag", None)
    text = json.dumps(flat, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: keep them as \\ud8xx escapes
        return json.dumps(flat, separators=(",", ":")), False
    return text, "\\u0000" not in text


def _decode(document: str, etag: str) -> Any:
    value = json.loads(document)
    if _JSONPICKLE_TAGS.search(document):  # only then is there anything to restore
        value = Unpickler(keys=True, safe=True).restore(value)
    if isinstance(value, dict):
        value["e_tag"] = etag
    elif hasattr(value, "__dict__"):
        with contextlib.suppress(AttributeError):  # __slots__ without e_tag
            value.e_tag = etag
    return value


_JSONPICKLE_TAGS = re.compile(r'"(?:py/|json://)')
"""What jsonpickle's restore acts on: ``py/…`` type tags, and ``json://`` encoded dict keys."""
_SCALARS = (str, int, float, bool, type(None))


def _plain(value: object) -> bool:
    """Whether jsonpickle would store `value` exactly as `json.dumps` does: dicts with string
    keys that are not jsonpickle tags, lists, and JSON scalars (a tuple is not: it is tagged)."""
    if type(value) in _SCALARS:  # exact types: a str or int subclass (an Enum) gets tagged
        return True
    if type(value) is list:
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(
            type(key) is str and not key.startswith(("py/", "json://")) and _plain(item)
            for key, item in value.items()
        )
    return False


def _unique_keys(keys: Iterable[str] | None) -> list[str]:
    if keys is None:
        return []
    if isinstance(keys, str):
        raise TypeError(f"keys must be a collection of str, not the single str {keys!r}")
    return list(dict.fromkeys(keys))


class HallwayStorage(Storage, abc.ABC):  # type: ignore[misc]
    """botbuilder `Storage` with eTag checks, plus `kind`, `ping` and `close`.

    Subclasses implement `_load`, `_save`, `_remove`, `_ping` and `_close`; this class turns
    botbuilder's values into rows and back, so every backend shares one set of semantics.
    """

    kind: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self._closed = False

    # -- botbuilder's Storage ------------------------------------------------------------------

    async def read(self, keys: Iterable[str] | None) -> dict[str, Any]:
        """The stored values of `keys` that exist, each with its current ``e_tag``."""
        wanted = _unique_keys(keys)
        self._check_open()
        if not wanted:
            return {}
        by_column = {column_key(key): key for key in wanted}
        rows = await self._load(list(by_column))
        return {
            by_column[col]: _decode(row.document, row.etag)
            for col, row in rows.items()
            if col in by_column
        }

    async def write(self, changes: Mapping[str, object] | None) -> None:
        """Store every value of `changes` under a new eTag, all or nothing."""
        if changes is None:
            raise ValueError("Changes are required when writing")
        self._check_open()
        if not changes:
            return
        if not isinstance(changes, Mapping):
            raise TypeError(f"changes must be a mapping of key to value, got {type(changes)}")
        pending: list[PendingWrite] = []
        for key, value in changes.items():
            document, portable = _encode(value)
            pending.append(
                PendingWrite(
                    key=key,
                    column_key=column_key(key),
                    expected_etag=_expected_etag(key, value),
                    new_etag=uuid.uuid4().hex,
                    document=document,
                    portable=portable,
                )
            )
        # A fixed order keeps two batches over the same keys from deadlocking in the database.
        pending.sort(key=lambda item: item.column_key)
        await self._save(pending)

    async def delete(self, keys: Iterable[str] | None) -> None:
        """Remove `keys`; missing keys are ignored."""
        if keys is None:
            raise ValueError("Keys are required when deleting")
        wanted = _unique_keys(keys)
        self._check_open()
        if wanted:
            await self._remove(sorted({column_key(key) for key in wanted}))

    # -- Hallway's additions -------------------------------------------------------------------

    async def ping(self) -> None:
        """Return when the database answers; raise `StorageUnavailableError` otherwise."""
        self._check_open()
        try:
            await self._ping()
        except Exception as error:
            raise StorageUnavailableError(f"{self!r} is unreachable: {error}") from error

    async def close(self) -> None:
        """Release connections and threads.  Idempotent; the storage is unusable afterwards."""
        if self._closed:
            return
        self._closed = True
        await self._close()

    @property
    def closed(self) -> bool:
        return self._closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    # -- backend primitives --------------------------------------------------------------------

    @abc.abstractmethod
    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        """The rows that exist among `column_keys`."""

    @abc.abstractmethod
    async def _save(self, writes: list[PendingWrite]) -> None:
        """Apply `writes` in one transaction; raise `StorageConflictError` (nothing written)
        when a write's expected eTag differs from the stored row's."""

    @abc.abstractmethod
    async def _remove(self, column_keys: list[str]) -> None:
        """Delete the rows of `column_keys` that exist."""

    @abc.abstractmethod
    async def _ping(self) -> None:
        """Raise if the database cannot be reached."""

    @abc.abstractmethod
    async def _close(self) -> None:
        """Release resources."""


def table_name(value: str) -> str:
    """`value` if it is a plain SQL identifier usable as a table name; `ValueError` otherwise."""
    if not _TABLE_NAME.fullmatch(value):
        raise ValueError(
            f"storage table name {value!r} is not a plain SQL identifier "
            "(a letter or _, then letters, digits or _, at most 63 characters)"
        )
    return value


def _table_from_query(url: str, query: str) -> str:
    table = DEFAULT_TABLE
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name != "table":
            raise ValueError(f"storage URL {_redact(url)} has an unknown parameter {name!r}")
        table = table_name(value)
    return table


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def open_storage(url: str) -> HallwayStorage:
    """The storage named by `url`; nothing is opened until the first call (or `ping`)."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme == "memory":
        from bot.storage.memory import InMemoryStorage

        _table_from_query(url, urlsplit(url).query)
        return InMemoryStorage()
    if scheme == "sqlite":
        from bot.storage.sqlite import SqliteStorage

        rest = url[len("sqlite://") :]
        path_part, _, query = rest.partition("?")
        if not path_part.startswith("/") or path_part == "/":
            raise ValueError(
                f"SQLite storage URL {url!r} needs a file path: sqlite:///relative/path.sqlite3 "
                "or sqlite:////absolute/path.sqlite3"
            )
        path = Path(unquote(path_part[1:]))
        return SqliteStorage(path.absolute(), table=_table_from_query(url, query))
    if scheme in ("postgresql", "postgres"):
        from bot.storage.postgres import PostgresStorage

        return PostgresStorage.from_url(url)
    shown = f"scheme {scheme!r}" if scheme else f"URL {url!r}" if "@" not in url else "URL"
    raise ValueError(f"unsupported storage {shown}; accepted: {ACCEPTED_URLS}")
