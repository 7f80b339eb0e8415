"""Adaptive Cards for sessions (schema 1.5: the highest Teams renders).

Every card action carries the session's catalogue id as `sessionId`, so any client or test can
tell which sessions were offered, in order. Actions are `Action.Submit`, which both Teams and
Web Chat deliver as a message with a `value`.
"""

from __future__ import annotations

import re
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.replies import Replies
from catalogue.model import Session
from catalogue.shortlist import Gap, PlanDay, PlanItem, Status

CARD_VERSION = "1.5"
ACTION_DETAILS = "details"
ACTION_SAME_TIME = "same_time"
ACTION_ADD = "shortlist_add"
ACTION_REMOVE = "shortlist_remove"
ACTION_ANCHOR = "anchor"
RELATIONS = ("after", "before", "during")


def session_card(
    session: Session, replies: Replies, *, timezone: Any, shortlisted: bool, universal: bool = False
) -> Attachment:
    """A compact card: title, when and where, who, a line of abstract, shortlist and details."""
    body: list[dict[str, Any]] = [
        _text(session.title, weight="Bolder", size="Medium"),
        _text(_when_where(session, replies, timezone), is_subtle=True, spacing="None"),
    ]
    if session.speakers:
        body.append(_text(_speakers(session, replies), spacing="Small"))
    if session.abstract:
        body.append(_text(session.abstract, max_lines=2, spacing="Small"))
    return _card(
        body,
        [
            _shortlist_toggle(session, replies, shortlisted, universal),
            _submit(replies.details, ACTION_DETAILS, session),
        ],
    )


def choice_card(session: Session, replies: Replies, *, timezone: Any, relation: str) -> Attachment:
    """One of the sessions an "after X" could mean, with the button that picks it."""
    body: list[dict[str, Any]] = [
        _text(session.title, weight="Bolder"),
        _text(_when_where(session, replies, timezone), is_subtle=True, spacing="None"),
    ]
    data = {"action": ACTION_ANCHOR, "sessionId": session.id, "relation": relation}
    return _card(body, [{"type": "Action.Submit", "title": replies.this_one, "data": data}])


def session_details_card(
    session: Session, replies: Replies, *, timezone: Any, shortlisted: bool, universal: bool = False
) -> Attachment:
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
    actions = [
        _shortlist_toggle(session, replies, shortlisted, universal),
        _submit(replies.same_time, ACTION_SAME_TIME, session),
    ]
    if session.url.startswith(("https://", "http://")):
        actions.append({"type": "Action.OpenUrl", "title": replies.open_link, "url": session.url})
    return _card(body, actions)


def shortlist_card(
    days: tuple[PlanDay, ...], replies: Replies, *, timezone: Any, lead: str
) -> Attachment:
    """The whole shortlist at once: day by day, compact rows in time order, gaps and clashes.
    Each row carries its session's id; tapping it opens the details (or removes a cancelled
    session)."""
    body: list[dict[str, Any]] = [_text(lead, weight="Bolder", size="Medium")]
    for plan_day in days:
        first = next(r for r in plan_day.rows if isinstance(r, PlanItem))
        body.append(
            _text(replies.day(first.start.astimezone(timezone)), weight="Bolder", spacing="Medium")
        )
        for row in plan_day.rows:
            if isinstance(row, Gap):
                free = replies.free.format(
                    start=replies.time(row.start.astimezone(timezone)),
                    end=replies.time(row.end.astimezone(timezone)),
                )
                body.append(_text(free, is_subtle=True, spacing="None", size="Small"))
            else:
                body.append(_plan_row(row, replies, timezone))
    return _card(body, [])


