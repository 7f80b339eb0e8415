"""The durable outbox of nudges: planned from shortlists, claimed with a lease, marked sent once.

`open_outbox(url)` picks the backend from the same URLs as `bot.storage.open_storage`
(``memory://``, ``sqlite:///path``, ``postgresql://...``, with ``?table=PREFIX``, default
``hallway_state``); the outbox keeps its rows next to the bot's state in ``PREFIX_nudges`` and
the attendees who blocked the bot in ``PREFIX_unreachable``.

A nudge's life::

    replan ──> pending ──claim_due──> claimed ──mark_sent──> sent
                 ^  ^                   │  │
                 │  └───mark_retry──────┘  └──mark_dropped──> dropped
                 └── lease expired: claim_due takes it again

- `replan` makes an attendee's *pending* nudges exactly the planned ones: new keys are
  inserted, pending keys no longer planned are deleted, and a pending key still planned gets
  the planned due time (unless it is waiting for a retry, whose time is kept).  Claimed, sent
  and dropped rows are never touched, so a nudge that went out is never planned again and one
  being sent is not pulled from under its sender.  A session that moves gets a new key: its
  old pending nudge is deleted and the new one inserted, in one step.
- `claim_due` hands out, atomically, up to ``limit`` pending nudges due by ``now`` (plus
  claimed ones whose lease expired: their sender died), earliest first, each leased to
  ``worker`` until ``now + lease``.  While a lease holds nobody else gets that nudge: on
  PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, on SQLite a ``BEGIN IMMEDIATE``
  transaction (the file's write lock), in memory a step without ``await``.
- `mark_sent` (`mark_sent_many`), `mark_retry`, `mark_dropped` apply only while ``worker``
  still holds the claim (False otherwise: the lease expired and someone else took it).
- A claim skips rows another transaction holds at that instant (a concurrent claim, or a
  replan changing them); they are claimable at the next tick.
- `mark_unreachable` (HTTP 403: the attendee blocked or removed the bot) deletes the attendee's
  pending nudges and remembers them: `replan` plans nothing for them and `claim_due` deletes
  any of their nudges instead of handing it out (one that was being retried, or planned by an
  instance that raced the 403), until `clear_unreachable` (they talked to the bot again; then
  replan them).

Schedule-change notices (`bot.nudges.changes`) live in the same table as rows of kind
``notice``: claimed, leased, sent, retried and dropped exactly like nudges, so one dispatcher
delivers both.  `note_changes` makes and folds them (debouncing); `holders` finds who to tell
through the nudges' session index (the attendees with a nudge for the session), so its cost
follows the attendees of the changed sessions, not the number of attendees.  Morning summaries
(kind ``digest``) are planned like nudges.  `replan` and `pending_owners` only ever look at
what is planned (nudges and summaries), never at notices.

Times are stored in UTC (SQLite: integer microseconds since the epoch, so they sort
correctly; PostgreSQL: ``timestamptz``) and come back as UTC datetimes.  A claim tick with
nothing due costs two empty index range probes (``(status, due_at)`` and the expired-lease
index), whatever the number of planned nudges; what it costs beyond that follows what is due.
Rows that are sent or dropped stay (they are what makes a re-planned nudge not go out twice)
until `purge`.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self
from urllib.parse import unquote, urlsplit

from bot.nudges.changes import ScheduleChange
from bot.nudges.planner import ItemKind, PlannedNudge
from bot.storage import ACCEPTED_URLS, _table_from_query, table_name

__all__ = [
    "ClaimedNudge",
    "ItemKind",
    "NudgeRecord",
    "NudgeStatus",
    "Outbox",
    "OutboxClosedError",
    "OwnerPlan",
    "open_outbox",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
MAX_REASON_CHARS = 500


class NudgeStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    DROPPED = "dropped"


COUNT_NAMES = ("pending", "claimed", "sent", "dropped", "unreachable")


class OutboxClosedError(RuntimeError):
    """The outbox was used after `close`."""


@dataclass(frozen=True, slots=True)
class ClaimedNudge:
    """A nudge leased to the worker that claimed it, to send now."""

    key: str
    channel_id: str
    user_id: str
    session_id: str
    session_start: datetime
    due_at: datetime
    attempts: int
    """How many earlier tries failed and were retried (`mark_retry`)."""
    lease_until: datetime
    kind: ItemKind = ItemKind.NUDGE
    payload: str = ""
    """For a notice its `bot.nudges.changes.NoticePayload`, for a digest its day and sessions
    (JSON); empty for a nudge."""


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    """A row of the outbox as it stands, for operators and tests."""

    key: str
    channel_id: str
    user_id: str
    session_id: str
    session_start: datetime
    due_at: datetime
    status: NudgeStatus
    attempts: int
    claimed_by: str | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    reason: str = ""
    kind: ItemKind = ItemKind.NUDGE
    payload: str = ""


@dataclass(frozen=True, slots=True)
class OwnerPlan:
    """What `replan_many` makes one attendee's pending nudges."""

    channel_id: str
    user_id: str
    nudges: tuple[PlannedNudge, ...]


