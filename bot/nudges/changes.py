"""Schedule-change notices: what to tell whom after a reload, debounced (pure, no I/O).

When a reload moves a session (new start or end), puts it in another room or cancels it, every
attendee expecting a nudge for it gets one notice.  A notice waits in the outbox next to the
nudges (same leases, pacing and retries) as a row of kind ``notice`` whose payload holds the
session as the attendee last knew it (``before``) and as it is now (``after``).

Debouncing
----------
Organisers fix an agenda in bursts.  A notice is due `window` after the latest change it
describes; a change to a session whose notice is still pending is folded into that notice: its
``before`` stays, its ``after`` follows, and its due time moves.  So a burst makes one notice
with the net change (from before the first edit to after the last), and a session moved and
moved back within the window makes a notice with no net change, which the dispatcher drops
unsent.  Two limits keep a notice from waiting too long: it is due at the latest
``MAX_DEBOUNCE_WINDOWS`` windows after the first change it describes, and at the latest one
window before the session (old or new time, the earlier) starts -- but never before "now".

Several instances and restarts
------------------------------
Every instance watching the agenda sees the same change and reports it.  The outbox keeps, per
session, the placement (start, end, room) last noted and a version counter: a change whose new
placement is the one already noted is skipped (another instance noted it), anything else bumps
the version.  A notice's key names attendee, session and that version, so two instances never
make two notices for one change, and the same move made again later (there and back and there
again) is a new notice, not a duplicate of the first one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.nudges.planner import nudge_key
from catalogue.diff import CatalogueDiff
from catalogue.model import Session

__all__ = [
    "DEFAULT_DEBOUNCE",
    "MAX_DEBOUNCE_WINDOWS",
    "NotedPlacement",
    "NoticePayload",
    "NoticePlan",
    "NoticeRow",
    "PendingNotice",
    "Placement",
    "ScheduleChange",
    "SessionState",
    "notice_due",
    "notice_key",
    "plan_notices",
    "schedule_changes",
]

DEFAULT_DEBOUNCE = timedelta(minutes=2)
MAX_DEBOUNCE_WINDOWS = 5


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetimes must be tz-aware, got {moment!r}")
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Placement:
    """When and where a session is: what a notice is about (a new title alone is not news)."""

    start: datetime
    end: datetime
    room: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start))
        object.__setattr__(self, "end", _utc(self.end))

    @property
    def token(self) -> str:
        """One string per placement, for the outbox's record of what was last noted."""
        return json.dumps([self.start.isoformat(), self.end.isoformat(), self.room])