def _plan_row(item: PlanItem, replies: Replies, timezone: Any) -> dict[str, Any]:
    start, end = item.start.astimezone(timezone), item.end.astimezone(timezone)
    details: list[dict[str, Any]] = [
        _text(item.title, weight="Bolder", spacing="None"),
    ]
    if item.room:
        details.append(_text(item.room, is_subtle=True, spacing="None", size="Small"))
    if item.status is Status.CANCELLED:
        details.append(_text(replies.cancelled, color="Attention", spacing="None"))
    elif item.status is Status.MOVED:
        was = replies.time_range(
            item.entry.start.astimezone(timezone), item.entry.end.astimezone(timezone)
        )
        moved = replies.moved.format(when=was)
        details.append(_text(moved, color="Warning", spacing="None", size="Small"))
    for other in item.conflicts:
        clash = replies.conflicts_with.format(
            title=other.title,
            time=f"{replies.time(other.start.astimezone(timezone))}–"
            f"{replies.time(other.end.astimezone(timezone))}",
        )
        details.append(_text(clash, color="Warning", spacing="None", size="Small"))
    action = ACTION_REMOVE if item.status is Status.CANCELLED else ACTION_DETAILS
    return {
        "type": "ColumnSet",
        "spacing": "Small",
        "selectAction": {
            "type": "Action.Submit",
            "data": {"action": action, "sessionId": item.id},
        },
        "columns": [
            {
                "type": "Column",
                "width": "auto",
                "items": [_text(f"{replies.time(start)}–{replies.time(end)}", spacing="None")],
            },
            {"type": "Column", "width": "stretch", "items": details},
        ],
    }


def export_card(url: str, replies: Replies) -> Attachment:
    return _card(
        [_text(replies.export_ready)],
        [{"type": "Action.OpenUrl", "title": replies.export_button, "url": url}],
    )


def _shortlist_toggle(
    session: Session, replies: Replies, shortlisted: bool, universal: bool
) -> dict[str, Any]:
    """Add or Remove. In Teams (`universal`) an `Action.Execute`, so the card updates in
    place for the user who tapped, with an `Action.Submit` fallback for older clients.
    Elsewhere a plain `Action.Submit`: Web Chat 4.18 shows an Execute button but sends
    nothing when it is tapped, and never uses the fallback."""
    action, title = (
        (ACTION_REMOVE, replies.remove_from_list)
        if shortlisted
        else (ACTION_ADD, replies.add_to_list)
    )
    data = {"action": action, "sessionId": session.id}
    if not universal:
        return {"type": "Action.Submit", "title": title, "data": data}
    return {
        "type": "Action.Execute",
        "verb": action,
        "title": title,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def refreshed_session_card(
    session: Session, replies: Replies, *, timezone: Any, shortlisted: bool, note: str
) -> dict[str, Any]:
    """The card a Teams user sees after tapping Add or Remove: a note on top, the other button."""
    card = session_card(
        session, replies, timezone=timezone, shortlisted=shortlisted, universal=True
    ).content
    card["body"].insert(0, _text(note, weight="Bolder", color="Good"))
    return dict(card)


def notice_card(text: str) -> dict[str, Any]:
    """A card that only says something (an invoke must answer with a card)."""
    return dict(_card([_text(text)], []).content)


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


_MARKDOWN = re.compile(r"([\\*_\[\]`~])")
_LINE_MARKUP = re.compile(r"^(\s*)(?:([#>+-])|(\d+)\.)(\s)", re.MULTILINE)


def as_text(text: str) -> str:
    """Catalogue text shown as typed: TextBlocks render a Markdown subset (bold, italics,
    links, lists), so its markup characters are escaped. HTML is never rendered there."""
    escaped = _MARKDOWN.sub(r"\\\1", text)
    return _LINE_MARKUP.sub(
        lambda m: f"{m[1]}\\{m[2]}{m[4]}" if m[2] else f"{m[1]}{m[3]}\\.{m[4]}", escaped
    )


def _text(
    text: str,
    *,
    weight: str | None = None,
    size: str | None = None,
    is_subtle: bool = False,
    spacing: str | None = None,
    max_lines: int | None = None,
    color: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": as_text(text), "wrap": True}
    if color:
        block["color"] = color
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
