"""The one-line lead of an answer: what the bot understood, in the attendee's language.

"After Transforming our world together (ends 10:30): 7 sessions from 11:00", "Tue 12 Jul,
afternoon: 3 workshops about “azure”", "“Built a profitable solution practice” is on Mon 11
Jul 14:00–15:00 in Commons Theater 2."
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from operator import attrgetter

from bot.replies import Replies
from catalogue.ask import Answer, Intent
from catalogue.model import Catalogue, Session
from catalogue.timeparse import TimeWindow


def answer_lead(answer: Answer, replies: Replies, catalogue: Catalogue, now: datetime) -> str:
    zone = catalogue.timezone
    local_now = now.astimezone(zone)
    what = _what(answer, replies)
    first = _time(answer.sessions[0].start, zone, replies) if answer.sessions else ""
    anchor = answer.anchor
    if answer.out_of_range and answer.window is not None:
        return _out_of_range(answer.window, replies, catalogue)
    match answer.intent:
        case Intent.NOW if answer.fallback:
            return replies.nothing_now.format(time=replies.time(local_now))
        case Intent.NOW:
            return replies.on_now.format(time=replies.time(local_now), what=what)
        case Intent.NEXT if not first:
            return replies.nothing_next.format(time=replies.time(local_now))
        case Intent.NEXT:
            return replies.next_up.format(time=first, what=what)
        case Intent.WINDOW if answer.window is not None:
            when = window_phrase(answer.window, replies)
            if answer.fallback or not answer.sessions:
                return _nothing_then(answer, replies, when)
            return replies.window_lead.format(when=when, what=what)
        case Intent.SEARCH | Intent.WHO if not answer.sessions or answer.fallback:
            return replies.nothing_found.format(topic=answer.topic or _kind(answer, replies))
        case Intent.WHO:
            return _who(answer, replies, what)
        case Intent.SEARCH:
            return replies.found.format(what=what)
        case Intent.WHEN | Intent.WHERE if not answer.sessions:
            return replies.anchor_unknown.format(topic=answer.topic or _kind(answer, replies))
        case Intent.WHEN | Intent.WHERE:
            return _locate(answer.intent, answer.sessions[0], replies, zone)
        case Intent.PRESENTING if not answer.sessions:
            return replies.nothing_presenting.format(presenter=answer.presenter)
        case Intent.PRESENTING:
            return replies.presenting_lead.format(presenter=answer.presenter, what=what)
    if anchor is None:
        return replies.anchor_unknown.format(topic=answer.topic)
    if answer.intent is Intent.DURING:
        when = replies.time_range(anchor.start.astimezone(zone), anchor.end.astimezone(zone))
        template = replies.same_time_lead if answer.total else replies.nothing_same_time
        return template.format(anchor=anchor.title, time=when, count=answer.total)
    if answer.intent is Intent.BEFORE:
        start = _time(anchor.start, zone, replies)
        if not first or answer.fallback:
            return replies.before_nothing.format(anchor=anchor.title, time=start)
        return replies.before.format(anchor=anchor.title, time=start, what=what)
    end = _time(anchor.end, zone, replies)
    if not first or answer.fallback:
        return replies.after_nothing.format(anchor=anchor.title, time=end)
    return replies.after.format(anchor=anchor.title, time=end, what=what, first=first)


def window_phrase(window: TimeWindow, replies: Replies) -> str:
    """ "Tue 12 Jul at 14:00", "Tue 12 Jul, afternoon", "Tue 12 Jul 14:00–16:00"."""
    start, end = window.start, window.end
    day = replies.day(start)
    if window.precise:
        return f"{day} {replies.at} {replies.time(start)}"
    part = next((p for p in replies.parts_of_day if p in window.label), None)
    if part is not None:
        return f"{day}, {replies.parts_of_day[part]}"
    if end - start == timedelta(days=1) and start.hour == 0 and start.minute == 0:
        return day
    if end - start < timedelta(days=1) and start.date() == (end - timedelta(minutes=1)).date():
        return f"{day} {replies.time(start)}–{replies.time(end)}"
    return f"{day} – {replies.day(end - timedelta(minutes=1))}"


def _what(answer: Answer, replies: Replies) -> str:
    return replies.what.format(
        count=answer.total,
        kind=_kind(answer, replies),
        about=replies.about.format(topic=answer.topic) if answer.topic else "",
        room=replies.in_room.format(room=answer.room) if answer.room else "",
        language=replies.language_names.get(answer.language or "", ""),
    )


def _kind(answer: Answer, replies: Replies) -> str:
    return replies.kind_label(answer.kind.value if answer.kind else None, answer.total)


def _nothing_then(answer: Answer, replies: Replies, when: str) -> str:
    plain = _what(answer, replies).split(" ", 1)[1]  # "workshops about …", without the count
    text = replies.nothing_in_window.format(what_plain=plain, when=when)
    return f"{text} {replies.closest}" if answer.sessions else text


def _who(answer: Answer, replies: Replies, what: str) -> str:
    names: list[str] = []
    for session in answer.sessions:
        for speaker in session.speakers:
            if speaker.name not in names:
                names.append(speaker.name)
    if not names:
        return replies.found.format(what=what)
    return replies.who_lead.format(topic=answer.topic, names=", ".join(names[:6]))


def _locate(intent: Intent, session: Session, replies: Replies, zone: tzinfo) -> str:
    when = replies.time_range(session.start.astimezone(zone), session.end.astimezone(zone))
    if intent is Intent.WHERE and session.room:
        return replies.where_lead.format(title=session.title, room=session.room, when=when)
    where = replies.in_room.format(room=session.room) if session.room else ""
    return replies.when_lead.format(title=session.title, when=when, where=where)


def _out_of_range(window: TimeWindow, replies: Replies, catalogue: Catalogue) -> str:
    zone = catalogue.timezone
    sessions = catalogue.sessions
    return replies.out_of_range.format(
        when=window_phrase(window, replies),
        conference=catalogue.conference.name,
        first=replies.day(sessions[0].start.astimezone(zone)),
        last=replies.day(max(map(_END, sessions)).astimezone(zone)),
    )


_END = attrgetter("end")
"""In C: `max` over every session's end, with no Python call per session."""


def _time(moment: datetime, zone: tzinfo, replies: Replies) -> str:
    return replies.time(moment.astimezone(zone))
