"""Which nudges an attendee should get, and when: a pure function of shortlist, agenda and clock.

One nudge per attendee × shortlisted session × version of the session's start time.  Its key
names all three, so a session that moves gets a new nudge (and the outbox drops the pending one
for the old time), while re-planning an unchanged shortlist proposes exactly the same keys.

Every instant the planner returns is in UTC, and every computation is done on UTC instants:
subtracting a lead time from a wall-clock datetime (``start - lead`` on a ``ZoneInfo`` datetime)
is wall-clock arithmetic in Python and is off by an hour across a DST change.

Spreading large cohorts
-----------------------
Channels throttle bots (Teams: about 30 messages a second per tenant), so 5,000 attendees of one
keynote cannot all be nudged in the same second.  Give `plan_for` the cohort of each session (how
many nudges compete for its start slot, see `cohort_sizes`) and the rate to plan for; each nudge
then gets a deterministic position ``p = floor(h(key) × cohort)`` in ``[0, cohort)``, ``h`` a
hash of its key mapped to ``[0, 1)``, and is due ``p / rate`` seconds *before* ``start - lead``:

    due_at = start - lead - floor(h(key) × cohort) / rate

So a cohort of ``N`` is spread evenly (in expectation) over the ``N / rate`` seconds that end at
``start - lead``.  A dispatcher sending at ``rate`` or faster has every nudge out by
``start - lead``; plan for a little less than the real send rate (the default, 25 a second
against Teams' 30) so that the hash's local clumps, retries and change notices fit in the
slack.  Spreading only ever moves a nudge earlier, never after ``start - lead`` (so never after
the session starts), and the same key always lands on the same instant.  A muted attendee's
nudge is not spread into their mute: it is due at ``max(spread, muted_until)``.

Morning summaries
-----------------
An attendee who asked for one gets, on each day with shortlisted sessions, a summary at a local
time of day (`plan_digests`).  It is an item of kind ``digest`` keyed by attendee, day and a
hash of the sessions it lists, so a shortlist change before it goes out makes a new key and
re-planning swaps it, like a moved session's nudge.  Only summaries still ahead are planned: a
summary is never sent late, nor twice for one day.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from catalogue.model import Catalogue, Session
from catalogue.shortlist import Entry

__all__ = [
    "DEFAULT_LEAD",
    "DEFAULT_SPREAD_RATE",
    "ItemKind",
    "NudgeSettings",
    "PlannedNudge",
    "cohort_position",
    "cohort_sizes",
    "digest_key",
    "nudge_key",
    "plan_digests",
    "plan_for",
    "spread",
]

DEFAULT_LEAD = timedelta(minutes=10)
DEFAULT_SPREAD_RATE = 25.0
"""Nudges a second that spreading plans for: below Teams' ~30/s per tenant, leaving slack."""

_HASH_SCALE = 2**64


class ItemKind(StrEnum):
    """What an outbox item sends."""

    NUDGE = "nudge"
    """Before a shortlisted session."""
    NOTICE = "notice"
    """A shortlisted session moved or was cancelled (`bot.nudges.changes`)."""
    DIGEST = "digest"
    """The morning summary of the day's shortlist."""


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be tz-aware, got {value!r}")


def _escape(part: str) -> str:
    if "%" in part or "/" in part:
        return part.replace("%", "%25").replace("/", "%2F")
    return part


@functools.lru_cache(maxsize=4096)
def _iso(utc_moment: datetime) -> str:
    # Keyed by UTC datetimes only: two wall-clock times of one zone that differ only by `fold`
    # compare (and hash) equal, two UTC datetimes never do unless they are the same instant.
    return utc_moment.isoformat()


def nudge_key(channel_id: str, user_id: str, session_id: str, session_start: datetime) -> str:
    """``channel/user/session/start-in-UTC-ISO``; ``%`` and ``/`` inside a part are escaped
    (``%25``, ``%2F``), so different nudges never share a key."""
    _require_aware("session_start", session_start)
    start = _iso(session_start.astimezone(UTC))
    return f"{_escape(channel_id)}/{_escape(user_id)}/{_escape(session_id)}/{start}"


