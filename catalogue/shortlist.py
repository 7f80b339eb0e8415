"""An attendee's shortlist as a plan: entries resolved against the current catalogue.

An entry keeps a snapshot of the session as it was when added (title, time, room), so a
session that later disappears from the agenda is shown as cancelled rather than silently
dropped, and one that moves is shown with its new time and room and what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from catalogue.model import Catalogue, Session

MIN_GAP = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Entry:
    """One shortlisted session, as it was when the attendee added it."""

    session_id: str
    title: str
    start: datetime
    end: datetime
    room: str = ""

    @classmethod
    def of(cls, session: Session) -> Entry:
        return cls(session.id, session.title, session.start, session.end, session.room)


class Status(StrEnum):
    SCHEDULED = "scheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class PlanItem:
    entry: Entry
    session: Session | None
    """The session as the catalogue has it now; None when it was cancelled."""
    status: Status
    conflicts: tuple[Session, ...] = ()

    @property
    def id(self) -> str:
        return self.entry.session_id

    @property
    def title(self) -> str:
        return self.session.title if self.session else self.entry.title

    @property
    def start(self) -> datetime:
        return self.session.start if self.session else self.entry.start

    @property
    def end(self) -> datetime:
        return self.session.end if self.session else self.entry.end

    @property
    def room(self) -> str:
        return self.session.room if self.session else self.entry.room


@dataclass(frozen=True, slots=True)
class Gap:
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    rows: tuple[PlanItem | Gap, ...]


def plan(entries: tuple[Entry, ...], catalogue: Catalogue) -> tuple[PlanItem, ...]:
    """Entries resolved against the catalogue, in time order, with their overlaps."""
    items = []
    for entry in entries:
        session = catalogue.get(entry.session_id)
        if session is None:
            items.append(PlanItem(entry, None, Status.CANCELLED))
        elif (session.start, session.end, session.room) != (entry.start, entry.end, entry.room):
            items.append(PlanItem(entry, session, Status.MOVED))
        else:
            items.append(PlanItem(entry, session, Status.SCHEDULED))
    live = [i.session for i in items if i.session is not None]
    resolved = []
    for item in items:
        if item.session is None:
            resolved.append(item)
            continue
        clashes = tuple(overlapping(item.session, live))
        resolved.append(PlanItem(item.entry, item.session, item.status, clashes))
    return tuple(sorted(resolved, key=lambda i: (i.start, i.end, i.title)))


def overlapping(session: Session, others: list[Session]) -> list[Session]:
    """The sessions among `others` that overlap `session` in time (not itself)."""
    return [
        other
        for other in others
        if other.id != session.id and other.start < session.end and session.start < other.end
    ]


def by_day(items: tuple[PlanItem, ...], catalogue: Catalogue) -> tuple[PlanDay, ...]:
    """Day by day in time order, with the free time between sessions as gaps."""
    days: dict[date, list[PlanItem | Gap]] = {}
    last_end: dict[date, datetime] = {}
    for item in items:
        day = catalogue.local(item.start).date()
        rows = days.setdefault(day, [])
        previous = last_end.get(day)
        if previous is not None and item.start - previous >= MIN_GAP:
            rows.append(Gap(previous, item.start))
        rows.append(item)
        if item.status is not Status.CANCELLED:
            last_end[day] = max(previous or item.end, item.end)
    return tuple(PlanDay(day, tuple(rows)) for day, rows in sorted(days.items()))


def next_item(items: tuple[PlanItem, ...], now: datetime) -> PlanItem | None:
    """The next shortlisted session that has not started yet (cancelled ones excluded)."""
    upcoming = [i for i in items if i.status is not Status.CANCELLED and i.start > now]
    return upcoming[0] if upcoming else None
