"""What the frab/pentabarf XML and the frab/c3voc/pretalx JSON importers share: one event ->
`Session` mapping and one set of time-zone rules.

Both formats describe the same thing: a conference, days, rooms, and events with a `guid`
(or `id`), a start (`date` with an offset, or an `HH:MM` `start` plus the day's date), a
`duration` (`HH:MM` or `D:HH:MM`), texts and `persons`. The format modules only read their
syntax into `RawEvent`s; everything else happens here.

Times
    An event's own `date` with a UTC offset is trusted as it is. An event with only `HH:MM`
    (old pentabarf layout) starts on its day's date, or the next calendar day when it starts
    before the conference's `day_change`; that wall-clock time is in the conference's zone.

Time zone of the conference (used for times without an offset and to show times)
    1. the file's `time_zone_name`, unless the events' own offsets contradict it (pretalx's
       DemoCon says `UTC` while every event is `+01:00`): then the offsets are trusted, the
       zone becomes `--timezone` if given, else one inferred from the offsets (rule 3), and
       one warning says so. A `--timezone` naming another zone than a consistent
       `time_zone_name` is not used (with a warning);
    2. else `--timezone` (`ImportOptions.timezone`); a warning notes any disagreement with the
       events' offsets, which stay trusted;
    3. else, when every event carries an offset (rC3 2020), a zone inferred from the most
       common offset: `UTC` for `+00:00`, `Etc/GMT-N` for `+N:00` (the sign is inverted in the
       `Etc` names), `UTC` for an offset that is not whole hours. Instants are exact either way;
       a warning says the zone was inferred and that `--timezone` can name the real one;
    4. else (times without offsets and no zone anywhere) the file is refused with a message
       asking for `--timezone`.

Fields
    id: `guid`, else `id`; kind: `classify_kind(type, title)`; language lowercased (a bilingual
    c3voc event stays `de, en`); room: the event's `room`, else its room group; url: the
    event's `url` or nothing. Bad records (no start, no title, a bad duration…) are skipped
    with a location like `event guid=… (day 2, room Saal 1)`, in file order.

Texts
    HTML (FOSDEM writes escaped HTML in `abstract`/`description`) becomes plain text with
    paragraphs and list items kept on their own lines; the abstract falls back to the
    description when empty.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from catalogue.importers.common import (
    CatalogueBuilder,
    CatalogueError,
    ImportOptions,
    aware,
    classify_kind,
    parse_duration,
    plain_text,
    zone_named,
)
from catalogue.model import Catalogue, Conference, Session, Speaker


@dataclass(frozen=True, slots=True)
class RawPerson:
    name: str
    bio: str = ""


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One event as read from the file: its fields as text, and where it sits."""

    values: Mapping[str, str]
    """`guid`, `id`, `date`, `start`, `duration`, `title`, `subtitle`, `abstract`,
    `description`, `track`, `type`, `language`, `room`, `url` (missing ones may be absent)."""
    day_index: str
    day_date: date | None
    room: str
    """The name of the room group holding the event (its own `room` field wins)."""
    persons: tuple[RawPerson, ...] = ()
    unnamed_persons: int = 0


@dataclass(frozen=True, slots=True)
class ScheduleInfo:
    """The conference header, as read from the file."""

    where: str
    """How to name the header in messages: `<conference>` or `schedule.conference`."""
    name: str
    url: str = ""
    venue: str = ""
    zone_name: str = ""
    day_change: time | None = None


def event_location(values: Mapping[str, str], day_index: str, room: str) -> str:
    """`event guid=… (day 2, room Saal 1)`: enough for an organiser to find the record."""
    if values.get("guid", "").strip():
        name = f"event guid={values['guid'].strip()}"
    elif values.get("id", "").strip():
        name = f"event id={values['id'].strip()}"
    elif values.get("title", "").strip():
        name = f"event {one_line(values['title'])!r}"
    else:
        name = "event"
    parts = [f"day {day_index}" if day_index else "", f"room {room}" if room else ""]
    where = ", ".join(part for part in parts if part)
    return f"{name} ({where})" if where else name


