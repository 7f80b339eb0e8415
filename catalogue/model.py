"""The conference domain: one model for every agenda source.

Every value is frozen and every datetime is tz-aware, so a catalogue can be shared between
concurrent turns and swapped atomically on reload without anyone mutating it under a reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    """What a catalogue item is; attendees ask for these by name ("any workshops?")."""

    KEYNOTE = "keynote"
    TALK = "talk"
    WORKSHOP = "workshop"
    LIGHTNING = "lightning"
    PANEL = "panel"
    BOOTH = "booth"
    MEETUP = "meetup"
    MEAL = "meal"
    BREAK = "break"
    SOCIAL = "social"
    CEREMONY = "ceremony"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    company: str = ""
    bio: str = ""


@dataclass(frozen=True, slots=True)
class Session:
    """One item of the agenda, as the attendee sees it."""

    id: str
    title: str
    start: datetime
    end: datetime
    kind: Kind = Kind.TALK
    subtitle: str = ""
    abstract: str = ""
    track: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""
    speakers: tuple[Speaker, ...] = ()
    room: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"session {self.id!r}: start and end must be tz-aware")
        if self.end < self.start:
            raise ValueError(f"session {self.id!r}: ends before it starts")

    @property
    def is_keynote(self) -> bool:
        return self.kind is Kind.KEYNOTE

    def is_running(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True, slots=True)
class Conference:
    name: str
    timezone: ZoneInfo
    url: str = ""
    venue: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that was skipped or repaired while loading, and where it was."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True)
class Catalogue:
    """A loaded agenda: the conference, its sessions in start order, and what loading found."""

    conference: Conference
    sessions: tuple[Session, ...]
    format: str = "native"
    source: str = ""
    skipped: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    _by_id: dict[str, Session] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.sessions, key=lambda s: (s.start, s.end, s.title, s.id)))
        object.__setattr__(self, "sessions", ordered)
        object.__setattr__(self, "_by_id", {s.id: s for s in ordered})
        if len(self._by_id) != len(ordered):
            raise ValueError("session ids must be unique within a catalogue")

    @property
    def timezone(self) -> ZoneInfo:
        return self.conference.timezone

    def get(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.timezone)

    @cached_property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted({self.local(s.start).date() for s in self.sessions}))

    @cached_property
    def rooms(self) -> tuple[str, ...]:
        return _distinct(s.room for s in self.sessions)

    @cached_property
    def tracks(self) -> tuple[str, ...]:
        return _distinct(s.track for s in self.sessions)

    @cached_property
    def speakers(self) -> tuple[str, ...]:
        return _distinct(p.name for s in self.sessions for p in s.speakers)

    @cached_property
    def keynotes(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.is_keynote)


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}, key=str.casefold))