def digest_key(channel_id: str, user_id: str, payload: str) -> str:
    """``channel/user/digest-DAY-HASH`` (three parts, where a nudge's key has four), the hash
    taken over what the summary lists."""
    day = json.loads(payload)["day"]
    digest = hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return f"{_escape(channel_id)}/{_escape(user_id)}/digest-{day}-{digest}"


@dataclass(frozen=True, slots=True)
class NudgeSettings:
    """One attendee's choices: nudges on or off, how long before, a mute, a morning summary."""

    enabled: bool = True
    lead: timedelta = DEFAULT_LEAD
    muted_until: datetime | None = None
    """No nudge due before this instant is planned (a mute that has ended changes nothing)."""
    digest: bool = False
    """A morning summary of the day's shortlist (off unless the attendee asks for it)."""

    def muted_at(self, now: datetime) -> bool:
        """A mute is on at `now`."""
        return self.muted_until is not None and self.muted_until > now

    def __post_init__(self) -> None:
        if self.lead < timedelta(0):
            raise ValueError(f"the lead time cannot be negative, got {self.lead}")
        if self.muted_until is not None:
            _require_aware("muted_until", self.muted_until)


@dataclass(frozen=True, slots=True)
class PlannedNudge:
    """A nudge the attendee should get; datetimes are tz-aware (the planner gives UTC)."""

    channel_id: str
    user_id: str
    session_id: str
    session_start: datetime
    """The version of the session's start time this nudge is for."""
    due_at: datetime
    """When to send it."""
    kind: ItemKind = ItemKind.NUDGE
    payload: str = ""
    """For a digest: the day and the sessions it lists, as JSON."""
    _key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _require_aware("due_at", self.due_at)
        if self.kind is ItemKind.DIGEST:
            key = digest_key(self.channel_id, self.user_id, self.payload)
        else:
            key = nudge_key(self.channel_id, self.user_id, self.session_id, self.session_start)
        object.__setattr__(self, "_key", key)
        if self.due_at > self.session_start:
            raise ValueError(f"nudge {key!r} is due after its session starts")

    @property
    def key(self) -> str:
        """``channel/user/session/start-in-UTC-ISO``, see `nudge_key`."""
        return self._key


def cohort_position(key: str, cohort: int) -> int:
    """A deterministic place in ``[0, cohort)`` for the nudge with `key`, uniform over keys:
    ``floor(h(key) × cohort)`` with ``h`` the first 8 bytes of BLAKE2b(key) over 2**64."""
    if cohort <= 1:
        return 0
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") * cohort // _HASH_SCALE


def spread(
    due_at: datetime, session_start: datetime, position: int, rate_per_second: float
) -> datetime:
    """`due_at` moved ``position / rate_per_second`` seconds earlier (the time it takes to send
    the `position` nudges ahead of this one at that rate); never later than `due_at` and never
    later than `session_start`.  Microsecond precision, truncated towards earlier."""
    _require_aware("due_at", due_at)
    _require_aware("session_start", session_start)
    if position < 0:
        raise ValueError(f"position cannot be negative, got {position}")
    if not rate_per_second > 0 or math.isinf(rate_per_second):
        raise ValueError(f"rate_per_second must be positive and finite, got {rate_per_second}")
    latest = min(due_at, session_start).astimezone(UTC)
    advance_us = math.ceil(position * 1_000_000 / rate_per_second)
    return latest - timedelta(microseconds=advance_us)


def cohort_sizes(shortlisted: Mapping[str, int], catalogue: Catalogue) -> dict[str, int]:
    """Cohorts for `plan_for` from how many attendees shortlisted each session.

    Sessions starting at the same instant share the send rate, so each session's cohort is the
    total of every session in the catalogue starting when it does.  Sessions not in the
    catalogue are left out."""
    by_start: Counter[datetime] = Counter()
    starts: dict[str, datetime] = {}
    for session_id, count in shortlisted.items():
        session = catalogue.get(session_id)
        if session is None or count <= 0:
            continue
        start = session.start.astimezone(UTC)
        starts[session_id] = start
        by_start[start] += count
    return {session_id: by_start[start] for session_id, start in starts.items()}


