"""Schedule-change notices, the pure part: which changes count, debouncing, keys, texts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.nudges.changes import (
    MAX_DEBOUNCE_WINDOWS,
    NotedPlacement,
    NoticePayload,
    PendingNotice,
    Placement,
    ScheduleChange,
    SessionState,
    notice_due,
    notice_key,
    plan_notices,
    schedule_changes,
)
from bot.nudges.notices import notice_problem, notice_text
from bot.nudges.outbox import ClaimedNudge, ItemKind
from bot.replies import ENGLISH, FRENCH
from catalogue.diff import diff
from catalogue.model import Catalogue, Conference, Session

PARIS = ZoneInfo("Europe/Paris")
NINE = datetime(2026, 6, 2, 9, 0, tzinfo=PARIS)
WINDOW = timedelta(minutes=2)
ALICE = ("msteams", "29:alice")
BOB = ("msteams", "29:bob")


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=PARIS)


def state(
    start: datetime, minutes: int = 60, room: str = "Room 1", title: str = "Rust"
) -> SessionState:
    return SessionState(title, Placement(start, start + timedelta(minutes=minutes), room))


TEN = state(at(10))
HALF_PAST = state(at(10, 30))


def moved(
    before: SessionState | None = TEN, after: SessionState | None = HALF_PAST
) -> ScheduleChange:
    return ScheduleChange("t1", before, after)


# -- which changes count ---------------------------------------------------------------------


def session(sid: str, start: datetime, room: str = "Room 1", title: str = "Rust") -> Session:
    return Session(sid, title, start, start + timedelta(hours=1), room=room)


def catalogue(*sessions: Session) -> Catalogue:
    return Catalogue(Conference("Conf", PARIS), sessions)


def test_moves_rerooms_cancellations_and_additions_count_retitles_alone_do_not() -> None:
    old = catalogue(
        session("moved", at(10)),
        session("reroomed", at(11)),
        session("retitled", at(12)),
        session("cancelled", at(13)),
        session("both", at(14)),
    )
    new = catalogue(
        session("moved", at(10, 30)),
        session("reroomed", at(11), room="Room 9"),
        session("retitled", at(12), title="Rust, again"),
        session("both", at(15), room="Room 2", title="Renamed"),
        session("added", at(16)),
    )
    changes = {c.session_id: c for c in schedule_changes(diff(old, new))}
    assert sorted(changes) == ["added", "both", "cancelled", "moved", "reroomed"]
    assert [c.is_news for c in map(changes.get, sorted(changes)) if c] == [
        False, True, True, True, True
    ]  # fmt: skip
    assert changes["cancelled"].after is None and changes["added"].before is None
    both = changes["both"]
    assert both.after is not None and both.after.title == "Renamed"
    assert both.after.placement == Placement(at(15), at(16), "Room 2")


# -- planning --------------------------------------------------------------------------------


def test_a_first_change_makes_one_notice_per_recipient_due_a_window_later() -> None:
    plan = plan_notices(moved(), None, [], [ALICE, BOB, ALICE], NINE, WINDOW)
    assert plan.noted == NotedPlacement(HALF_PAST.placement.token, 1)
    assert plan.updates == ()
    assert [r.user_id for r in plan.inserts] == ["29:alice", "29:bob"]
    row = plan.inserts[0]
    assert row.key == "msteams/29:alice/t1/notice-1"
    assert row.due_at == NINE + WINDOW and row.due_at.tzinfo is UTC
    assert row.session_start == TEN.placement.start
    assert row.payload == NoticePayload(TEN, HALF_PAST, NINE)


def test_a_change_already_noted_by_another_instance_does_nothing() -> None:
    noted = NotedPlacement(HALF_PAST.placement.token, 4)
    assert plan_notices(moved(), noted, [], [ALICE], NINE, WINDOW).noted is None


def test_a_later_change_folds_into_the_pending_notice() -> None:
    first = plan_notices(moved(), None, [], [ALICE], NINE, WINDOW)
    [row] = first.inserts
    pending = [PendingNotice(row.key, *ALICE, row.payload)]
    eleven = state(at(11), room="Room 2")
    later = NINE + timedelta(seconds=90)
    second = plan_notices(
        moved(HALF_PAST, eleven), first.noted, pending, [ALICE, BOB], later, WINDOW
    )
    assert second.noted == NotedPlacement(eleven.placement.token, 2)
    [update] = second.updates
    assert update.key == row.key  # the same notice, not a second one
    assert update.payload == NoticePayload(TEN, eleven, NINE)  # before the first, after the last
    assert update.due_at == later + WINDOW  # the window restarts at the latest change
    [new] = second.inserts  # Bob had no notice pending: his starts from this change
    assert new.user_id == "29:bob" and new.key.endswith("/notice-2")
    assert new.payload.before == HALF_PAST


def test_moved_and_moved_back_leaves_a_notice_with_no_net_change() -> None:
    first = plan_notices(moved(), None, [], [ALICE], NINE, WINDOW)
    [row] = first.inserts
    pending = [PendingNotice(row.key, *ALICE, row.payload)]
    back = plan_notices(moved(HALF_PAST, TEN), first.noted, pending, [ALICE], NINE, WINDOW)
    [update] = back.updates
    assert not update.payload.net_change
    assert back.inserts == ()


def test_the_same_move_made_again_later_is_a_new_notice() -> None:
    noted = NotedPlacement(TEN.placement.token, 2)  # moved there, back, notices sent
    plan = plan_notices(moved(), noted, [], [ALICE], NINE, WINDOW)
    assert [r.key for r in plan.inserts] == ["msteams/29:alice/t1/notice-3"]


def test_an_addition_only_updates_pending_notices() -> None:
    cancelled = plan_notices(moved(TEN, None), None, [], [ALICE], NINE, WINDOW)
    [row] = cancelled.inserts
    assert row.payload.after is None and row.payload.net_change
    pending = [PendingNotice(row.key, *ALICE, row.payload)]
    back = plan_notices(moved(None, TEN), cancelled.noted, pending, [BOB], NINE, WINDOW)
    [update] = back.updates
    assert not update.payload.net_change and back.inserts == ()


def test_a_change_to_a_past_session_tells_nobody() -> None:
    plan = plan_notices(moved(), None, [], [ALICE], at(10, 45), WINDOW)
    assert plan.noted is not None and plan.inserts == ()


# -- debouncing ------------------------------------------------------------------------------


def test_a_notice_waits_a_window_but_not_forever_and_not_past_the_session() -> None:
    payload = NoticePayload(state(at(12)), state(at(13)), NINE)
    assert notice_due(payload, NINE, WINDOW) == NINE + WINDOW
    late = NINE + MAX_DEBOUNCE_WINDOWS * WINDOW - timedelta(seconds=10)
    assert notice_due(payload, late, WINDOW) == NINE + MAX_DEBOUNCE_WINDOWS * WINDOW
    soon = NoticePayload(state(at(9, 1)), state(at(9, 30)), NINE)
    assert notice_due(soon, NINE, WINDOW) == NINE  # starts within the window: at once
    assert notice_due(payload, NINE, timedelta(0)) == NINE


# -- keys and payloads -----------------------------------------------------------------------


def test_keys_are_escaped_and_never_look_like_nudge_keys() -> None:
    assert notice_key("msteams", "a/b%c", "s/1", 7) == "msteams/a%2Fb%25c/s%2F1/notice-7"


def test_payloads_survive_the_outbox() -> None:
    payload = NoticePayload(state(at(10), room="Salle Été"), None, NINE)
    assert NoticePayload.from_text(payload.to_text()) == payload
    assert "Été" in payload.to_text()


# -- what the notice says --------------------------------------------------------------------


def test_notice_texts_in_english_and_french() -> None:
    def say(after: SessionState | None, before: SessionState = TEN, *, fr: bool = False) -> str:
        return notice_text(NoticePayload(before, after, NINE), FRENCH if fr else ENGLISH, PARIS)

    assert say(HALF_PAST) == (
        "Schedule change: “Rust” has moved from Tue 2 Jun 10:00–11:00 to 10:30–11:30."
    )
    assert say(state(at(9, day=3))) == (
        "Schedule change: “Rust” has moved from Tue 2 Jun 10:00–11:00 to Wed 3 Jun 09:00–10:00."
    )
    assert say(state(at(10), room="Room 9")) == (
        "Schedule change: “Rust” has moved from Room 1 to Room 9 (Tue 2 Jun 10:00–11:00)."
    )
    assert say(state(at(11), room="202"), fr=True) == (
        "Changement de programme : « Rust » passe de mar. 2 juin 10 h–11 h (Room 1) "
        "à 11 h–12 h (salle 202)."
    )
    assert say(None, fr=True) == (
        "Changement de programme : « Rust » (mar. 2 juin 10 h–11 h, Room 1) est annulée."
    )
    assert say(state(at(10), room=""), fr=True) == (
        "Changement de programme : « Rust » passe de Room 1 à une salle à préciser "
        "(mar. 2 juin 10 h–11 h)."
    )


def claimed(payload: NoticePayload | str) -> ClaimedNudge:
    text = payload if isinstance(payload, str) else payload.to_text()
    return ClaimedNudge(
        "k", *ALICE, "t1", NINE, NINE, 0, NINE + WINDOW, kind=ItemKind.NOTICE, payload=text
    )


@pytest.mark.parametrize(
    ("payload", "now", "problem"),
    [
        (NoticePayload(TEN, HALF_PAST, NINE), NINE, ""),
        (NoticePayload(TEN, TEN, NINE), NINE, "no net change"),
        (NoticePayload(TEN, replace(TEN, title="New"), NINE), NINE, "no net change"),
        (NoticePayload(TEN, HALF_PAST, NINE), at(10, 15), ""),  # the new time is ahead
        (NoticePayload(TEN, HALF_PAST, NINE), at(10, 30), "already started"),
        (NoticePayload(TEN, None, NINE), at(10), "already started"),
        ("{not json", NINE, "unreadable"),
    ],
)
def test_notices_that_should_not_go_out(
    payload: NoticePayload | str, now: datetime, problem: str
) -> None:
    found = notice_problem(claimed(payload), now)
    assert (problem in found) if problem else found == ""
