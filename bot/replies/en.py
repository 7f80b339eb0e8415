"""English."""

from __future__ import annotations

from datetime import datetime

from bot.replies.base import Replies


def _time(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


ENGLISH = Replies(
    language="en",
    time=_time,
    day=_day,
    welcome="Hi, I'm Hallway, your guide to {conference}. Ask me what's on, in English or French.",
    help=(
        "I know the whole agenda of {conference}. Try:\n\n"
        "- what's on now?\n"
        "- what's next?\n"
        "- what's on after the keynote?\n"
        "- anything about cloud?\n"
        '- a title, a topic or a speaker, e.g. "SMB"'
    ),
    not_understood=(
        "Sorry, I didn't get that. Ask me about the agenda, for example "
        '"what\'s on after the keynote?" or "anything about security?". Type "help" for more.'
    ),
    on_now="On now ({time}): {count} sessions",
    nothing_now="Nothing is on right now ({time}). Coming up next:",
    next_up="Up next at {time}: {count} sessions",
    nothing_next="Nothing else is scheduled after {time}: the conference is over.",
    after="After {anchor} (ends {time}): {count} sessions from {first}",
    after_nothing="Nothing is scheduled after {anchor} (ends {time}).",
    anchor_unknown='I couldn\'t find "{topic}" in the agenda. Try its title or a word from it.',
    found='About "{topic}": {count} sessions',
    nothing_found='I found nothing about "{topic}". Try another word, or "what\'s next?".',
    more_count="Showing {shown} of {total}.",
    details="Details",
    same_time="What else is on then?",
    open_link="Open the session page",
    same_time_lead="Also on during {anchor} ({time}): {count} sessions",
    nothing_same_time="Nothing else is on during {anchor} ({time}).",
    session_gone="That session is no longer in the agenda.",
    by="with",
    error="Sorry, something went wrong on my side. Please try again in a moment.",
)