class ScheduleBuilder:
    """Collects raw events, settles the time zone once all are known, builds the catalogue."""

    def __init__(
        self, info: ScheduleInfo, *, format: str, source: str, options: ImportOptions
    ) -> None:
        self.info = info
        self.source = source
        self.options = options
        self.builder = CatalogueBuilder(format=format, source=source)
        # Events and skipped records in file order, so problems are reported in that order.
        self._entries: list[tuple[RawEvent | None, str, str]] = []

    def add(self, event: RawEvent) -> None:
        location = event_location(event.values, event.day_index, event.room)
        self._entries.append((event, location, ""))

    def skip(self, location: str, reason: str) -> None:
        self._entries.append((None, location, reason))

    def warn(self, location: str, reason: str) -> None:
        self.builder.warn(location, reason)

    def build(self) -> Catalogue:
        moments: list[datetime | str] = []
        for event, _, reason in self._entries:
            if event is None:
                moments.append(reason)
                continue
            try:
                moments.append(_moment(event, self.info.day_change))
            except ValueError as error:
                moments.append(str(error))
        offsets = [m for m in moments if isinstance(m, datetime) and m.tzinfo is not None]
        has_naive = any(isinstance(m, datetime) and m.tzinfo is None for m in moments)
        zone = self._zone(offsets, has_naive=has_naive)
        for (event, location, _), moment in zip(self._entries, moments, strict=True):
            if isinstance(moment, str):  # a skipped record, or an event with no usable start
                self.builder.skip(location, moment)
                continue
            assert event is not None
            if event.unnamed_persons:
                self.builder.warn(
                    location, f"{event.unnamed_persons} person(s) without a name left out"
                )
            try:
                session = _session(event, aware(moment, zone), zone)
            except ValueError as error:
                self.builder.skip(location, str(error))
                continue
            self.builder.add(session, location=location)
        conference = Conference(
            name=self.info.name or self.source,
            timezone=zone,
            url=self.info.url,
            venue=self.info.venue,
        )
        return self.builder.build(conference)

    def _zone(self, offsets: list[datetime], *, has_naive: bool) -> ZoneInfo:
        where = self.info.where
        option = self.options.timezone
        if self.info.zone_name.strip():
            declared = zone_named(
                self.info.zone_name, what=f"{self.source}: {where} time_zone_name"
            )
            clash = _contradiction(offsets, declared)
            if clash is None:
                if option is not None and option.key != declared.key:
                    self.builder.warn(
                        where,
                        f"the file names its time zone ({declared.key}); "
                        f"--timezone {option.key} is not used",
                    )
                return declared
            if option is not None:
                zone, shown = option, f"shown in {option.key} (--timezone)"
            else:
                zone, shown = _inferred(offsets)
                shown += "; pass --timezone to name the conference's zone"
            self.builder.warn(
                where,
                f"time_zone_name {declared.key} contradicts the events' own UTC offsets "
                f"({clash}); the offsets are trusted and times are {shown}",
            )
            return zone
        if option is not None:
            clash = _contradiction(offsets, option)
            if clash is not None:
                self.builder.warn(
                    where,
                    f"--timezone {option.key} disagrees with the events' own UTC offsets "
                    f"({clash}); the offsets are trusted",
                )
            return option
        if has_naive:
            raise CatalogueError(
                f"{self.source}: the file names no time zone and its times have no UTC "
                "offset; pass --timezone (for example --timezone Europe/Brussels)"
            )
        zone, shown = _inferred(offsets)
        if offsets:
            self.builder.warn(
                where,
                f"the file names no time zone (no time_zone_name); times keep the events' "
                f"UTC offsets and are {shown}; pass --timezone to name the conference's zone",
            )
        return zone


def _contradiction(offsets: list[datetime], zone: ZoneInfo) -> str | None:
    """Describe how the events' explicit offsets disagree with `zone`, or None if they agree."""
    wrong = [m for m in offsets if m.utcoffset() != m.astimezone(zone).utcoffset()]
    if not wrong:
        return None
    first = wrong[0]
    expected = first.astimezone(zone).utcoffset() or timedelta(0)
    return (
        f"{len(wrong)} of {len(offsets)} events, e.g. {first.isoformat()} "
        f"where {zone.key} is {_offset_text(expected)}"
    )


def _inferred(offsets: list[datetime]) -> tuple[ZoneInfo, str]:
    """A zone with the events' most common offset, and how to say where times are shown."""
    counts = Counter(m.utcoffset() or timedelta(0) for m in offsets)
    offset = counts.most_common(1)[0][0] if counts else timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if offset and not rest and -12 <= hours <= 14:
        # The POSIX-style Etc names invert the sign: Etc/GMT-1 is UTC+01:00.
        key = f"Etc/GMT{-hours:+d}"
        return ZoneInfo(key), f"shown in {key} (inferred from their offset {_offset_text(offset)})"
    if offset:
        return ZoneInfo("UTC"), (
            f"shown in UTC (their offset {_offset_text(offset)} has no fixed-offset zone)"
        )
    return ZoneInfo("UTC"), "shown in UTC (inferred from their offset +00:00)"


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


