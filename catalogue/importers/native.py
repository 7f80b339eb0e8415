"""Hallway's own JSON format, simple enough for an organiser to write by hand.

    {"hallway": 1,
     "conference": {"name": "…", "timezone": "America/Toronto", "venue": "…", "url": "…"},
     "sessions": [{"id": "k1", "title": "…", "start": "2016-07-11T08:30",
                   "end": "2016-07-11T10:30", "kind": "keynote", "room": "…", "track": "…",
                   "tags": ["…"], "language": "en", "subtitle": "…", "abstract": "…",
                   "url": "…", "speakers": [{"name": "…", "company": "…", "bio": "…"}]}]}

Times without an offset are wall-clock times in the conference's time zone. `id`, `title`,
`start` and `end` are required; everything else is optional. The README documents each field.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from catalogue.importers.common import (
    CatalogueBuilder,
    CatalogueError,
    ImportOptions,
    aware,
    classify_kind,
    plain_text,
    zone_named,
)
from catalogue.model import Catalogue, Conference, Kind, Session, Speaker

FORMAT = "native"


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogueError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("conference"), dict):
        raise CatalogueError(f"{source}: expected an object with 'conference' and 'sessions'")
    conference = _conference(document["conference"], source, options)
    sessions = document.get("sessions")
    if not isinstance(sessions, list):
        raise CatalogueError(f"{source}: 'sessions' must be a list")

    builder = CatalogueBuilder(format=FORMAT, source=source)
    for index, raw in enumerate(sessions):
        location = f"sessions[{index}]"
        if isinstance(raw, dict) and raw.get("id"):
            location += f" (id {raw['id']})"
        try:
            builder.add(_session(raw, conference), location=location)
        except (ValueError, TypeError, KeyError) as error:
            builder.skip(location, str(error).strip("'\""))
    return builder.build(conference)


def _conference(raw: dict[str, Any], source: str, options: ImportOptions) -> Conference:
    zone_name = raw.get("timezone")
    if zone_name:
        zone = zone_named(str(zone_name), what=f"{source}: conference.timezone")
    elif options.timezone is not None:
        zone = options.timezone
    else:
        raise CatalogueError(f"{source}: conference.timezone is missing; add it or pass --timezone")
    return Conference(
        name=plain_text(raw.get("name")) or source,
        timezone=zone,
        url=str(raw.get("url") or ""),
        venue=plain_text(raw.get("venue")),
    )


def _session(raw: Any, conference: Conference) -> Session:
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    for required in ("id", "title", "start", "end"):
        if not raw.get(required):
            raise KeyError(f"missing '{required}'")
    start = _time(raw["start"], "start", conference)
    end = _time(raw["end"], "end", conference)
    if end < start:
        raise ValueError(f"ends ({raw['end']}) before it starts ({raw['start']})")
    title = plain_text(raw["title"])
    kind_text = str(raw.get("kind") or "")
    kind = _kind(kind_text, title)
    return Session(
        id=str(raw["id"]),
        title=title,
        start=start,
        end=end,
        kind=kind,
        subtitle=plain_text(raw.get("subtitle")),
        abstract=plain_text(raw.get("abstract")),
        track=plain_text(raw.get("track")),
        tags=tuple(plain_text(t) for t in raw.get("tags") or () if plain_text(t)),
        language=str(raw.get("language") or "").strip().lower(),
        speakers=tuple(_speaker(s) for s in raw.get("speakers") or ()),
        room=plain_text(raw.get("room")),
        url=str(raw.get("url") or ""),
    )


_KINDS = {kind.value: kind for kind in Kind}


def _kind(kind_text: str, title: str) -> Kind:
    kind = _KINDS.get(kind_text.strip().lower())
    return kind if kind is not None else classify_kind(kind_text, title)


def _speaker(raw: Any) -> Speaker:
    if isinstance(raw, str):
        return Speaker(name=plain_text(raw))
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ValueError("a speaker needs a 'name'")
    return Speaker(
        name=plain_text(raw["name"]),
        company=plain_text(raw.get("company")),
        bio=plain_text(raw.get("bio")),
    )


def _time(value: Any, field: str, conference: Conference) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"'{field}' is not an ISO date-time: {value!r}") from error
    return aware(moment, conference.timezone)
