"""What a schedule-change notice says when the dispatcher sends it (see `bot.nudges.changes`).

The text comes from the notice's own payload (the session as the attendee knew it and as it is
now), not from this instance's agenda, so every instance says the same thing even while one of
them still serves an older file.  The session's card is attached when the agenda shows it where
the notice says it is.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from bot.cards import session_card
from bot.nudges.changes import NoticePayload, Placement
from bot.nudges.outbox import ClaimedNudge
from bot.replies import Replies
from catalogue.model import Catalogue

__all__ = ["notice_activity", "notice_problem", "notice_text"]


def notice_problem(notice: ClaimedNudge, now: datetime) -> str:
    """Why the notice should not go out (empty: send it): nothing changed in the end, or what
    it announces has already started."""
    try:
        payload = NoticePayload.from_text(notice.payload)
    except (ValueError, KeyError, TypeError) as error:  # never retry what cannot be read
        return f"unreadable notice: {type(error).__name__}: {error}"
    if not payload.net_change:
        return "no net change: the session is back where it was"
    relevant = payload.after if payload.after is not None else payload.before
    if relevant.placement.start <= now:
        return "session already started"
    return ""


def _room(room: str, replies: Replies) -> str:
    if not room:
        return replies.room_unknown
    return replies.numbered_room.format(room=room) if room[:1].isdigit() else room


def _span(placement: Placement, zone: ZoneInfo, replies: Replies, *, day: bool = True) -> str:
    start, end = placement.start.astimezone(zone), placement.end.astimezone(zone)
    times = f"{replies.time(start)}–{replies.time(end)}"
    return f"{replies.day(start)} {times}" if day else times


def notice_text(payload: NoticePayload, replies: Replies, zone: ZoneInfo) -> str:
    """ "Schedule change: “Rust” has moved from Tue 2 Jun 10:00–11:00 to 10:30–11:30.",
    with the room when it changed, or "... has been cancelled."."""
    before = payload.before.placement
    if payload.after is None:
        when = _span(before, zone, replies)
        if before.room:
            when = f"{when}, {_room(before.room, replies)}"
        return replies.notice_cancelled.format(title=payload.before.title, when=when)
    after = payload.after.placement
    title = payload.after.title
    moved = (before.start, before.end) != (after.start, after.end)
    same_day = before.start.astimezone(zone).date() == after.start.astimezone(zone).date()
    if moved and before.room != after.room:
        return replies.notice_both.format(
            title=title,
            before=_span(before, zone, replies),
            before_room=_room(before.room, replies),
            after=_span(after, zone, replies, day=not same_day),
            after_room=_room(after.room, replies),
        )
    if moved:
        return replies.notice_time.format(
            title=title,
            before=_span(before, zone, replies),
            after=_span(after, zone, replies, day=not same_day),
        )
    return replies.notice_room.format(
        title=title,
        before_room=_room(before.room, replies),
        after_room=_room(after.room, replies),
        when=_span(after, zone, replies),
    )


def notice_activity(notice: ClaimedNudge, catalogue: Catalogue, replies: Replies) -> Activity:
    """The message: the notice's text, with the session's card when the agenda agrees with it."""
    payload = NoticePayload.from_text(notice.payload)
    text = notice_text(payload, replies, catalogue.timezone)
    session = catalogue.get(notice.session_id)
    if (
        session is None
        or payload.after is None
        or Placement(session.start, session.end, session.room) != payload.after.placement
    ):
        return MessageFactory.text(text)
    card = session_card(session, replies, timezone=catalogue.timezone, shortlisted=True)
    return MessageFactory.attachment(card, text=text)
