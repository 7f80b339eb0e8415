"""frab / pentabarf / c3voc schedule XML (FOSDEM, Chaos Communication Congress, pretalx).

    <schedule>
      <conference><title>…</title><acronym>…</acronym><time_zone_name>Europe/Berlin</…>
                  <day_change>06:00:00</day_change><base_url>…</base_url></conference>
      <day index="1" date="2025-12-27" start="…" end="…">
        <room name="Saal 1">
          <event guid="…" id="1233">
            <date>2025-12-27T10:30:00+01:00</date> <start>10:30</start> <duration>00:30</duration>
            <room>…</room> <title>…</title> <subtitle/> <track>…</track> <type>…</type>
            <language>de</language> <abstract>…</abstract> <description>…</description>
            <persons><person id="6">Name</person></persons> <url>…</url>
          </event> …

Both layouts load: the c3voc/new one (`<date>` with an offset on every event, days running
06:00–06:00 so after-midnight events sit under the previous `<day>` with their real date) and
the old pentabarf one (only `HH:MM` in `<start>` and the `<day date=…>`, no zone: give
`--timezone`). Times, zones, texts and ids follow `frab_common`.

The text is parsed with the standard library's ElementTree; a document declaring entities
(`<!ENTITY`, the "billion laughs" family) is refused before parsing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, time
from xml.parsers import expat

from catalogue.importers.common import CatalogueError, ImportOptions
from catalogue.importers.frab_common import (
    RawEvent,
    RawPerson,
    ScheduleBuilder,
    ScheduleInfo,
    one_line,
)
from catalogue.model import Catalogue

FORMAT = "frab-xml"

_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    root = _root(text, source)
    info = _info(root.find("conference"))
    schedule = ScheduleBuilder(info, format=FORMAT, source=source, options=options)
    placed = 0
    for day_number, day in enumerate(root.iterfind("day"), start=1):
        day_index = (day.get("index") or "").strip() or str(day_number)
        day_date = _day_date(day.get("date"))
        for room in day.iterfind("room"):
            room_name = one_line(room.get("name"))
            for event in room.iterfind("event"):
                placed += 1
                schedule.add(_event(event, day_index, day_date, room_name))
    stray = sum(1 for _ in root.iter("event")) - placed
    if stray:
        schedule.warn("<schedule>", f"{stray} <event> element(s) outside <day><room> were not read")
    return schedule.build()


def _root(text: str, source: str) -> ET.Element:
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start()] if first else text
    if "<!ENTITY" in prolog:
        raise CatalogueError(f"{source}: XML entity declarations (<!ENTITY) are refused")
    # Blank lines before the XML declaration are an error to expat, not to an organiser.
    body = text.lstrip()
    skipped_lines = text.count("\n", 0, len(text) - len(body))
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        line, column = error.position
        line += skipped_lines
        reason = expat.ErrorString(error.code) or "not well-formed"
        raise CatalogueError(
            f"{source}: not well-formed XML (line {line}, column {column + 1}: {reason})"
        ) from error
    if root.tag != "schedule":
        raise CatalogueError(
            f"{source}: expected a frab/pentabarf <schedule> document, found <{root.tag}>"
        )
    return root


def _info(conference: ET.Element | None) -> ScheduleInfo:
    if conference is None:
        return ScheduleInfo(where="<conference>", name="")

    def field(tag: str) -> str:
        return one_line(conference.findtext(tag))

    venue = ", ".join(part for part in (field("venue"), field("city")) if part)
    return ScheduleInfo(
        where="<conference>",
        name=field("title") or field("acronym"),
        url=field("url") or field("base_url"),
        venue=venue,
        zone_name=field("time_zone_name"),
        day_change=_clock(field("day_change")),
    )


def _event(event: ET.Element, day_index: str, day_date: date | None, room: str) -> RawEvent:
    values: dict[str, str] = {key: value for key, value in event.attrib.items() if value}
    persons: list[RawPerson] = []
    unnamed = 0
    for child in event:
        if child.tag == "persons":
            for person in child.iterfind("person"):
                name = one_line("".join(person.itertext())) or one_line(person.get("name"))
                if name:
                    persons.append(RawPerson(name, person.get("biography") or ""))
                else:
                    unnamed += 1
        elif len(child) == 0:
            values[child.tag] = child.text or ""
    return RawEvent(
        values=values,
        day_index=day_index,
        day_date=day_date,
        room=room,
        persons=tuple(persons),
        unnamed_persons=unnamed,
    )


def _day_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        return None
