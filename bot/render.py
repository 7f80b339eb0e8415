"""An `Answer` in words and cards: a one-line lead saying what was understood, then sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, AttachmentLayoutTypes

from bot.cards import session_card
from bot.replies import Replies
from catalogue.ask import Answer, Intent
from catalogue.model import Catalogue, Session


def render_answer(
    answer: Answer,
    replies: Replies,
    catalogue: Catalogue,
    now: datetime,
    shortlisted: frozenset[str] = frozenset(),
) -> Activity:
    conference = catalogue.conference.name
    if answer.intent is Intent.HELP:
        return MessageFactory.text(replies.help.format(conference=conference))
    if answer.intent is Intent.GREETING:
        text = replies.welcome.format(conference=conference)
        return MessageFactory.text(f"{text}\n\n{replies.help.format(conference=conference)}")
    if answer.intent is Intent.UNKNOWN:
        return MessageFactory.text(replies.not_understood)
    lead = answer_lead(answer, replies, catalogue, now)
    return session_list(answer.sessions, lead, replies, catalogue, shortlisted, total=answer.total)


def answer_lead(answer: Answer, replies: Replies, catalogue: Catalogue, now: datetime) -> str:
    zone = catalogue.timezone
    return _lead(answer, replies, now.astimezone(zone), zone)


def session_list(
    sessions: Sequence[Session],
    lead: str,
    replies: Replies,
    catalogue: Catalogue,
    shortlisted: frozenset[str],
    *,
    total: int,
) -> Activity:
    """A lead line, then one card per session, saying how many more there are."""
    if total > len(sessions):
        lead = f"{lead} {replies.more_count.format(shown=len(sessions), total=total)}"
    if not sessions:
        return MessageFactory.text(lead)
    zone = catalogue.timezone
    cards = [
        session_card(s, replies, timezone=zone, shortlisted=s.id in shortlisted) for s in sessions
    ]
    message = MessageFactory.list(cards, text=lead)
    message.attachment_layout = AttachmentLayoutTypes.list
    return message


def _lead(answer: Answer, replies: Replies, now: datetime, zone: tzinfo) -> str:
    count = answer.total
    anchor = answer.anchor
    first = replies.time(answer.sessions[0].start.astimezone(zone)) if answer.sessions else ""
    match answer.intent:
        case Intent.NOW if answer.fallback:
            return replies.nothing_now.format(time=replies.time(now))
        case Intent.NOW:
            return replies.on_now.format(time=replies.time(now), count=count)
        case Intent.NEXT if not first:
            return replies.nothing_next.format(time=replies.time(now))
        case Intent.NEXT:
            return replies.next_up.format(time=first, count=count)
        case Intent.SEARCH if count:
            return replies.found.format(topic=answer.topic, count=count)
        case Intent.SEARCH:
            return replies.nothing_found.format(topic=answer.topic)
    if anchor is None:
        return replies.anchor_unknown.format(topic=answer.topic)
    end = replies.time(anchor.end.astimezone(zone))
    if answer.intent is Intent.DURING:
        when = replies.time_range(anchor.start.astimezone(zone), anchor.end.astimezone(zone))
        template = replies.same_time_lead if count else replies.nothing_same_time
        return template.format(anchor=anchor.title, time=when, count=count)
    if not first:
        return replies.after_nothing.format(anchor=anchor.title, time=end)
    return replies.after.format(anchor=anchor.title, time=end, count=count, first=first)