def to_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch of a tz-aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetimes must be tz-aware, got {moment!r}")
    return (moment - EPOCH) // _MICROSECOND


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetimes must be tz-aware, got {moment!r}")
    return moment.astimezone(UTC)


def _reason(text: str) -> str:
    return text[:MAX_REASON_CHARS]


def _check_worker(worker: str) -> None:
    if not worker:
        raise ValueError("worker must name the claimer (a non-empty string)")


def _owner_plans(plans: Iterable[tuple[str, str, Sequence[PlannedNudge]]]) -> list[OwnerPlan]:
    checked: list[OwnerPlan] = []
    seen: set[tuple[str, str]] = set()
    for channel_id, user_id, nudges in plans:
        if (channel_id, user_id) in seen:
            raise ValueError(f"attendee {channel_id}/{user_id} is planned twice in one call")
        seen.add((channel_id, user_id))
        unique: dict[str, PlannedNudge] = {}
        for nudge in nudges:
            if (nudge.channel_id, nudge.user_id) != (channel_id, user_id):
                raise ValueError(
                    f"nudge {nudge.key!r} belongs to {nudge.channel_id}/{nudge.user_id}, "
                    f"not to {channel_id}/{user_id}"
                )
            unique[nudge.key] = nudge  # the last plan of a key wins
        checked.append(OwnerPlan(channel_id, user_id, tuple(unique.values())))
    return checked


