"""CSV agendas with whatever headers the organiser's spreadsheet had.

The delimiter is the most frequent of `,` `;` and tab in the header line. Headers are matched
case-insensitively, ignoring spaces, `_` and `-`, against synonyms (see `_SYNONYMS`): title,
start, end, date, time (a range such as `07:30 PM - 12:00 AM`), duration, room, speakers, type,
id, abstract, track, language, url, subtitle. A title column and a start (or time) column are
required; other columns are reported once as not used.

Times: a start/end may be a full date-time (ISO, or anything dateutil reads) or a time of day
combined with the date column (`16:00`, `7:30 PM`, `14h30`, or an integer hour as in `12`;
`24` is midnight at the end of that day). An end earlier than a time-only start crosses
midnight into the next day. Without end or duration an event is given 1 hour, with ONE warning
for the file. dateutil is only used for shapes the fast paths do not know, and always with a
fixed `default=` (it never reads the clock). Times are wall-clock in `--timezone` (required).

Numeric dates: `10.06.2024` is day first; for `10/06/2024` a date in the file that reads only
one way (`25/06/2024`) decides, else month first with a warning. A "Conference services" type
is named by its title (lunch, breakfast…), else OTHER; a "Breakout session" is a talk.

Days named only by weekday (`Freitag`, `Friday`, `vendredi`) or by number (`Day 2`) need
`--first-day`: each is the first such day on or after it. Rows with an empty or `N/A` date or
start are skipped, with `line N` the physical line where the record starts (quoted fields may
span lines).

Ids: the `id` column when present; otherwise `"csv-" + sha1(f"{title}|{start}|{room}")`, the
first 12 hex digits, where `start` is the start's ISO form with its UTC offset
(`2024-12-03T08:00:00-08:00`) and `title`/`room` are the cleaned cell texts. Identical rows thus
get the same id, and the builder reports them and makes them distinct (`~2`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

from catalogue.importers.common import (
    CatalogueBuilder,
    CatalogueError,
    ImportOptions,
    classify_kind,
    plain_text,
    speakers_from_names,
)
from catalogue.model import Catalogue, Conference, Kind, Session

FORMAT = "csv"

_SYNONYMS: dict[str, str] = {
    "id": "id sessionid uid guid code",
    "title": "title name session event summary sessiontitle sessionname eventname talk",
    "start": "start starttime begin begins from starts startsat startat startdatetime starthour "
    "beginn",
    "end": "end endtime to ends endsat endat enddatetime endhour finish until ende",
    "date": "date day startdate datum jour",
    "time": "time times timeslot slot zeit heure horaire",
    "duration": "duration length durationminutes minutes dauer duree",
    "room": "room location venue place stage hall raum salle lieu",
    "speakers": "speakers speaker persons person presenter presenters people host hosts "
    "referent intervenants intervenant",
    "type": "type kind format category sessiontype eventtype",
    "abstract": "abstract description notes details desc beschreibung",
    "track": "track tracks theme thema",
    "language": "language lang sprache langue",
    "url": "url link website web href",
    "subtitle": "subtitle untertitel soustitre",
}
_FIELD_OF = {name: field for field, names in _SYNONYMS.items() for name in names.split()}
_MISSING = frozenset({"", "n/a", "na", "tba", "tbd", "tbc", "-", "--", "none", "null", "?"})

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            "monday mon montag lundi",
            "tuesday tue tues dienstag mardi",
            "wednesday wed mittwoch mercredi",
            "thursday thu thur thurs donnerstag jeudi",
            "friday fri freitag vendredi",
            "saturday sat samstag sonnabend samedi",
            "sunday sun sonntag dimanche",
        )
    )
    for name in names.split()
}
_DAY_NUMBER = re.compile(r"^(?:(?:day|tag|jour)\s*)?(\d{1,2})$", re.I)

_HOUR = re.compile(r"^(\d{1,2})$")
_CLOCK = re.compile(r"^(\d{1,2})[:h.](\d{2})(?::(\d{2}))?$", re.I)
_TWELVE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$", re.I)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_TIME_TOKEN = r"\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]\.?\s*m\.?)?"
_RANGE = re.compile(rf"^({_TIME_TOKEN})\s*(?:-|–|—|to|bis|à)\s*({_TIME_TOKEN})$", re.I)
_SPACED_DASH = re.compile(r"\s+(?:-|–|—)\s+")
_BREAKOUT = re.compile(r"\bbreak-?outs?\b", re.I)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})\b")
_ET_AL = re.compile(r",?\s*\bet\.?\s*al\b\.?", re.I)
_UTC_NAMES = {name: dateutil_tz.UTC for name in ("UTC", "Z", "GMT")}
_FIXED_DAY = date(2000, 1, 1)  # dateutil's default when a value carries its own date
_OTHER_FIXED_DAY = date(1999, 12, 30)  # a second default, to tell whether a value had a date
_ASSUMED_DURATION = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: Sequence[str]


@dataclass(frozen=True, slots=True)
class _Cells:
    """One record's cells, looked up by field name."""

    cells: Sequence[str]
    columns: dict[str, int]

    def __call__(self, field: str) -> str:
        index = self.columns.get(field)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def has(self, field: str) -> bool:
        return field in self.columns


