"""Teams specifics: Universal Action (Action.Execute) answers and the search messaging extension.

Both are invokes: Teams waits for the HTTP response itself (5 seconds at most), so they answer
from the catalogue in memory and one storage read, never with a proactive message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import AdaptiveCardInvokeResponse, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot.cards import session_details_card
from bot.replies import Replies
from catalogue.ask import Answerer
from catalogue.model import Session

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
SEARCH_PARAMETER = "searchKeywords"
MAX_RESULTS = 25


def card_response(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    """The invoke response Teams expects for `adaptiveCard/action`: the card to show now."""
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def search_query(query: MessagingExtensionQuery) -> tuple[str, bool, int, int]:
    """The keywords typed, whether this is the initial run, and the page asked for."""
    keywords, initial = "", False
    for parameter in query.parameters or ():
        if parameter.name == SEARCH_PARAMETER and isinstance(parameter.value, str):
            keywords = parameter.value.strip()
        elif parameter.name == "initialRun":
            initial = str(parameter.value).lower() == "true"
    options = query.query_options
    skip = max(int(getattr(options, "skip", 0) or 0), 0)
    count = min(max(int(getattr(options, "count", 0) or MAX_RESULTS), 1), MAX_RESULTS)
    return keywords, initial or not keywords, skip, count


def search_results(
    answerer: Answerer,
    query: MessagingExtensionQuery,
    now: datetime,
    replies: Replies,
    shortlisted: frozenset[str],
) -> MessagingExtensionResponse:
    """Sessions for the message box search: what the keywords find, or what is on now and
    next when nothing was typed yet. Each result previews as a thumbnail and inserts the full
    session card."""
    keywords, initial, skip, count = search_query(query)
    if initial:
        sessions = list(answerer.answer("now", now).sessions) + list(
            answerer.answer("next", now).sessions
        )
    else:
        sessions = [m.session for m in answerer.index.search(keywords, limit=skip + count)]
    unique = list({s.id: s for s in sessions}.values())[skip : skip + count]
    zone = answerer.catalogue.timezone
    attachments = [_result(s, replies, zone, s.id in shortlisted) for s in unique]
    return MessagingExtensionResponse(
        compose_extension=MessagingExtensionResult(
            type="result", attachment_layout="list", attachments=attachments
        )
    )


def _result(
    session: Session, replies: Replies, zone: Any, shortlisted: bool
) -> MessagingExtensionAttachment:
    card = session_details_card(
        session, replies, timezone=zone, shortlisted=shortlisted, universal=True
    )
    when = replies.time_range(session.start.astimezone(zone), session.end.astimezone(zone))
    preview = CardFactory.thumbnail_card(
        ThumbnailCard(
            title=session.title,
            subtitle=f"{when} · {session.room}" if session.room else when,
            text=session.abstract[:120],
        )
    )
    return MessagingExtensionAttachment(
        content_type=card.content_type, content=card.content, preview=preview
    )
