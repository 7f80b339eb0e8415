"""An `Answer` in words and cards: a one-line lead saying what was understood, then sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, AttachmentLayoutTypes

from bot.cards import choice_card, session_card
from bot.leads import answer_lead
from bot.replies import Replies
from catalogue.ask import Answer, Intent
from catalogue.model import Catalogue, Session


def render_answer(
    answer: Answer,
    replies: Replies,
    catalogue: Catalogue,
    now: datetime,
    shortlisted: frozenset[str] = frozenset(),
    *,
    universal: bool = False,
) -> Activity:
    conference = catalogue.conference.name
    if answer.intent is Intent.HELP:
        return MessageFactory.text(replies.help.format(conference=conference))
    if answer.intent is Intent.GREETING:
        text = replies.welcome.format(conference=conference)
        return MessageFactory.text(f"{text}\n\n{replies.help.format(conference=conference)}")
    if answer.intent is Intent.UNKNOWN:
        return MessageFactory.text(replies.not_understood)
    if answer.intent is Intent.CHOOSE and answer.relation:
        lead = replies.which_anchor.format(topic=answer.topic, count=len(answer.sessions))
        cards = [
            choice_card(s, replies, timezone=catalogue.timezone, relation=answer.relation)
            for s in answer.sessions
        ]
        message = MessageFactory.list(cards, text=lead)
        message.attachment_layout = AttachmentLayoutTypes.list
        return message
    lead = answer_lead(answer, replies, catalogue, now)
    return session_list(
        answer.sessions, lead, replies, catalogue, shortlisted, total=answer.total,
        universal=universal,
    )  # fmt: skip


def session_list(
    sessions: Sequence[Session],
    lead: str,
    replies: Replies,
    catalogue: Catalogue,
    shortlisted: frozenset[str],
    *,
    total: int,
    universal: bool = False,
) -> Activity:
    """A lead line, then one card per session, saying how many more there are."""
    if total > len(sessions):
        lead = f"{lead}\n\n{replies.more_count.format(shown=len(sessions), total=total)}"
    if not sessions:
        return MessageFactory.text(lead)
    zone = catalogue.timezone
    cards = [
        session_card(
            s, replies, timezone=zone, shortlisted=s.id in shortlisted, universal=universal
        )
        for s in sessions
    ]
    message = MessageFactory.list(cards, text=lead)
    message.attachment_layout = AttachmentLayoutTypes.list
    return message
