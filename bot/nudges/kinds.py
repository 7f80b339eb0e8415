"""The outbox items that are not nudges, for the dispatcher: whether to send one, and what.

The dispatcher treats every item alike (claim, pace, send, retry, 403); only these two
questions differ by kind, and each kind answers them in its own module.
"""

from __future__ import annotations

from datetime import datetime

from botbuilder.schema import Activity

from bot.nudges.digest import digest_activity, digest_problem
from bot.nudges.notices import notice_activity, notice_problem
from bot.nudges.outbox import ClaimedNudge
from bot.nudges.planner import ItemKind
from bot.replies import Replies
from catalogue.model import Catalogue


def item_problem(item: ClaimedNudge, catalogue: Catalogue, now: datetime) -> str:
    """Why `item` (a notice or a summary) should be dropped unsent; empty: send it."""
    if item.kind is ItemKind.NOTICE:
        return notice_problem(item, now)
    if item.kind is ItemKind.DIGEST:
        return digest_problem(item, catalogue, now)
    return f"unknown kind of item {item.kind!r}"


def item_activity(
    item: ClaimedNudge, catalogue: Catalogue, replies: Replies, now: datetime
) -> Activity:
    """The message for `item`, which `item_problem` found fit to send."""
    if item.kind is ItemKind.NOTICE:
        return notice_activity(item, catalogue, replies)
    return digest_activity(item, catalogue, replies, now)
