"""What a morning summary says when the dispatcher sends it (planned by
`bot.nudges.planner.plan_digests`): the day's shortlisted sessions still to come, as cards."""

from __future__ import annotations

import json
from datetime import date, datetime, time

from botbuilder.schema import Activity

from bot.nudges.outbox import ClaimedNudge
from bot.render import session_list
from bot.replies import Replies
from catalogue.model import Catalogue, Session

__all__ = ["digest_activity", "digest_problem", "digest_sessions"]

MAX_CARDS = 8


def digest_sessions(item: ClaimedNudge, catalogue: Catalogue, now: datetime) -> list[Session]:
    """The sessions the summary lists that are still that day in the agenda and not over."""
    data = json.loads(item.payload)
    day = date.fromisoformat(data["day"])
    sessions = [s for i in data["sessions"] if (s := catalogue.get(str(i))) is not None]
    return [s for s in sessions if catalogue.local(s.start).date() == day and s.end > now]


def digest_problem(item: ClaimedNudge, catalogue: Catalogue, now: datetime) -> str:
    """Why the summary should not go out (empty: send it)."""
    try:
        data = json.loads(item.payload)
        day = date.fromisoformat(data["day"])
        sessions = digest_sessions(item, catalogue, now)
    except (ValueError, KeyError, TypeError) as error:  # never retry what cannot be read
        return f"unreadable summary: {type(error).__name__}: {error}"
    if catalogue.local(now).date() > day:
        return "the day is over"
    if not sessions:
        return "nothing left on the shortlist that day"
    return ""


def digest_activity(
    item: ClaimedNudge, catalogue: Catalogue, replies: Replies, now: datetime
) -> Activity:
    """ "Good morning! Tue 2 Jun on your shortlist: 3 sessions", then their cards."""
    sessions = digest_sessions(item, catalogue, now)
    first = catalogue.local(sessions[0].start)
    day = replies.day(datetime.combine(first.date(), time(), tzinfo=catalogue.timezone))
    count = len(sessions)
    lead = replies.digest_lead.format(day=day, count=count, kind=replies.kind_label(None, count))
    return session_list(
        sessions[:MAX_CARDS],
        lead,
        replies,
        catalogue,
        frozenset(s.id for s in sessions),
        total=count,
    )
