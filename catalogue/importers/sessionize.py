"""Sessionize API v2 "All" JSON: `sessions`, `speakers`, `categories`, `rooms`, `questions`.

Sessions refer to speakers, rooms and category items by id; this module resolves them:

- `id` is the session's own id; `description` becomes the abstract; `liveUrl` the url.
- Categories: the group whose title mentions "track" gives `track`; every other session group
  (level, session format, …) goes into `tags`. Speaker-only groups are ignored.
- Kind: a keynote when `isPlenumSession` is set or the title says so. A service session
  (registration, lunch, breaks) is named by its title, else OTHER. Any other session is a talk
  unless its session-format item or its title names a workshop, lightning talk or panel; topic
  words in a talk title ("Social Media als Spielfeld…") do not make it a social event.
- Speakers: `fullName` (else first and last name), `tagLine` as the company line, `bio`.
- Times are local wall-clock times without an offset, so the conference zone must come from
  `--timezone`. Sessions without `startsAt` (not yet scheduled) are skipped with a reason.
- Sessionize exports carry no conference name: the file name (without extension) is used.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from catalogue.importers.common import (
    CatalogueBuilder,
    CatalogueError,
    ImportOptions,
    aware,
    classify_kind,
    plain_text,
)
from catalogue.model import Catalogue, Conference, Kind, Session, Speaker

FORMAT = "sessionize"

_TRACK_GROUP = re.compile(r"\btracks?\b", re.I)
_FORMAT_KINDS = frozenset({Kind.KEYNOTE, Kind.WORKSHOP, Kind.LIGHTNING, Kind.PANEL})
_MINUTES = re.compile(r"(\d+)\s*min", re.I)


def parse(text: str, *, source: str, options: ImportOptions) -> Catalogue:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogueError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("sessions"), list):
        raise CatalogueError(f"{source}: expected a Sessionize 'All' export with a 'sessions' list")
    if options.timezone is None:
        raise CatalogueError(
            f"{source}: Sessionize times have no time zone; pass --timezone "
            "(for example --timezone Europe/London)"
        )
    conference = Conference(name=Path(source).stem or source, timezone=options.timezone)
    builder = CatalogueBuilder(format=FORMAT, source=source)
    lookup = _Lookup(document, builder)
    for index, raw in enumerate(document["sessions"]):
        location = f"sessions[{index}]"
        if isinstance(raw, dict) and raw.get("id") is not None:
            location += f" (id {raw['id']})"
        try:
            session = _session(raw, conference, lookup, location)
        except (ValueError, TypeError, KeyError) as error:
            builder.skip(location, str(error).strip("'\""))
            continue
        if session is not None:
            builder.add(session, location=location)
    return builder.build(conference)


class _Lookup:
    """The export's id tables: speakers, rooms and category items."""

    def __init__(self, document: dict[str, Any], builder: CatalogueBuilder) -> None:
        self.builder = builder
        self.speakers: dict[str, Speaker] = {}
        for raw in _objects(document.get("speakers")):
            name = plain_text(raw.get("fullName")) or plain_text(
                f"{raw.get('firstName') or ''} {raw.get('lastName') or ''}"
            )
            if raw.get("id") is not None and name:
                self.speakers[str(raw["id"])] = Speaker(
                    name=name,
                    company=plain_text(raw.get("tagLine")),
                    bio=_text(raw.get("bio")),
                )
        self.rooms = {
            str(raw["id"]): plain_text(raw.get("name"))
            for raw in _objects(document.get("rooms"))
            if raw.get("id") is not None
        }
        # category item id -> (is the track group, group title, item name)
        self.items: dict[str, tuple[bool, str, str]] = {}
        for group in _objects(document.get("categories")):
            if str(group.get("type") or "session").lower() != "session":
                continue
            title = plain_text(group.get("title"))
            is_track = bool(_TRACK_GROUP.search(title))
            for item in _objects(group.get("items")):
                if item.get("id") is not None:
                    self.items[str(item["id"])] = (is_track, title, plain_text(item.get("name")))

    def speaker(self, speaker_id: Any, location: str) -> Speaker | None:
        found = self.speakers.get(str(speaker_id))
        if found is None:
            self.builder.warn(location, f"unknown speaker id {speaker_id!r} left out")
        return found

    def room(self, room_id: Any, location: str) -> str:
        if room_id is None:
            return ""
        name = self.rooms.get(str(room_id))
        if name is None:
            self.builder.warn(location, f"unknown room id {room_id!r}; no room given")
            return ""
        return name


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _session(raw: Any, conference: Conference, lookup: _Lookup, location: str) -> Session | None:
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    if raw.get("id") in (None, ""):
        raise KeyError("missing 'id'")
    title = plain_text(raw.get("title"))
    if not title:
        raise KeyError("missing 'title'")
    if not raw.get("startsAt"):
        lookup.builder.skip(location, f"{title!r} is not scheduled yet (no startsAt)")
        return None
    start = _time(raw["startsAt"], "startsAt", conference)
    end = _time(raw["endsAt"], "endsAt", conference) if raw.get("endsAt") else start
    if not raw.get("endsAt"):
        lookup.builder.warn(location, "no endsAt; loaded as ending when it starts")
    if end < start:
        raise ValueError(f"ends ({raw['endsAt']}) before it starts ({raw['startsAt']})")

    track, tags, formats = "", [], []
    for item_id in raw.get("categoryItems") or ():
        entry = lookup.items.get(str(item_id))
        if entry is None:
            lookup.builder.warn(location, f"unknown category item {item_id!r} left out")
            continue
        is_track, group, name = entry
        if is_track and not track:
            track = name
        elif name:
            tags.append(name)
            if re.search(r"format|type", group, re.I):
                formats.append(name)

    speakers = tuple(
        found
        for speaker_id in raw.get("speakers") or ()
        if (found := lookup.speaker(speaker_id, location)) is not None
    )
    minutes = round((end - start).total_seconds() / 60)
    return Session(
        id=str(raw["id"]),
        title=title,
        start=start,
        end=end,
        kind=_kind(raw, title, _format_for(formats, minutes)),
        abstract=_text(raw.get("description")),
        track=track,
        tags=tuple(dict.fromkeys(tags)),
        speakers=speakers,
        room=lookup.room(raw.get("roomId"), location),
        url=str(raw.get("liveUrl") or ""),
    )


