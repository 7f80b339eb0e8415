"""Adaptive Cards for sessions and reminder settings (schema 1.5: the highest Teams renders).

Every session card action carries the session's catalogue id as `sessionId`, so any client or
test can tell which sessions were offered, in order. Actions are `Action.Submit`, which both
Teams and Web Chat deliver as a message with a `value`; in Teams the buttons that change
something are `Action.Execute`, so the card updates in place for the user who tapped.

The reminder settings card's buttons carry an action name and one value, nothing else:
`settings_tap` reads them back and refuses anything the card could not have sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from bot.nudges.planner import NudgeSettings
from bot.nudges.settings_text import clock_text, moment_text
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

ACTION_SETTINGS_REMINDERS = "settings_reminders"
"""Reminders on or off: `value` true or false."""
ACTION_SETTINGS_LEAD = "settings_lead"
"""How long before a session: `value` one of `LEAD_CHOICES` (minutes)."""
ACTION_SETTINGS_MUTE = "settings_mute"
"""A mute: `value` one of `MUTE_CHOICES`."""
ACTION_SETTINGS_DIGEST = "settings_digest"
"""The morning summary on or off: `value` true or false."""
# A tuple, not a set: `x in SETTINGS_ACTIONS` must not raise on the unhashable values
# (lists, objects) that a hand-made activity can put where the action name goes.
SETTINGS_ACTIONS = (
    ACTION_SETTINGS_REMINDERS,
    ACTION_SETTINGS_LEAD,
    ACTION_SETTINGS_MUTE,
    ACTION_SETTINGS_DIGEST,
)
LEAD_CHOICES = (5, 10, 15, 30)
MuteChoice = Literal["hour", "tomorrow", "off"]
MUTE_CHOICES: tuple[MuteChoice, ...] = ("hour", "tomorrow", "off")
"""For an hour from the tap, until tomorrow morning, or end the mute now."""
MUTE_MORNING = time(9, 0)
"""When "tomorrow morning" begins: the 9am the words ("mute until tomorrow 9am") suggest."""


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


def nudge_card(session: Session, replies: Replies, *, timezone: Any) -> Attachment:
    """The card of a nudge: the session, and what an attendee about to go may want instead:
    take it off the list, or see what else is on at that time."""
    card = session_card(session, replies, timezone=timezone, shortlisted=True)
    card.content["actions"].insert(1, _submit(replies.same_time, ACTION_SAME_TIME, session))
    return card


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


@dataclass(frozen=True, slots=True)
class SettingsTap:
    """What a tap on the settings card asks for: exactly one field is set."""

    enabled: bool | None = None
    minutes: int | None = None
    mute: MuteChoice | None = None
    digest: bool | None = None


def settings_tap(data: Mapping[str, Any]) -> SettingsTap | None:
    """The change a settings button asks for, or None when `data` is not something the card
    sends (an unknown action, a lead time it does not offer, a value of the wrong type).

    Strict on purpose: the data comes back from the client and anyone can post an activity,
    so only the exact values the card offers are accepted (`True` is not a lead time, "15" is
    not 15)."""
    action, value = data.get("action"), data.get("value")
    if action == ACTION_SETTINGS_REMINDERS and isinstance(value, bool):
        return SettingsTap(enabled=value)
    if action == ACTION_SETTINGS_DIGEST and isinstance(value, bool):
        return SettingsTap(digest=value)
    if action == ACTION_SETTINGS_LEAD and type(value) is int and value in LEAD_CHOICES:
        return SettingsTap(minutes=value)
    if action == ACTION_SETTINGS_MUTE and value in MUTE_CHOICES:
        return SettingsTap(mute=cast(MuteChoice, value))
    return None


def mute_end(choice: MuteChoice, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When a mute picked on the card ends: an hour after the tap, or `MUTE_MORNING` on the
    next day in the conference's zone (what "mute until tomorrow 9am" says); None ends it."""
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MUTE_MORNING, tzinfo=zone)
    return None


