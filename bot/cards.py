"""Adaptive Cards for sessions (schema 1.5: the highest Teams renders).

Every card action carries the session's catalogue id as `sessionId`, so any client or test can
tell which sessions were offered, in order. Actions are `Action.Submit`, which both Teams and
Web Chat deliver as a message with a `value`.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.replies import Replies
from catalogue.model import Session

CARD_VERSION = "1.5"
ACTION_DETAILS = "details"
ACTION_SAME_TIME = "same_time"


def session_card(session: Session, replies: Replies, *, timezone: Any) -> Attachment:
    """A compact card: title, when and where, who, one line of abstract, a details button."""
    body: list[dict[str, Any]] = [
        _text(session.title, weight="Bolder", size="Medium"),
        _text(_when_where(session, replies, timezone), is_subtle=True, spacing="None"),
    ]
    if session.speakers:
        body.append(_text(_speakers(session, replies), spacing="Small"))
    if session.abstract:
        body.append(_text(session.abstract, max_lines=2, spacing="Small"))
    return _card(body, [_submit(replies.details, ACTION_DETAILS, session)])


def session_details_card(session: Session, replies: Replies, *, timezone: Any) -> Attachment:
    """Everything known about a session: full abstract, speakers with their companies and bios."""
    body: list[dict[str, Any]] = [
        _text(session.title, weight="Bolder", size="Large"),
    ]
    if session.subtitle:
        body.append(_text(session.subtitle, is_subtle=True, spacing="None"))
    body.append(_text(_when_where(session, replies, timezone), spacing="Small"))
    if session.track or session.tags:
        body.append(_text(" · ".join((session.track, *session.tags)).strip(" ·"), is_subtle=True))
    if session.abstract:
        body.append(_text(session.abstract))
    for speaker in session.speakers:
        who = f"{speaker.name}, {speaker.company}" if speaker.company else speaker.name
        body.append(_text(who, weight="Bolder", spacing="Medium"))
        if speaker.bio:
            body.append(_text(speaker.bio, is_subtle=True, spacing="None", max_lines=4))
    actions = [_submit(replies.same_time, ACTION_SAME_TIME, session)]
    if session.url.startswith(("https://", "http://")):
        actions.append({"type": "Action.OpenUrl", "title": replies.open_link, "url": session.url})
    return _card(body, actions)


def _when_where(session: Session, replies: Replies, timezone: Any) -> str:
    when = replies.time_range(session.start.astimezone(timezone), session.end.astimezone(timezone))
    return f"{when} · {session.room}" if session.room else when


def _speakers(session: Session, replies: Replies) -> str:
    names = ", ".join(
        f"{p.name} ({p.company})" if p.company else p.name for p in session.speakers[:4]
    )
    more = f" +{len(session.speakers) - 4}" if len(session.speakers) > 4 else ""
    return f"{replies.by} {names}{more}"


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> Attachment:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return CardFactory.adaptive_card(card)


def _submit(title: str, action: str, session: Session) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"action": action, "sessionId": session.id},
    }


def _text(
    text: str,
    *,
    weight: str | None = None,
    size: str | None = None,
    is_subtle: bool = False,
    spacing: str | None = None,
    max_lines: int | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": text, "wrap": True}
    if weight:
        block["weight"] = weight
    if size:
        block["size"] = size
    if is_subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    if max_lines:
        block["maxLines"] = max_lines
    return block