@dataclass(frozen=True, slots=True)
class _Reading:
    """How this file's dates and times are read."""

    zone: tzinfo
    days: dict[str, date]  # day names ("Freitag", "Day 2") to dates
    dayfirst: bool  # 10/06/2024 is 10 June


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    if options.timezone is None:
        raise CatalogueError(
            f"{source}: CSV times have no time zone; pass --timezone "
            "(for example --timezone America/Los_Angeles)"
        )
    zone = options.timezone
    builder = CatalogueBuilder(format=FORMAT, source=source)
    header, rows = _read(text, source)
    columns = _columns(header, source, builder)
    reading = _Reading(
        zone=zone,
        days=_day_names(rows, columns, source, options, builder),
        dayfirst=_dayfirst(rows, columns, builder),
    )

    assumed: list[int] = []
    for row in rows:
        location = f"line {row.line}"
        short = len(row.cells) < len(header.cells)
        if short:
            missing = ", ".join(header.cells[len(row.cells) :])
            builder.warn(
                location,
                f"{len(row.cells)} fields where the header has {len(header.cells)} "
                f"(missing: {missing})",
            )
        elif len(row.cells) > len(header.cells) and any(
            c.strip() for c in row.cells[len(header.cells) :]
        ):
            builder.warn(
                location,
                f"{len(row.cells) - len(header.cells)} fields beyond the header were ignored",
            )
        try:
            session, was_assumed = _session(_Cells(row.cells, columns), reading)
        except ValueError as error:
            reason = str(error)
            if short:
                reason += " (the row is short)"
            builder.skip(location, reason)
            continue
        if was_assumed:
            assumed.append(row.line)
        builder.add(session, location=location)

    if assumed:
        no_end_column = not ({"end", "duration"} & columns.keys()) and "time" not in columns
        builder.warn(
            f"line {header.line} (header)" if no_end_column else f"line {assumed[0]}",
            f"no end time or duration for {len(assumed)} event(s)"
            + ("" if no_end_column else f" (lines {_lines(assumed)})")
            + "; each was assumed to last 1 hour",
        )
    return builder.build(Conference(name=Path(source).stem or source, timezone=zone))


# --- reading -------------------------------------------------------------------------------


