"""A shortlist as an iCalendar file that Outlook and Google Calendar import.

Times carry the conference's TZID with a VTIMEZONE, so calendars show them right wherever the
attendee is. UIDs are stable per session and conference, so importing twice updates events
instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

import icalendar

from catalogue.model import Conference, Session

PRODUCT_ID = "-//Hallway//Conference shortlist//EN"


def session_uid(conference: Conference, session: Session) -> str:
    digest = hashlib.sha1(f"{conference.name}\n{session.id}".encode()).hexdigest()[:20]
    return f"{digest}@hallway"


def shortlist_calendar(
    conference: Conference, sessions: Iterable[Session], *, stamped: datetime
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{conference.name}: my shortlist")
    calendar.add("x-wr-timezone", conference.timezone.key)
    for session in sessions:
        calendar.add_component(_event(conference, session, stamped))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(conference: Conference, session: Session, stamped: datetime) -> icalendar.Event:
    zone = conference.timezone
    event = icalendar.Event()
    event.add("uid", session_uid(conference, session))
    event.add("dtstamp", stamped.astimezone(UTC))
    event.add("dtstart", session.start.astimezone(zone))
    event.add("dtend", session.end.astimezone(zone))
    event.add("summary", session.title)
    if session.room:
        event.add("location", session.room)
    description = _description(session)
    if description:
        event.add("description", description)
    if session.url:
        event.add("url", session.url)
    return event


def _description(session: Session) -> str:
    parts = []
    if session.speakers:
        parts.append(
            ", ".join(f"{p.name} ({p.company})" if p.company else p.name for p in session.speakers)
        )
    if session.abstract:
        parts.append(session.abstract)
    if session.url:
        parts.append(session.url)
    return "\n\n".join(parts)
