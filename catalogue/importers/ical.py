"""iCalendar (RFC 5545) agendas, read with the `icalendar` library.

One VEVENT is one session: `UID` is its id (a repeated UID is reported and made distinct by the
builder), `SUMMARY` the title, `DESCRIPTION` the abstract, `LOCATION` the room, `URL` the url,
`CATEGORIES` the tags, the `CN` of `ORGANIZER`/`ATTENDEE` the speakers, and the kind comes from
`CATEGORIES` and `SUMMARY`.

Times: UTC (`Z`), `TZID=` and floating times are all understood. An all-day event (DATE values)
spans whole days in the conference zone and is OTHER unless its title or categories name a kind.
Without DTEND the end comes from DURATION; with neither, a timed event is loaded as zero-length
with a warning. Events without DTSTART or cancelled are skipped with the reason.

The conference zone is the first of: `X-WR-TIMEZONE`; the TZID of the file's single VTIMEZONE;
`--timezone`; a zone name written as a bare `VTIMEZONE:` property line (a common mistake);
the single TZID the events use. A file whose times are all UTC and that names no zone falls
back to UTC with a warning asking for `--timezone`; floating times with no zone are an error.
The name is `X-WR-CALNAME`, else the file name.

Messy files: lines the library cannot read are reported per event; if the library refuses the
whole file (unbalanced BEGIN/END…), the text is repaired line by line, each repair recorded as a
warning, and read again. Locations read `VEVENT #12 (UID …, line 130)`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.timezone import tzp

from catalogue.importers.common import (
    CatalogueBuilder,
    CatalogueError,
    ImportOptions,
    classify_kind,
    plain_text,
)
from catalogue.model import Catalogue, Conference, Kind, Session, Speaker

FORMAT = "ical"

_UTC = ZoneInfo("UTC")
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(?:;[^:]*)?:")
_SPACED_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*(?:;[^:\r\n]*)?: +\S", re.M)
_COMPONENT_NAMES = frozenset(
    {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VALARM", "STANDARD", "DAYLIGHT"}
)


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    builder = CatalogueBuilder(format=FORMAT, source=source)
    calendars = _read(text, source, builder)
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    if not events:
        raise CatalogueError(f"{source}: the calendar has no events (VEVENT)")
    _report_file_problems(text, calendars, builder)
    zone = _zone(calendars, events, source, options, builder)
    first = calendars[0]
    conference = Conference(
        name=plain_text(str(first.get("X-WR-CALNAME") or "")) or Path(source).stem or source,
        timezone=zone,
        url=str(first.get("URL") or ""),
    )
    lines = _event_lines(text, len(events))
    for index, event in enumerate(events, 1):
        uid = plain_text(str(event.get("UID") or ""))
        where = [f"UID {uid}"] if uid else []
        if lines:
            where.append(f"line {lines[index - 1]}")
        location = f"VEVENT #{index}" + (f" ({', '.join(where)})" if where else "")
        for _, message in getattr(event, "errors", ()):
            builder.warn(location, f"unreadable line ignored: {_one_line(str(message))}")
        try:
            session = _session(event, uid, zone, builder, location)
        except (ValueError, TypeError, KeyError) as error:
            builder.skip(location, _one_line(str(error)))
            continue
        if session is not None:
            builder.add(session, location=location)
    return builder.build(conference)


# --- reading -------------------------------------------------------------------------------


def _read(text: str, source: str, builder: CatalogueBuilder) -> list[icalendar.Calendar]:
    # The library raises ValueError mostly, but other errors on some broken input: any of them
    # means "refused" here.
    try:
        return _calendars(text)
    except Exception as error:
        refused = _one_line(str(error))
    repaired = _repair(text, builder)
    try:
        return _calendars(repaired)
    except Exception as error:
        raise CatalogueError(
            f"{source}: not a readable iCalendar file ({refused}; after repair: "
            f"{_one_line(str(error))})"
        ) from error


def _calendars(text: str) -> list[icalendar.Calendar]:
    parsed: Any = icalendar.Calendar.from_ical(text, multiple=True)
    found = [c for c in parsed if isinstance(c, icalendar.Calendar) and c.name == "VCALENDAR"]
    if not found:
        raise ValueError("no VCALENDAR component")
    return found


def _repair(text: str, builder: CatalogueBuilder) -> str:
    """Normalise line endings, unfold, drop what is not a content line and balance BEGIN/END;
    every change is recorded as a warning with its line number."""
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        if line[:1] in (" ", "\t") and logical:
            start, previous = logical[-1]
            logical[-1] = (start, previous + line[1:])
        elif line.strip():
            logical.append((number, line))
    kept: list[str] = []
    open_components: list[tuple[str, int]] = []
    for number, line in logical:
        location = f"line {number}"
        if not _CONTENT_LINE.match(line):
            builder.warn(location, f"not an iCalendar line, ignored: {_clip(line)!r}")
            continue
        name, _, value = line.partition(":")
        keyword, component = name.strip().upper(), value.strip().upper()
        if keyword == "BEGIN":
            open_components.append((component, number))
        elif keyword == "END":
            names = [c for c, _ in open_components]
            if component not in names:
                builder.warn(location, f"END:{component} without a BEGIN, ignored")
                continue
            while open_components[-1][0] != component:
                unclosed, began = open_components.pop()
                builder.warn(
                    f"line {began}", f"BEGIN:{unclosed} never ended; closed at line {number}"
                )
                kept.append(f"END:{unclosed}")
            open_components.pop()
        kept.append(line)
    while open_components:
        unclosed, began = open_components.pop()
        builder.warn(f"line {began}", f"BEGIN:{unclosed} never ended; closed at the end of file")
        kept.append(f"END:{unclosed}")
    return "\r\n".join(kept) + "\r\n"


def _report_file_problems(
    text: str, calendars: list[icalendar.Calendar], builder: CatalogueBuilder
) -> None:
    for calendar in calendars:
        for _, message in getattr(calendar, "errors", ()):
            builder.warn("VCALENDAR", f"unreadable line ignored: {_one_line(str(message))}")
        for name in _COMPONENT_NAMES & {str(key).upper() for key in calendar}:
            number = _first_line(text, rf"^{name}\s*[;:]")
            builder.warn(
                f"line {number}" if number else "VCALENDAR",
                f"{name!r} is written as a property line ({name}:{calendar[name]}), not as a "
                f"BEGIN:{name} component"
                + ("; its value is read as the time zone name" if name == "VTIMEZONE" else ""),
            )
    spaced = list(_SPACED_VALUE.finditer(text))
    if spaced:
        first = spaced[0]
        builder.warn(
            f"line {text.count(chr(10), 0, first.start()) + 1}",
            f"{len(spaced)} property values start with a space after the colon (first: "
            f"{_clip(text[first.start() : first.start() + 200].splitlines()[0].strip())!r}"
            "); the space is ignored",
        )


def _event_lines(text: str, count: int) -> list[int]:
    """Physical line numbers of each BEGIN:VEVENT, when they can be matched one to one."""
    numbers = [
        text.count("\n", 0, m.start()) + 1
        for m in re.finditer(r"^[ \t]*BEGIN:VEVENT[ \t]*\r?$", text, re.M | re.I)
    ]
    return numbers if len(numbers) == count else []


def _first_line(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.M | re.I)
    return text.count("\n", 0, match.start()) + 1 if match else None


# --- time zone -----------------------------------------------------------------------------


def _zone(
    calendars: list[icalendar.Calendar],
    events: list[icalendar.Component],
    source: str,
    options: ImportOptions,
    builder: CatalogueBuilder,
) -> ZoneInfo:
    first = calendars[0]
    declared: list[tuple[str, str]] = []
    if first.get("X-WR-TIMEZONE"):
        declared.append(("X-WR-TIMEZONE", str(first["X-WR-TIMEZONE"]).strip()))
    tzids = {
        str(component["TZID"]).strip()
        for calendar in calendars
        for component in calendar.walk("VTIMEZONE")
        if component.get("TZID")
    }
    if len(tzids) == 1:
        declared.append(("VTIMEZONE", tzids.pop()))
    for what, name in declared:
        zone = _zone_or_none(name)
        if zone is None:
            builder.warn("VCALENDAR", f"{what} names an unknown time zone {name!r}; ignored")
            continue
        if options.timezone is not None and options.timezone.key != zone.key:
            builder.warn(
                "VCALENDAR",
                f"{what} says {zone.key} but --timezone says {options.timezone.key}; "
                "the file's zone is used",
            )
        return zone
    if options.timezone is not None:
        return options.timezone

    guessed = str(first.get("VTIMEZONE") or "").strip()
    if guessed and (zone := _zone_or_none(guessed)) is not None:
        return zone
    starts = [_start_value(event) for event in events]
    used = {
        moment.tzinfo.key
        for moment in starts
        if isinstance(moment, datetime)
        and isinstance(moment.tzinfo, ZoneInfo)
        and moment.tzinfo.key not in ("UTC", "Etc/UTC")
    }
    if len(used) == 1:
        return ZoneInfo(used.pop())
    if any(isinstance(m, datetime) and m.tzinfo is None for m in starts):
        raise CatalogueError(
            f"{source}: event times carry no time zone and the file names none; "
            "pass --timezone (for example --timezone Europe/Rome)"
        )
    builder.warn(
        "VCALENDAR",
        "the file names no local time zone, so times are shown in UTC; pass --timezone "
        "with the conference's zone (for example --timezone Europe/London)",
    )
    return _UTC


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    try:
        found = tzp.timezone(name)  # also knows Windows names ("W. Europe Standard Time")
    except (ValueError, KeyError):
        return None
    return found if isinstance(found, ZoneInfo) else None


def _start_value(event: icalendar.Component) -> date | None:
    try:
        value = _value(event, "DTSTART", None, "")
    except ValueError:
        return None
    return value if isinstance(value, date) else None


# --- events --------------------------------------------------------------------------------


def _session(
    event: icalendar.Component, uid: str, zone: ZoneInfo, builder: CatalogueBuilder, location: str
) -> Session | None:
    title = plain_text(str(event.get("SUMMARY") or ""))
    if not title:
        raise ValueError("no SUMMARY (title)")
    if str(event.get("STATUS") or "").strip().upper() == "CANCELLED":
        builder.skip(location, f"{title!r} is cancelled (STATUS:CANCELLED)")
        return None
    start_value = _value(event, "DTSTART", builder, location)
    if start_value is None:
        raise ValueError(f"{title!r} has no DTSTART")
    if not isinstance(start_value, date):
        raise ValueError(f"DTSTART is not a date or date-time: {start_value!r}")
    all_day = not isinstance(start_value, datetime)
    start = _instant(start_value, zone, _tzid(event, "DTSTART"), builder, location)

    end_value = _value(event, "DTEND", builder, location)
    duration = _value(event, "DURATION", builder, location)
    if isinstance(end_value, date):
        end = _instant(end_value, zone, _tzid(event, "DTEND"), builder, location)
    elif isinstance(duration, timedelta):
        end = start + duration
    elif all_day:
        end = start + timedelta(days=1)
    else:
        builder.warn(
            location, f"{title!r} has no DTEND or DURATION; loaded as ending when it starts"
        )
        end = start
    if end < start:
        raise ValueError(
            f"{title!r} ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )
    if event.get("RRULE"):
        builder.warn(location, "repeating event (RRULE): only the first occurrence is loaded")

    room = plain_text(str(event.get("LOCATION") or ""))
    if not uid:
        digest = hashlib.sha1(f"{title}|{start.isoformat()}|{room}".encode()).hexdigest()
        uid = f"ical-{digest[:12]}"
        builder.warn(location, f"no UID; id {uid!r} derived from title, start and location")
    categories = _categories(event.get("CATEGORIES"))
    kind = classify_kind(", ".join(categories), title)
    if all_day and not categories and kind is Kind.TALK:
        kind = _kind_named_by(title, default=Kind.OTHER)
    return Session(
        id=uid,
        title=title,
        start=start,
        end=end,
        kind=kind,
        abstract=plain_text(str(event.get("DESCRIPTION") or "").replace("\r\n", "\n")),
        tags=categories,
        speakers=_people(event),
        room=room,
        url=str(event.get("URL") or "").strip(),
    )


def _value(
    event: icalendar.Component, name: str, builder: CatalogueBuilder | None, location: str
) -> Any:
    """The decoded value of a date, date-time or duration property; a value the library could
    not read (`DTSTART: 2024…`, stray spaces) is read again once trimmed, with a warning."""
    prop: Any = event.get(name)
    if prop is None:
        return None
    if isinstance(prop, list):
        if builder is not None:
            builder.warn(location, f"{len(prop)} {name} lines; the first is used")
        prop = prop[0]
    if isinstance(prop, icalendar.vBroken):
        raw = str(prop)
        tzid = prop.params.get("TZID")
        try:
            value = icalendar.vDDDTypes.from_ical(raw.strip(), timezone=tzid)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as error:
            raise ValueError(f"{name} is not a valid date-time: {raw.strip()!r}") from error
        if builder is not None:
            builder.warn(location, f"{name} value {raw!r} read as {raw.strip()!r}")
        return value
    return getattr(prop, "dt", None)


def _tzid(event: icalendar.Component, name: str) -> str:
    prop: Any = event.get(name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    params = getattr(prop, "params", None) or {}
    return str(params.get("TZID") or "")


def _instant(
    value: date, zone: tzinfo, tzid: str, builder: CatalogueBuilder, location: str
) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=zone)
    if value.tzinfo is None:
        if tzid:
            builder.warn(location, f"unknown time zone TZID={tzid!r}; read in the conference zone")
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _categories(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    names: list[str] = []
    for item in items:
        cats: Iterable[Any] = getattr(item, "cats", None) or str(item).split(",")
        names.extend(plain_text(str(c)) for c in cats)
    return tuple(dict.fromkeys(n for n in names if n))


def _people(event: icalendar.Component) -> tuple[Speaker, ...]:
    names: list[str] = []
    for key in ("ORGANIZER", "ATTENDEE"):
        value: Any = event.get(key)
        for person in value if isinstance(value, list) else [value] if value is not None else []:
            params = getattr(person, "params", None) or {}
            common_name = params.get("CN") or ""
            # An unquoted `CN=Ada Lovelace, Alan Turing` is read as a list of names.
            for cn in common_name if isinstance(common_name, list) else [common_name]:
                name = plain_text(str(cn).replace("\\n", " ").replace("\\,", ","))
                if name:
                    names.append(name)
    return tuple(Speaker(name=name) for name in dict.fromkeys(names))


def _kind_named_by(title: str, *, default: Kind) -> Kind:
    """The kind the title alone names, else `default` (`classify_kind` answers OTHER when
    neither an unrecognised type nor the title names one)."""
    kind = classify_kind("?", title)
    return default if kind is Kind.OTHER else kind


def _one_line(message: str) -> str:
    return _clip(" ".join(message.split()), 200)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
