"""What every importer shares: options, the error type, a builder that records problems,
kind recognition and time-zone handling.

Importers never drop a record silently: anything not loaded goes through `CatalogueBuilder.skip`
with where it was and why, anything changed goes through `CatalogueBuilder.warn`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogue.model import Catalogue, Conference, Kind, Problem, Session, Speaker


class CatalogueError(Exception):
    """The file cannot be used at all. The message is one line an organiser can act on."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    timezone: ZoneInfo | None = None
    """The conference's zone, for sources that state none (`--timezone`)."""
    first_day: date | None = None
    """The date of the first day, for sources that name days only by weekday (`--first-day`)."""


def zone_named(name: str, *, what: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CatalogueError(f"{what}: unknown time zone {name!r}") from error


def decode_text(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252; binary is refused."""
    if not data.strip():
        raise CatalogueError(f"{source}: the file is empty")
    if b"\x00" in data[:4096]:
        raise CatalogueError(f"{source}: this is a binary file, not an agenda")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_KEYNOTE_WORDS = re.compile(r"\b(keynote|plenary|pl[ée]ni[èe]re|opening ceremony)\b", re.I)
# Whole words only: "break" must not catch "Breakout session", nor "expo" "Export".
_KIND_WORDS: tuple[tuple[re.Pattern[str], Kind], ...] = tuple(
    (re.compile(rf"\b(?:{pattern})s?\b", re.I), kind)
    for pattern, kind in (
        (r"keynote|plenary|pl[ée]ni[èe]re|plenum", Kind.KEYNOTE),
        (r"lightning|lightningtalk|lightning talk", Kind.LIGHTNING),
        (r"workshop|hands[- ]on|lab|atelier|builders'? session", Kind.WORKSHOP),
        (r"panel|table ronde", Kind.PANEL),
        (r"booth|expo|exhibit|exhibition|sponsor stand", Kind.BOOTH),
        (r"meetup|meet-up|bof|birds of a feather|delegation|networking", Kind.MEETUP),
        (r"lunch|breakfast|dinner|meal|d[ée]jeuner|d[îi]ner", Kind.MEAL),
        (r"break|coffee|pause", Kind.BREAK),
        (r"party|social event|concert|reception|dj set|re:play|celebration", Kind.SOCIAL),
        (r"ceremony|opening|closing|welcome", Kind.CEREMONY),
        (r"talk|session|presentation|lecture|breakout|chalk talk|devroom|maintrack", Kind.TALK),
    )
)


def classify_kind(raw_type: str, title: str = "", *, plenary: bool = False) -> Kind:
    """Recognise what an item is, whatever the source calls it.

    The source's own type wins; a keynote is also recognised by a plenary flag or by its
    title ("Keynote: …", "Opening ceremony"), because many exports have no type for it.
    """
    if plenary or _KEYNOTE_WORDS.search(title or "") or _KEYNOTE_WORDS.search(raw_type or ""):
        return Kind.KEYNOTE
    for candidate in (raw_type, title):
        text = (candidate or "").strip()
        if not text:
            continue
        try:
            return Kind(text.casefold())
        except ValueError:
            pass
        for pattern, kind in _KIND_WORDS:
            if pattern.search(text):
                return kind
    return Kind.TALK if not raw_type else Kind.OTHER


def aware(moment: datetime, zone: tzinfo) -> datetime:
    """Attach `zone` to a naive wall-clock time; leave an aware one as it is."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_duration(text: str) -> timedelta:
    """`HH:MM`, `H:MM:SS` or `D:HH:MM` (frab) to a timedelta; ValueError otherwise."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    days, first, second, third = match.groups()
    if third is not None and days is None:
        return timedelta(hours=int(first), minutes=int(second), seconds=int(third))
    return timedelta(days=int(days or 0), hours=int(first), minutes=int(second))


_BLANKS = re.compile(r"[ \t]{2,}|\t")


def plain_text(text: str | None) -> str:
    """Normalise whitespace and Unicode; keep the words exactly as the organiser wrote them."""
    if not text:
        return ""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "  " in text or "\t" in text:  # most fields have neither: skip the regex for them
        text = _BLANKS.sub(" ", text)
    return text.strip()


class CatalogueBuilder:
    """Collects sessions and every problem met on the way, then builds a `Catalogue`."""

    def __init__(self, *, format: str, source: str) -> None:
        self.format = format
        self.source = source
        self._sessions: list[Session] = []
        self._ids: dict[str, int] = {}
        self.skipped: list[Problem] = []
        self.warnings: list[Problem] = []

    def skip(self, location: str, reason: str) -> None:
        self.skipped.append(Problem(location, reason))

    def warn(self, location: str, reason: str) -> None:
        self.warnings.append(Problem(location, reason))

    def add(self, session: Session, *, location: str) -> Session:
        """Add a session; a duplicate id is reported and made distinct (`id~2`, `id~3`…)."""
        if not session.id:
            self.skip(location, "no id")
            return session
        seen = self._ids.get(session.id, 0)
        self._ids[session.id] = seen + 1
        if seen:
            new_id = f"{session.id}~{seen + 1}"
            while new_id in self._ids:
                seen += 1
                new_id = f"{session.id}~{seen + 1}"
            self._ids[new_id] = 1
            self.warn(location, f"duplicate id {session.id!r}, loaded as {new_id!r}")
            session = replace(session, id=new_id)
        self._sessions.append(session)
        return session

    def build(self, conference: Conference) -> Catalogue:
        if not self._sessions:
            reasons = "; ".join(str(p) for p in self.skipped[:3])
            detail = f" ({len(self.skipped)} skipped: {reasons})" if self.skipped else ""
            raise CatalogueError(f"{self.source}: no session could be loaded{detail}")
        return Catalogue(
            conference=conference,
            sessions=tuple(self._sessions),
            format=self.format,
            source=self.source,
            skipped=tuple(self.skipped),
            warnings=tuple(self.warnings),
        )


def speakers_from_names(names: str) -> tuple[Speaker, ...]:
    """Split "Ada Lovelace, Alan Turing & Grace Hopper" into speakers."""
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bet\b|\|)\s*", names or "")
    return tuple(Speaker(name=plain_text(p)) for p in parts if plain_text(p))