def plan_for(
    owner_channel: str,
    owner_user: str,
    entries: Sequence[Entry] | Iterable[Entry],
    catalogue: Catalogue,
    settings: NudgeSettings,
    now: datetime,
    *,
    cohorts: Mapping[str, int] | None = None,
    rate_per_second: float = DEFAULT_SPREAD_RATE,
) -> list[PlannedNudge]:
    """The nudges the attendee should have, ordered by due time then key.

    - nothing when nudges are off;
    - one per shortlisted session that is in the catalogue (cancelled ones get none) and starts
      after `now`, for the start time the catalogue has now (not the entry's snapshot);
    - due ``lead`` before the start, moved earlier by `spread` when `cohorts` names the
      session's cohort (see the module documentation);
    - a nudge due (before spreading) before ``muted_until`` is skipped, not delayed.

    A nudge whose due time has passed while its session has not started is still planned: it
    is due at once (after a restart, what was missed while the bot was down still goes out).
    """
    _require_aware("now", now)
    if not settings.enabled:
        return []
    if not rate_per_second > 0 or math.isinf(rate_per_second):
        raise ValueError(f"rate_per_second must be positive and finite, got {rate_per_second}")
    now_utc = now.astimezone(UTC)
    muted_until = settings.muted_until.astimezone(UTC) if settings.muted_until else None
    planned: dict[str, PlannedNudge] = {}
    for entry in entries:
        session = catalogue.get(entry.session_id)
        if session is None:
            continue
        start = session.start.astimezone(UTC)
        if start <= now_utc:
            continue
        due = start - settings.lead
        if muted_until is not None and due < muted_until:
            continue
        nudge = PlannedNudge(owner_channel, owner_user, session.id, start, due)
        cohort = cohorts.get(session.id, 1) if cohorts else 1
        if cohort > 1:
            due = spread(due, start, cohort_position(nudge.key, cohort), rate_per_second)
            if muted_until is not None and due < muted_until:
                due = muted_until
            nudge = PlannedNudge(owner_channel, owner_user, session.id, start, due)
        planned[nudge.key] = nudge
    return sorted(planned.values(), key=lambda n: (n.due_at, n.key))


def _day_start(day: date, at: time, catalogue: Catalogue) -> datetime:
    return datetime.combine(day, at, tzinfo=catalogue.timezone).astimezone(UTC)


def plan_digests(
    owner_channel: str,
    owner_user: str,
    entries: Iterable[Entry],
    catalogue: Catalogue,
    settings: NudgeSettings,
    now: datetime,
    at: time,
) -> list[PlannedNudge]:
    """The attendee's morning summaries, one per day with shortlisted sessions, due at `at`
    (local time in the conference's zone), ordered by day.

    - nothing unless the attendee asked for them (`NudgeSettings.digest`; independent of the
      nudges being on);
    - a summary lists the day's shortlisted sessions not over by its time, in start order;
      a day with none gets no summary;
    - only summaries due after `now`, and not during a mute.
    """
    _require_aware("now", now)
    if not settings.digest:
        return []
    now_utc = now.astimezone(UTC)
    muted_until = settings.muted_until.astimezone(UTC) if settings.muted_until else None
    days: dict[date, list[Session]] = {}
    for entry in entries:
        session = catalogue.get(entry.session_id)
        if session is not None:
            days.setdefault(catalogue.local(session.start).date(), []).append(session)
    planned: list[PlannedNudge] = []
    for day in sorted(days):
        due = _day_start(day, at, catalogue)
        if due <= now_utc or (muted_until is not None and due < muted_until):
            continue
        listed = sorted((s for s in days[day] if s.end > due), key=lambda s: (s.start, s.id))
        if not listed:
            continue
        payload = json.dumps({"day": day.isoformat(), "sessions": [s.id for s in listed]})
        planned.append(
            PlannedNudge(
                owner_channel, owner_user, "", due, due, kind=ItemKind.DIGEST, payload=payload
            )
        )
    return planned