def _read(text: str, source: str) -> tuple[_Row, list[_Row]]:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[_Row] = []
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append(_Row(line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise CatalogueError(f"{source}: line {line}: not readable as CSV ({error})") from error
    if not rows:
        raise CatalogueError(f"{source}: the file has no header row")
    return rows[0], rows[1:]


def _columns(header_row: _Row, source: str, builder: CatalogueBuilder) -> dict[str, int]:
    header, location = header_row.cells, f"line {header_row.line} (header)"
    columns: dict[str, int] = {}
    unused: list[str] = []
    for index, raw in enumerate(header):
        key = re.sub(r"[\W_]+", "", raw.casefold())
        field = _FIELD_OF.get(key)
        if field is None:
            if raw.strip():
                unused.append(raw.strip())
        elif field in columns:
            builder.warn(
                location,
                f"column {raw.strip()!r} means {field} too; only "
                f"{header[columns[field]].strip()!r} is used",
            )
        else:
            columns[field] = index
    if unused:
        builder.warn(location, f"columns not used: {', '.join(unused)}")
    if "title" not in columns:
        raise CatalogueError(
            f"{source}: no title column (expected one of: title, name, session, event, "
            f"summary); the header is {', '.join(h.strip() for h in header)}"
        )
    if "start" not in columns and "time" not in columns:
        raise CatalogueError(
            f"{source}: no start column (expected one of: start, startTime, begin, from, or "
            f"a time range column 'time'); the header is {', '.join(h.strip() for h in header)}"
        )
    return columns


def _day_names(
    rows: list[_Row],
    columns: dict[str, int],
    source: str,
    options: ImportOptions,
    builder: CatalogueBuilder,
) -> dict[str, date]:
    """Dates for days named by weekday or number, from `--first-day`; empty when not needed."""
    index = columns.get("date")
    if index is None:
        return {}
    named = {
        row.cells[index].strip()
        for row in rows
        if index < len(row.cells) and _named_day(row.cells[index]) is not None
    }
    if not named:
        return {}
    example = sorted(named)[0]
    first_day = options.first_day
    if first_day is None:
        raise CatalogueError(
            f"{source}: the file names days only by weekday or number (e.g. {example!r}); "
            "pass --first-day YYYY-MM-DD with the date of the first day"
        )
    days: dict[str, date] = {}
    for name in named:
        weekday, number = _named_day(name) or (None, None)
        if weekday is not None:
            days[name] = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
        elif number is not None:
            days[name] = first_day + timedelta(days=number - 1)
    if first_day not in days.values():
        builder.warn(
            "--first-day",
            f"--first-day {first_day.isoformat()} is a {first_day.strftime('%A')} but no event "
            f"is on that day; days were counted from it anyway",
        )
    return days


def _named_day(value: str) -> tuple[int | None, int | None] | None:
    """(weekday, None) for `Freitag`/`Fri.`, (None, n) for `Day n`/`Tag n`/`n`; else None."""
    text = value.strip().rstrip(".").casefold()
    if text in _WEEKDAYS:
        return _WEEKDAYS[text], None
    match = _DAY_NUMBER.match(text)
    if match and int(match.group(1)) >= 1:
        return None, int(match.group(1))
    return None


def _dayfirst(rows: list[_Row], columns: dict[str, int], builder: CatalogueBuilder) -> bool:
    """Whether 10/06/2024 means 10 June: decided by a date in the file that can only be read
    one way (31/12/2024 or 12/31/2024); month first, with a warning, when none can."""
    indexes = [columns[f] for f in ("date", "start", "end") if f in columns]
    ambiguous: str | None = None
    for row in rows:
        for index in indexes:
            if index >= len(row.cells):
                continue
            match = _NUMERIC_DATE.match(row.cells[index].strip())
            if match is None or match.group(2) == ".":
                continue
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
            if first != second and ambiguous is None:
                ambiguous = f"line {row.line}"
    if ambiguous is not None:
        builder.warn(
            ambiguous,
            "dates such as 10/06/2024 can be read two ways and none in the file settles it; "
            "read as month/day/year",
        )
    return False


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


# --- rows ----------------------------------------------------------------------------------


def _session(cell: _Cells, reading: _Reading) -> tuple[Session, bool]:
    title = plain_text(cell("title"))
    if not title:
        raise ValueError("no title")
    start, end, assumed = _times(cell, reading)
    room = plain_text(cell("room"))
    session_id = cell("id") or (
        "csv-" + hashlib.sha1(f"{title}|{start.isoformat()}|{room}".encode()).hexdigest()[:12]
    )
    raw_type = plain_text(cell("type"))
    session = Session(
        id=session_id,
        title=title,
        start=start,
        end=end,
        kind=_kind(raw_type, title),
        subtitle=plain_text(cell("subtitle")),
        abstract=plain_text(cell("abstract").replace("\r\n", "\n")),
        track=plain_text(cell("track")),
        tags=(raw_type,) if raw_type else (),
        language=cell("language").lower(),
        speakers=speakers_from_names(_ET_AL.sub("", cell("speakers"))),
        room=room,
        url=cell("url"),
    )
    return session, assumed


def _times(cell: _Cells, reading: _Reading) -> tuple[datetime, datetime, bool]:
    day: date | None = None
    if cell.has("date"):
        raw_date = cell("date")
        if raw_date.casefold() in _MISSING:
            raise ValueError(f"no date ({raw_date!r})" if raw_date else "no date")
        day = reading.days.get(raw_date) or _date(raw_date, reading)

    start_raw, end_raw = cell("start"), cell("end")
    if start_raw.casefold() in _MISSING and cell("time"):
        start_raw, range_end = _split_range(cell("time"))
        end_raw = end_raw if end_raw.casefold() not in _MISSING else range_end
    if start_raw.casefold() in _MISSING:
        raise ValueError(f"no start time ({start_raw!r})" if start_raw else "no start time")
    start, _ = _moment(start_raw, day, reading, "start")

    if end_raw.casefold() not in _MISSING:
        end, end_has_date = _moment(end_raw, day or start.date(), reading, "end")
        if end < start and not end_has_date:
            end += timedelta(days=1)  # the range crosses midnight
        if end < start:
            raise ValueError(f"ends ({end_raw}) before it starts ({start_raw})")
        return start, end, False
    duration_raw = cell("duration")
    if duration_raw.casefold() not in _MISSING:
        return start, start + _duration(duration_raw), False
    return start, start + _ASSUMED_DURATION, True


def _split_range(value: str) -> tuple[str, str]:
    text = value.strip()
    match = _RANGE.match(text)
    if match:
        return match.group(1), match.group(2)
    parts = _SPACED_DASH.split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (text, "")


def _date(value: str, reading: _Reading) -> date:
    try:
        if _ISO.match(value):
            return date.fromisoformat(value[:10])
        match = _NUMERIC_DATE.match(value)
        if match and match.end() == len(value):
            first, second, year = (int(g) for g in match.group(1, 3, 4))
            year += 2000 if year < 100 else 0
            if match.group(2) == "." or reading.dayfirst:
                return date(year, second, first)
            return date(year, first, second)
    except ValueError as error:
        raise ValueError(f"not a date: {value!r}") from error
    moment, has_date = _dated(value, reading, "date")
    if not has_date:
        raise ValueError(f"date {value!r} lacks a day, month or year")
    return moment.date()


def _moment(value: str, day: date | None, reading: _Reading, field: str) -> tuple[datetime, bool]:
    """A date-time from a cell, and whether the cell carried its own date."""
    text = value.strip()
    zone = reading.zone
    clock = _clock(text)
    if clock is not None:
        if day is None:
            raise ValueError(f"{field} {value!r} is a time without a date, and there is no date")
        return datetime.combine(day, time(), tzinfo=zone) + clock, False
    if _ISO.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(f"{field} is not a date-time: {value!r}") from error
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zone), True
        return moment.astimezone(zone), True
    moment, has_date = _dated(text, reading, field)
    if not has_date:
        if day is None:
            raise ValueError(f"{field} {value!r} is a time without a date, and there is no date")
        moment = _dateutil(text, day, reading, field)
    return moment.astimezone(zone), has_date


def _dated(text: str, reading: _Reading, field: str) -> tuple[datetime, bool]:
    """Read `text` with dateutil against two fixed defaults: equal dates mean the text carried
    its own complete date."""
    first = _dateutil(text, _FIXED_DAY, reading, field)
    second = _dateutil(text, _OTHER_FIXED_DAY, reading, field)
    return first, first.date() == second.date()


def _clock(text: str) -> timedelta | None:
    """`16`, `16:30`, `16h30`, `16.30`, `4:30 PM` as time since midnight (24:00 allowed)."""
    match = _HOUR.match(text)
    if match:
        hour, minute, second = int(match.group(1)), 0, 0
    elif match := _CLOCK.match(text):
        hour, minute, second = (int(g or 0) for g in match.groups())
    if match:
        if hour > 48 or minute > 59 or second > 59:
            raise ValueError(f"not a time of day: {text!r}")
        return timedelta(hours=hour, minutes=minute, seconds=second)
    match = _TWELVE.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ValueError(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
        return timedelta(hours=hour, minutes=minute)
    return None


def _dateutil(text: str, day: date, reading: _Reading, field: str) -> datetime:
    default = datetime.combine(day, time(), tzinfo=reading.zone)
    try:
        moment: datetime = dateutil_parser.parse(
            text, default=default, dayfirst=reading.dayfirst, tzinfos=_UTC_NAMES
        )
    except (ValueError, OverflowError) as error:
        raise ValueError(f"{field} is not a date or time: {text!r}") from error
    return moment


def _duration(value: str) -> timedelta:
    text = value.strip().lower()
    if re.fullmatch(r"\d+", text):
        return timedelta(minutes=int(text))
    match = re.fullmatch(r"(\d{1,2})[:h](\d{2})(?::(\d{2}))?", text)
    if match:
        return timedelta(
            hours=int(match.group(1)), minutes=int(match.group(2)), seconds=int(match.group(3) or 0)
        )
    match = re.fullmatch(r"(?:(\d+)\s*h\w*)?\s*(?:(\d+)\s*m\w*)?", text)
    if match and any(match.groups()):
        return timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
    raise ValueError(f"not a duration: {value!r}")


def _kind(raw_type: str, title: str) -> Kind:
    if re.search(r"\bservices?\b", raw_type, re.I):
        # "Conference services": breakfast, lunch, registration; the title says which.
        return _kind_named_by(title, default=Kind.OTHER)
    if _BREAKOUT.search(raw_type):
        # classify_kind's "break" pattern would read "Breakout session" as a coffee break.
        return classify_kind("talk", title)
    return classify_kind(raw_type, title)


def _kind_named_by(title: str, *, default: Kind) -> Kind:
    """The kind the title alone names, else `default` (`classify_kind` answers OTHER when
    neither an unrecognised type nor the title names one)."""
    kind = classify_kind("?", title)
    return default if kind is Kind.OTHER else kind