@dataclass(frozen=True, slots=True)
class SessionState:
    """A session as an attendee was (or is to be) told about it."""

    title: str
    placement: Placement

    @classmethod
    def of(cls, session: Session) -> SessionState:
        return cls(session.title, Placement(session.start, session.end, session.room))

    def as_json(self) -> dict[str, str]:
        p = self.placement
        return {
            "title": self.title,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "room": p.room,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionState:
        placement = Placement(
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(data["end"]),
            str(data.get("room", "")),
        )
        return cls(str(data.get("title", "")), placement)


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    """What one reload did to one session: `before` None is a session added (or back),
    `after` None a session cancelled."""

    session_id: str
    before: SessionState | None
    after: SessionState | None

    @property
    def is_news(self) -> bool:
        """Attendees are told: the session moved, changed room or was cancelled."""
        if self.before is None:
            return False
        return self.after is None or self.after.placement != self.before.placement

    @property
    def after_token(self) -> str | None:
        return None if self.after is None else self.after.placement.token


def schedule_changes(diff: CatalogueDiff) -> list[ScheduleChange]:
    """The changes of a reload that notices care about: moves (time or room), cancellations,
    and additions (a session back in the agenda can undo a pending cancellation notice).
    Retitles alone are left out; a moved session's notice shows its new title."""
    changes: dict[str, ScheduleChange] = {}
    for change in (*diff.moved_time, *diff.moved_room):
        changes[change.after.id] = ScheduleChange(
            change.after.id, SessionState.of(change.before), SessionState.of(change.after)
        )
    for session in diff.removed:
        changes[session.id] = ScheduleChange(session.id, SessionState.of(session), None)
    for session in diff.added:
        changes[session.id] = ScheduleChange(session.id, None, SessionState.of(session))
    return [changes[key] for key in sorted(changes)]


@dataclass(frozen=True, slots=True)
class NoticePayload:
    """What a notice says, kept in its outbox row: the session as the attendee knew it, as it
    is now (None: cancelled), and when the first change it describes was noted."""

    before: SessionState
    after: SessionState | None
    first_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_at", _utc(self.first_at))

    @property
    def net_change(self) -> bool:
        """False for a burst that ended where it started: nothing to tell."""
        return self.after is None or self.after.placement != self.before.placement

    def to_text(self) -> str:
        return json.dumps(
            {
                "before": self.before.as_json(),
                "after": None if self.after is None else self.after.as_json(),
                "first_at": self.first_at.isoformat(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_text(cls, text: str) -> NoticePayload:
        data = json.loads(text)
        after = data.get("after")
        return cls(
            SessionState.from_json(data["before"]),
            None if after is None else SessionState.from_json(after),
            datetime.fromisoformat(data["first_at"]),
        )


def notice_key(channel_id: str, user_id: str, session_id: str, version: int) -> str:
    """``channel/user/session/notice-N``: escaped like `nudge_key` (whose last part is an
    instant, so the two kinds never share a key)."""
    prefix = nudge_key(channel_id, user_id, session_id, datetime(2000, 1, 1, tzinfo=UTC))
    return f"{prefix.rpartition('/')[0]}/notice-{version}"


def notice_due(payload: NoticePayload, now: datetime, window: timedelta) -> datetime:
    """When a notice with `payload`, last changed at `now`, goes out (see the module docs)."""
    now = _utc(now)
    due = min(now + window, payload.first_at + MAX_DEBOUNCE_WINDOWS * window)
    starts = [payload.before.placement.start]
    if payload.after is not None:
        starts.append(payload.after.placement.start)
    due = min(due, min(starts) - window)
    return max(due, now)


@dataclass(frozen=True, slots=True)
class NotedPlacement:
    """The outbox's record for a session: the placement last noted (None: cancelled) and how
    many changes were noted."""

    token: str | None
    version: int


@dataclass(frozen=True, slots=True)
class PendingNotice:
    """A notice in the outbox not yet claimed, as `plan_notices` needs it."""

    key: str
    channel_id: str
    user_id: str
    payload: NoticePayload


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """A notice to insert or update."""

    key: str
    channel_id: str
    user_id: str
    session_id: str
    session_start: datetime
    """The start the attendee knew (``before``): what `Outbox.purge` goes by."""
    due_at: datetime
    payload: NoticePayload


@dataclass(frozen=True, slots=True)
class NoticePlan:
    """What the outbox does for one change, in one transaction."""

    noted: NotedPlacement | None
    """The session's new record; None: the change was noted already, do nothing."""
    updates: tuple[NoticeRow, ...] = ()
    inserts: tuple[NoticeRow, ...] = ()


def _upcoming(change: ScheduleChange, now: datetime) -> bool:
    """What the notice would announce is still ahead: the new start of a moved session, the
    old start of a cancelled one (fixing the record of a past session is no news)."""
    state = change.after if change.after is not None else change.before
    return state is not None and state.placement.start > now


def plan_notices(
    change: ScheduleChange,
    noted: NotedPlacement | None,
    pending: Sequence[PendingNotice],
    recipients: Iterable[tuple[str, str]],
    now: datetime,
    window: timedelta,
) -> NoticePlan:
    """The notices one change makes, given what the outbox holds for its session.

    - the change was noted already (its new placement is the recorded one): nothing;
    - every pending notice of the session takes the new ``after`` and a new due time;
    - if the change is news and what it announces is still ahead, every recipient (channel,
      user) without a pending notice of the session gets a new one, keyed by the session's
      new version.
    """
    if noted is not None and noted.token == change.after_token:
        return NoticePlan(None)
    version = (noted.version if noted else 0) + 1
    record = NotedPlacement(change.after_token, version)
    now = _utc(now)
    updates: list[NoticeRow] = []
    waiting: set[tuple[str, str]] = set()
    for notice in pending:
        payload = replace(notice.payload, after=change.after)
        waiting.add((notice.channel_id, notice.user_id))
        updates.append(
            NoticeRow(
                notice.key,
                notice.channel_id,
                notice.user_id,
                change.session_id,
                payload.before.placement.start,
                notice_due(payload, now, window),
                payload,
            )
        )
    inserts: list[NoticeRow] = []
    if change.is_news and change.before is not None and _upcoming(change, now):
        payload = NoticePayload(change.before, change.after, now)
        due = notice_due(payload, now, window)
        for channel_id, user_id in sorted(set(recipients) - waiting):
            inserts.append(
                NoticeRow(
                    notice_key(channel_id, user_id, change.session_id, version),
                    channel_id,
                    user_id,
                    change.session_id,
                    change.before.placement.start,
                    due,
                    payload,
                )
            )
    return NoticePlan(record, tuple(updates), tuple(inserts))