def settings_card(
    settings: NudgeSettings,
    replies: Replies,
    *,
    now: datetime,
    timezone: ZoneInfo,
    digest_at: time,
    universal: bool = False,
    note: str = "",
) -> Attachment:
    """An attendee's reminder settings as they stand at `now`, with a button for each change:
    reminders on/off, the lead time (the current one marked), a mute, the morning summary.

    `note` (after a tap in Teams) says what just changed, on top of the refreshed card: there
    the card replaces itself and the message's text above it is not updated."""
    minutes = round(settings.lead.total_seconds() / 60)
    muted = settings.enabled and settings.muted_at(now)
    facts = [
        (
            replies.settings_reminders,
            replies.settings_on if settings.enabled else replies.settings_off,
        ),
        (replies.settings_lead, replies.settings_lead_value.format(minutes=minutes)),
    ]
    if muted and settings.muted_until is not None:
        facts.append(
            (replies.settings_muted, moment_text(settings.muted_until, now, timezone, replies))
        )
    digest = (
        clock_text(digest_at, now, timezone, replies)
        if settings.digest
        else replies.settings_digest_off
    )
    facts.append((replies.settings_digest, digest))

    body: list[dict[str, Any]] = []
    if note:
        body.append(_text(note, weight="Bolder", color="Good"))
    body += [
        _text(replies.settings_title, weight="Bolder", size="Medium"),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in facts]},
        _action_set(
            [
                _settings_button(
                    replies.settings_turn_off if settings.enabled else replies.settings_turn_on,
                    ACTION_SETTINGS_REMINDERS,
                    not settings.enabled,
                    universal,
                )
            ]
        ),
        _text(replies.settings_lead_heading, spacing="Medium"),
        _action_set(
            [
                _settings_button(
                    replies.settings_lead_choice.format(minutes=choice)
                    + (" ✓" if choice == minutes else ""),
                    ACTION_SETTINGS_LEAD,
                    choice,
                    universal,
                    current=choice == minutes,
                )
                for choice in LEAD_CHOICES
            ]
        ),
    ]
    # A mute only means something while reminders are on ("turn reminders on" ends it too).
    if settings.enabled:
        morning = clock_text(MUTE_MORNING, now, timezone, replies)
        mutes = [
            _settings_button(replies.settings_mute_hour, ACTION_SETTINGS_MUTE, "hour", universal),
            _settings_button(
                replies.settings_mute_tomorrow.format(time=morning),
                ACTION_SETTINGS_MUTE,
                "tomorrow",
                universal,
            ),
        ]
        if muted:
            mutes.append(
                _settings_button(replies.settings_unmute, ACTION_SETTINGS_MUTE, "off", universal)
            )
        body.append(_action_set(mutes, spacing="Medium"))
    body.append(
        _action_set(
            [
                _settings_button(
                    replies.settings_digest_stop if settings.digest else replies.settings_digest_on,
                    ACTION_SETTINGS_DIGEST,
                    not settings.digest,
                    universal,
                )
            ],
            spacing="Medium",
        )
    )
    return _card(body, [])


def _action_set(actions: list[dict[str, Any]], spacing: str | None = None) -> dict[str, Any]:
    """Buttons in the card's body, so each group sits under its own heading."""
    block: dict[str, Any] = {"type": "ActionSet", "actions": actions}
    if spacing:
        block["spacing"] = spacing
    return block


def _settings_button(
    title: str, action: str, value: bool | int | str, universal: bool, *, current: bool = False
) -> dict[str, Any]:
    """A settings button: `Action.Execute` in Teams (the card refreshes for the tapper only,
    the way the shortlist toggle does), `Action.Submit` elsewhere. `current` marks the choice
    already in force."""
    data = {"action": action, "value": value}
    submit: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    if current:
        submit["style"] = "positive"
    if not universal:
        return submit
    return {
        "type": "Action.Execute",
        "verb": action,
        "title": title,
        "data": data,
        **({"style": "positive"} if current else {}),
        "fallback": submit,
    }


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
_LINE_MARKS = "#>+-"
AS_TEXT_CACHE = 4096
"""Texts remembered by `as_text`: those of the sessions asked about lately, a few cards each."""


@lru_cache(maxsize=AS_TEXT_CACHE)
def as_text(text: str) -> str:
    """Catalogue text shown as typed: TextBlocks render a Markdown subset (bold, italics,
    links, lists), so its markup characters are escaped. HTML is never rendered there.

    Remembered: every answer shows the same session texts again. Most texts hold no markup,
    and two cheap checks skip the regular expressions then."""
    escaped = _MARKDOWN.sub(r"\\\1", text) if _MARKDOWN.search(text) else text
    if not _may_mark_lines(escaped):
        return escaped
    return _LINE_MARKUP.sub(
        lambda m: f"{m[1]}\\{m[2]}{m[4]}" if m[2] else f"{m[1]}{m[3]}\\.{m[4]}", escaped
    )


def _may_mark_lines(text: str) -> bool:
    """Whether `_LINE_MARKUP` may match: a line ("\\n" ends one, as for `^`) whose first
    non-blank character is a list or heading mark or a digit. Blank lines are crossed by the
    pattern's `\\s*`, which stops at the next line's first non-blank character: checked too."""
    for line in text.split("\n"):
        head = line.lstrip()[:1]  # str.lstrip strips what `\s` matches; isdecimal is `\d`
        if head and (head in _LINE_MARKS or head.isdecimal()):
            return True
    return False


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