def _format_for(formats: list[str], minutes: int) -> str:
    """The session-format item that fits; with several ("45 min talk", "20 min lightning
    talk"), the one whose minutes match the slot."""
    for name in formats:
        match = _MINUTES.search(name)
        if match and int(match.group(1)) == minutes:
            return name
    return formats[0] if formats else ""


def _kind(raw: dict[str, Any], title: str, session_format: str) -> Kind:
    if raw.get("isPlenumSession"):
        return Kind.KEYNOTE
    if raw.get("isServiceSession"):
        return _kind_named_by(title, default=Kind.OTHER)
    if session_format:
        return classify_kind(session_format, title)
    named = _kind_named_by(title, default=Kind.TALK)
    return named if named in _FORMAT_KINDS else Kind.TALK


def _kind_named_by(title: str, *, default: Kind) -> Kind:
    """The kind the title alone names, else `default` (`classify_kind` answers OTHER when
    neither an unrecognised type nor the title names one)."""
    kind = classify_kind("?", title)
    return default if kind is Kind.OTHER else kind


def _time(value: Any, field: str, conference: Conference) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"'{field}' is not an ISO date-time: {value!r}") from error
    return aware(moment, conference.timezone).astimezone(conference.timezone)


def _text(value: Any) -> str:
    """Plain text with Windows line breaks made plain too."""
    return plain_text(str(value).replace("\r\n", "\n")) if value else ""