class Outbox(abc.ABC):
    """The nudges to send, durable and safe for several senders (see the module docs).

    Subclasses implement the underscored methods; this class checks arguments and normalises
    datetimes to UTC so every backend gets the same, already validated, input."""

    kind: ClassVar[str]

    def __init__(self) -> None:
        self._closed = False

    # -- planning ------------------------------------------------------------------------------

    async def replan(self, channel_id: str, user_id: str, nudges: Sequence[PlannedNudge]) -> None:
        """Make the attendee's pending nudges exactly `nudges` (see the module docs)."""
        await self.replan_many([(channel_id, user_id, nudges)])

    async def replan_many(self, plans: Iterable[tuple[str, str, Sequence[PlannedNudge]]]) -> None:
        """`replan` for many attendees at once (start-up, catalogue reload): each attendee's
        change is atomic, the whole call is not.  An attendee listed twice is a `ValueError`."""
        self._check_open()
        checked = _owner_plans(plans)
        if checked:
            await self._replan(checked)

    # -- schedule-change notices ---------------------------------------------------------------

    async def holders(self, session_ids: Collection[str]) -> dict[str, set[tuple[str, str]]]:
        """For each session, the attendees (channel, user) with a nudge for it in any state and
        for any version of its start: who expects to hear about it.  Sessions nobody holds are
        left out."""
        self._check_open()
        ids = sorted(set(session_ids))
        return await self._holders(ids) if ids else {}

    async def note_changes(
        self,
        changes: Sequence[ScheduleChange],
        recipients: Mapping[str, Collection[tuple[str, str]]],
        now: datetime,
        window: timedelta,
    ) -> int:
        """Make or fold the notices of a reload's `changes` (see `bot.nudges.changes`), one
        transaction per change; `recipients` names, per session, whom a new notice goes to.
        How many notices were made or changed."""
        self._check_open()
        if window < timedelta(0):
            raise ValueError(f"the debounce window cannot be negative, got {window}")
        now = utc(now)
        touched = 0
        for change in changes:
            touched += await self._note_change(
                change, recipients.get(change.session_id, ()), now, window
            )
        return touched

    # -- sending -------------------------------------------------------------------------------

    async def claim_due(
        self, now: datetime, *, limit: int, lease: timedelta, worker: str
    ) -> list[ClaimedNudge]:
        """Lease up to `limit` due nudges to `worker` until ``now + lease``, earliest first."""
        self._check_open()
        _check_worker(worker)
        if limit <= 0:
            raise ValueError(f"limit must be positive, got {limit}")
        if lease <= timedelta(0):
            raise ValueError(f"lease must be positive, got {lease}")
        now = utc(now)
        claimed = await self._claim(now, limit, now + lease, worker)
        return sorted(claimed, key=lambda n: (n.due_at, n.key))

    async def mark_sent(self, key: str, worker: str, sent_at: datetime) -> bool:
        """Record that the channel accepted the nudge; False (and nothing changes) unless
        `worker` still holds its claim."""
        self._check_open()
        _check_worker(worker)
        return await self._mark_sent(key, worker, utc(sent_at))

    async def mark_sent_many(self, keys: Sequence[str], worker: str, sent_at: datetime) -> set[str]:
        """`mark_sent` for several nudges in one step (one transaction); the keys marked.

        For a dispatcher that collects the channel's acknowledgements for a few milliseconds
        before recording them: fewer commits, at the price of a slightly longer window in
        which a crash leaves a sent nudge claimed (it is sent again once its lease ends)."""
        self._check_open()
        _check_worker(worker)
        sent_at = utc(sent_at)
        unique = list(dict.fromkeys(keys))
        return await self._mark_sent_many(unique, worker, sent_at) if unique else set()

    async def mark_retry(self, key: str, worker: str, retry_at: datetime, reason: str) -> bool:
        """Back to pending, due at `retry_at`, one more failed attempt; only by the claimer."""
        self._check_open()
        _check_worker(worker)
        return await self._mark_retry(key, worker, utc(retry_at), _reason(reason))

    async def mark_dropped(self, key: str, worker: str, reason: str) -> bool:
        """Give up on the nudge (its session started, too many attempts...); only by the
        claimer.  A dropped nudge is never planned again."""
        self._check_open()
        _check_worker(worker)
        return await self._mark_dropped(key, worker, _reason(reason))

    # -- unreachable attendees -----------------------------------------------------------------

    async def mark_unreachable(self, channel_id: str, user_id: str, reason: str) -> int:
        """Remember that the attendee cannot be reached and delete their pending nudges (how
        many is returned).  Nudges being sent right now are left to their senders."""
        self._check_open()
        return await self._mark_unreachable(channel_id, user_id, _reason(reason))

    async def is_unreachable(self, channel_id: str, user_id: str) -> bool:
        self._check_open()
        return await self._is_unreachable(channel_id, user_id)

    async def clear_unreachable(self, channel_id: str, user_id: str) -> bool:
        """Forget that the attendee was unreachable (True if they were); replan them next."""
        self._check_open()
        return await self._clear_unreachable(channel_id, user_id)

    # -- operators -----------------------------------------------------------------------------

    async def upcoming(
        self, now: datetime, within: timedelta, limit: int = 1000
    ) -> list[NudgeRecord]:
        """Pending and claimed nudges due by ``now + within`` (overdue ones included), in due
        order, at most `limit`."""
        self._check_open()
        if limit <= 0:
            raise ValueError(f"limit must be positive, got {limit}")
        return await self._upcoming(utc(now) + within, limit)

    async def get(self, key: str) -> NudgeRecord | None:
        self._check_open()
        return await self._get(key)

    async def pending_owners(self) -> list[tuple[str, str]]:
        """The attendees (channel, user) with at least one pending nudge (notices do not
        count): whom to re-plan when the catalogue changes."""
        self._check_open()
        return sorted(await self._pending_owners())

    async def counts(self) -> dict[str, int]:
        """Nudges by status (pending, claimed, sent, dropped) and unreachable attendees."""
        self._check_open()
        found = await self._counts()
        return {name: found.get(name, 0) for name in COUNT_NAMES}

    async def purge(self, before: datetime) -> int:
        """Delete sent and dropped nudges of sessions that started before `before`; how many.

        Safe once `before` is not after the planner's "now": the planner never plans a session
        that has started, so a purged key cannot come back."""
        self._check_open()
        return await self._purge(utc(before))

    async def ping(self) -> None:
        """Reach the database (creating the tables on first use) or raise."""
        self._check_open()
        await self._ping()

    async def close(self) -> None:
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
            raise OutboxClosedError(f"{self!r} is closed")

    # -- backends ------------------------------------------------------------------------------

    @abc.abstractmethod
    async def _replan(self, plans: list[OwnerPlan]) -> None: ...

    @abc.abstractmethod
    async def _holders(self, session_ids: list[str]) -> dict[str, set[tuple[str, str]]]: ...

    @abc.abstractmethod
    async def _note_change(
        self,
        change: ScheduleChange,
        recipients: Collection[tuple[str, str]],
        now: datetime,
        window: timedelta,
    ) -> int: ...

    @abc.abstractmethod
    async def _claim(
        self, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[ClaimedNudge]: ...

    @abc.abstractmethod
    async def _mark_sent(self, key: str, worker: str, sent_at: datetime) -> bool: ...

    @abc.abstractmethod
    async def _mark_sent_many(
        self, keys: list[str], worker: str, sent_at: datetime
    ) -> set[str]: ...

    @abc.abstractmethod
    async def _mark_retry(self, key: str, worker: str, retry_at: datetime, reason: str) -> bool: ...

    @abc.abstractmethod
    async def _mark_dropped(self, key: str, worker: str, reason: str) -> bool: ...

    @abc.abstractmethod
    async def _mark_unreachable(self, channel_id: str, user_id: str, reason: str) -> int: ...

    @abc.abstractmethod
    async def _is_unreachable(self, channel_id: str, user_id: str) -> bool: ...

    @abc.abstractmethod
    async def _clear_unreachable(self, channel_id: str, user_id: str) -> bool: ...

    @abc.abstractmethod
    async def _upcoming(self, until: datetime, limit: int) -> list[NudgeRecord]: ...

    @abc.abstractmethod
    async def _get(self, key: str) -> NudgeRecord | None: ...

    @abc.abstractmethod
    async def _pending_owners(self) -> list[tuple[str, str]]: ...

    @abc.abstractmethod
    async def _counts(self) -> dict[str, int]: ...

    @abc.abstractmethod
    async def _purge(self, before: datetime) -> int: ...

    @abc.abstractmethod
    async def _ping(self) -> None: ...

    @abc.abstractmethod
    async def _close(self) -> None: ...


def outbox_tables(prefix: str) -> tuple[str, str, str]:
    """The nudges table, the unreachable table and the placements noted for schedule-change
    notices (`bot.nudges.changes`), for a storage table prefix."""
    prefix = table_name(prefix)
    names = (f"{prefix}_nudges", f"{prefix}_unreachable", f"{prefix}_placements")
    for name in (*names, f"{names[0]}_session"):  # the longest derived name (an index)
        if len(name) > 63:
            raise ValueError(
                f"storage table name {prefix!r} is too long for the nudge tables "
                f"({name!r} would exceed 63 characters)"
            )
    return names


def open_outbox(url: str) -> Outbox:
    """The outbox for a storage URL (as `bot.storage.open_storage` takes it); nothing is opened
    until the first call (or `ping`)."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme == "memory":
        from bot.nudges.outbox_memory import MemoryOutbox

        outbox_tables(_table_from_query(url, urlsplit(url).query))
        return MemoryOutbox()
    if scheme == "sqlite":
        from bot.nudges.outbox_sqlite import SqliteOutbox

        rest = url[len("sqlite://") :]
        path_part, _, query = rest.partition("?")
        if not path_part.startswith("/") or path_part == "/":
            raise ValueError(
                f"SQLite outbox URL {url!r} needs a file path: sqlite:///relative/path.sqlite3 "
                "or sqlite:////absolute/path.sqlite3"
            )
        path = Path(unquote(path_part[1:]))
        return SqliteOutbox(path.absolute(), table=_table_from_query(url, query))
    if scheme in ("postgresql", "postgres"):
        from bot.nudges.outbox_postgres import PostgresOutbox

        return PostgresOutbox.from_url(url)
    shown = f"scheme {scheme!r}" if scheme else f"URL {url!r}" if "@" not in url else "URL"
    raise ValueError(f"unsupported outbox storage {shown}; accepted: {ACCEPTED_URLS}")
