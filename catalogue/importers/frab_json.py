"""frab / c3voc / pretalx schedule JSON (the `schedule.json` frab and pretalx serve).

    {"schedule": {"version": "…", "base_url": "…",
                  "conference": {"acronym": "…", "title": "…", "time_zone_name": "Europe/Berlin",
                                 "url": "…",
                                 "days": [{"index": 1, "date": "2025-12-27",
                                           "rooms": {"Saal 1": [{"guid": "…", "id": 1233,
                                               "date": "2025-12-27T10:30:00+01:00",
                                               "start": "10:30", "duration": "00:30",
                                               "room": "…", "title": "…", "subtitle": "…",
                                               "track": "…", "type": "…", "language": "de",
                                               "abstract": "…", "description": "…",
                                               "persons": [{"public_name": "…",
                                                            "biography": "…"}],
                                               "url": "…"}]}}]}}}

The same data as the XML layout, so the same rules apply (`frab_common`): the 39C3 XML and
JSON exports load to the same sessions, except that only the JSON carries speakers' bios.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from catalogue.importers.common import CatalogueError, ImportOptions
from catalogue.importers.frab_common import (
    RawEvent,
    RawPerson,
    ScheduleBuilder,
    ScheduleInfo,
    one_line,
)
from catalogue.model import Catalogue

FORMAT = "frab-json"


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogueError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("schedule"), dict):
        raise CatalogueError(
            f"{source}: expected a frab/pretalx schedule (an object with a 'schedule' object)"
        )
    schedule_raw: dict[str, Any] = document["schedule"]
    conference = schedule_raw.get("conference")
    if not isinstance(conference, dict):
        raise CatalogueError(f"{source}: 'schedule.conference' is missing or not an object")
    days = conference.get("days")
    if not isinstance(days, list):
        raise CatalogueError(f"{source}: 'schedule.conference.days' is missing or not a list")

    info = ScheduleInfo(
        where="schedule.conference",
        name=_text(conference.get("title")) or _text(conference.get("acronym")),
        url=_text(conference.get("url"))
        or _text(schedule_raw.get("base_url"))
        or _text(conference.get("base_url")),
        venue=_text(conference.get("venue")),
        zone_name=_text(conference.get("time_zone_name")),
    )
    schedule = ScheduleBuilder(info, format=FORMAT, source=source, options=options)
    for position, day in enumerate(days):
        where = f"schedule.conference.days[{position}]"
        if not isinstance(day, dict):
            schedule.skip(where, "not an object")
            continue
        day_index = _text(day.get("index")) or str(position + 1)
        day_date = _day_date(day.get("date"))
        rooms = day.get("rooms")
        if not isinstance(rooms, dict):
            schedule.skip(where, "'rooms' is not an object keyed by room name")
            continue
        for room_key, events in rooms.items():
            room = one_line(room_key)
            if not isinstance(events, list):
                schedule.skip(f"{where}.rooms[{room_key!r}]", "not a list of events")
                continue
            for number, event in enumerate(events, start=1):
                if not isinstance(event, dict):
                    schedule.skip(
                        f"event #{number} (day {day_index}, room {room})", "not an object"
                    )
                    continue
                schedule.add(_event(event, day_index, day_date, room))
    return schedule.build()


def _event(raw: dict[str, Any], day_index: str, day_date: date | None, room: str) -> RawEvent:
    values = {key: _text(value) for key, value in raw.items() if _is_scalar(value)}
    persons: list[RawPerson] = []
    unnamed = 0
    raw_persons = raw.get("persons")
    for person in raw_persons if isinstance(raw_persons, list) else ():
        if isinstance(person, dict):
            name = next(
                (
                    one_line(_text(person.get(key)))
                    for key in ("public_name", "name", "full_public_name", "full_name")
                    if one_line(_text(person.get(key)))
                ),
                "",
            )
            bio = _text(person.get("biography"))
        else:
            name, bio = one_line(_text(person)), ""
        if name:
            persons.append(RawPerson(name, bio))
        else:
            unnamed += 1
    return RawEvent(
        values=values,
        day_index=day_index,
        day_date=day_date,
        room=room,
        persons=tuple(persons),
        unnamed_persons=unnamed,
    )


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return str(value).strip() if _is_scalar(value) else ""


def _day_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None