_UTC = ZoneInfo("UTC")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _moment(event: RawEvent, day_change: time | None) -> datetime:
    """When the event starts: aware if the file gave an offset, naive wall-clock otherwise."""
    date_text = event.values.get("date", "").strip()
    start_text = event.values.get("start", "").strip()
    if date_text and not _DATE_ONLY.match(date_text):
        try:
            return datetime.fromisoformat(date_text)
        except ValueError:
            raise ValueError(f"'date' is not an ISO date-time: {date_text!r}") from None
    if not start_text:
        raise ValueError("no start time")
    if "T" in start_text:
        try:
            return datetime.fromisoformat(start_text)
        except ValueError:
            raise ValueError(f"'start' is not a time: {start_text!r}") from None
    clock = _CLOCK.match(start_text)
    if not clock or int(clock[1]) > 23 or int(clock[2]) > 59 or int(clock[3] or 0) > 59:
        raise ValueError(f"'start' is not a time: {start_text!r}")
    at = time(int(clock[1]), int(clock[2]), int(clock[3] or 0))
    if date_text:
        return datetime.combine(date.fromisoformat(date_text), at)
    if event.day_date is None:
        raise ValueError("no 'date', and its day has no date")
    day = event.day_date
    if day_change is not None and at < day_change:
        day += timedelta(days=1)  # after midnight, still listed under the previous day
    return datetime.combine(day, at)


def _session(event: RawEvent, start: datetime, zone: ZoneInfo) -> Session:
    values = event.values
    title = one_line(values.get("title"))
    if not title:
        raise ValueError("no title")
    duration_text = values.get("duration", "").strip()
    if not duration_text:
        raise ValueError("no duration")
    duration = parse_duration(duration_text)  # ValueError names the bad text
    start = start.astimezone(zone)
    # Durations are elapsed time: add them in UTC so a DST change does not shift the end.
    end = (start.astimezone(_UTC) + duration).astimezone(zone)
    return Session(
        id=(values.get("guid") or "").strip() or (values.get("id") or "").strip(),
        title=title,
        start=start,
        end=end,
        kind=classify_kind(one_line(values.get("type")), title),
        subtitle=one_line(values.get("subtitle")),
        abstract=rich_text(values.get("abstract")) or rich_text(values.get("description")),
        track=one_line(values.get("track")),
        language=_language(values.get("language")),
        speakers=tuple(
            Speaker(name=one_line(p.name), bio=rich_text(p.bio))
            for p in event.persons
            if one_line(p.name)
        ),
        room=one_line(values.get("room")) or one_line(event.room),
        url=(values.get("url") or "").strip(),
    )


def _language(text: str | None) -> str:
    """`de`, `en`; a bilingual event stays `de, en`."""
    parts = re.split(r"[\s,;/]+", (text or "").strip().lower())
    return ", ".join(part for part in parts if part)


def one_line(text: str | None) -> str:
    """A title, a name, a room: one line with single spaces."""
    if not text:
        return ""
    return plain_text(" ".join(str(text).split()))


_HTML_TAG = re.compile(
    r"</?(?:p|br|a|ul|ol|li|em|strong|b|i|u|s|code|pre|hr|h[1-6]|div|span|blockquote|img"
    r"|table|thead|tbody|tr|td|th|dl|dt|dd|sup|sub|tt|small|q|cite|abbr|del|ins|kbd"
    r"|figure|figcaption)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_BREAK = re.compile(
    r"<br\b[^<>]*>|<hr\b[^<>]*>"
    r"|</(?:p|div|h[1-6]|pre|blockquote|tr|dt|dd|ul|ol|table|figure)\s*>",
    re.IGNORECASE,
)
_HTML_ITEM = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\f\v\xa0]+")
_LINE_EDGES = re.compile(r" ?\n ?")


def rich_text(text: str | None) -> str:
    """An abstract, a description, a bio: HTML to plain text, paragraphs kept."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if _HTML_TAG.search(text):
        text = _HTML_ITEM.sub("\n- ", text)
        text = _HTML_BREAK.sub("\n", text)
        text = html.unescape(_ANY_TAG.sub("", text))
    text = _LINE_EDGES.sub("\n", _SPACES.sub(" ", unicodedata.normalize("NFC", text)))
    return _BLANK_LINES.sub("\n\n", text).strip()
