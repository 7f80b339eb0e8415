"""Schedule-change notices in the durable outbox, on every backend (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from bot.nudges import ClaimedNudge, NudgeStatus, Outbox, PlannedNudge, open_outbox
from bot.nudges.changes import NoticePayload, Placement, ScheduleChange, SessionState
from bot.nudges.outbox import ItemKind

PARIS = ZoneInfo("Europe/Paris")
NINE = datetime(2026, 6, 2, 9, 0, tzinfo=PARIS)
TEN = datetime(2026, 6, 2, 10, 0, tzinfo=PARIS)
WINDOW = timedelta(minutes=2)
LEASE = timedelta(seconds=30)
CHANNEL = "msteams"


def nudge(user: str, session: str = "t1", start: datetime = TEN) -> PlannedNudge:
    return PlannedNudge(
        CHANNEL,
        user,
        session,
        start.astimezone(UTC),
        (start - timedelta(minutes=10)).astimezone(UTC),
    )


def state(start: datetime, room: str = "Room 1") -> SessionState:
    return SessionState("Rust", Placement(start, start + timedelta(hours=1), room))


def move(to: datetime, frm: datetime = TEN, session: str = "t1") -> ScheduleChange:
    return ScheduleChange(session, state(frm), state(to))


def everyone(*users: str, session: str = "t1") -> dict[str, set[tuple[str, str]]]:
    return {session: {(CHANNEL, user) for user in users}}


async def claim_all(box: Outbox, now: datetime, worker: str = "w1") -> list[ClaimedNudge]:
    return await box.claim_due(now, limit=100, lease=LEASE, worker=worker)


async def test_holders_are_the_attendees_with_a_nudge_for_the_session(outbox: Outbox) -> None:
    await outbox.replan(CHANNEL, "29:alice", [nudge("29:alice"), nudge("29:alice", "t2")])
    await outbox.replan(CHANNEL, "29:bob", [nudge("29:bob")])
    for claimed in await claim_all(outbox, TEN - timedelta(minutes=5)):
        if claimed.user_id == "29:bob":  # sent, or being sent: still expecting the session
            await outbox.mark_sent(claimed.key, "w1", TEN - timedelta(minutes=5))
    # A notice does not make its attendee a holder (only a nudge does).
    await outbox.note_changes([move(TEN, TEN, "t3")], everyone("29:carol", session="t3"), NINE,
                              WINDOW)  # fmt: skip
    assert await outbox.holders(["t1", "t2", "t3", "nobody"]) == {
        "t1": {(CHANNEL, "29:alice"), (CHANNEL, "29:bob")},
        "t2": {(CHANNEL, "29:alice")},
    }
    assert await outbox.holders([]) == {}


async def test_a_noted_change_is_a_notice_claimed_like_a_nudge(outbox: Outbox) -> None:
    await outbox.replan(CHANNEL, "29:alice", [nudge("29:alice")])
    half_past = TEN + timedelta(minutes=30)
    assert await outbox.note_changes([move(half_past)], everyone("29:alice"), NINE, WINDOW) == 1
    assert await claim_all(outbox, NINE + WINDOW - timedelta(seconds=1)) == []

    [notice] = await claim_all(outbox, NINE + WINDOW)
    assert notice.kind is ItemKind.NOTICE and notice.key == f"{CHANNEL}/29:alice/t1/notice-1"
    assert (notice.channel_id, notice.user_id, notice.session_id) == (CHANNEL, "29:alice", "t1")
    assert NoticePayload.from_text(notice.payload) == NoticePayload(
        state(TEN), state(half_past), NINE
    )
    assert await outbox.mark_sent(notice.key, "w1", NINE + WINDOW)
    record = await outbox.get(notice.key)
    assert record is not None and record.kind is ItemKind.NOTICE
    assert record.status is NudgeStatus.SENT and record.payload == notice.payload


async def test_replanning_nudges_leaves_notices_alone(outbox: Outbox) -> None:
    await outbox.replan(CHANNEL, "29:alice", [nudge("29:alice")])
    await outbox.note_changes([move(TEN + timedelta(hours=1))], everyone("29:alice"), NINE, WINDOW)
    await outbox.replan(CHANNEL, "29:alice", [])  # shortlist emptied: nudges go, news stays
    counts = await outbox.counts()
    assert counts["pending"] == 1
    assert await outbox.pending_owners() == []  # notices are not nudges to re-plan
    [notice] = await claim_all(outbox, NINE + WINDOW)
    assert notice.kind is ItemKind.NOTICE


async def test_a_burst_of_changes_is_one_notice_with_the_net_change(outbox: Outbox) -> None:
    await outbox.replan(CHANNEL, "29:alice", [nudge("29:alice")])
    first, second = TEN + timedelta(minutes=30), TEN + timedelta(hours=1)
    await outbox.note_changes([move(first)], everyone("29:alice"), NINE, WINDOW)
    later = NINE + timedelta(seconds=90)
    assert (
        await outbox.note_changes([move(second, first)], everyone("29:alice"), later, WINDOW) == 1
    )
    assert await claim_all(outbox, NINE + WINDOW) == []  # pushed back by the second change
    [notice] = await claim_all(outbox, later + WINDOW)
    payload = NoticePayload.from_text(notice.payload)
    assert (payload.before, payload.after) == (state(TEN), state(second))
    assert (await outbox.counts())["pending"] == 1  # the nudge for 10:00 (re-planning is not ours)


async def test_a_change_noted_twice_makes_no_second_notice(outbox: Outbox) -> None:
    await outbox.replan(CHANNEL, "29:alice", [nudge("29:alice")])
    change = move(TEN + timedelta(minutes=30))
    assert await outbox.note_changes([change], everyone("29:alice"), NINE, WINDOW) == 1
    assert await outbox.note_changes([change], everyone("29:alice"), NINE, WINDOW) == 0
    [notice] = await claim_all(outbox, NINE + WINDOW)
    await outbox.mark_sent(notice.key, "w1", NINE + WINDOW)
    # Another instance reporting the same change after the notice went out: still nothing.
    later = NINE + timedelta(minutes=10)
    assert await outbox.note_changes([change], everyone("29:alice"), later, WINDOW) == 0
    # There and back again is news each time, each its own notice.
    back = ScheduleChange("t1", change.after, change.before)
    assert await outbox.note_changes([back], everyone("29:alice"), later, WINDOW) == 1
    [returned] = await claim_all(outbox, later + WINDOW)
    assert returned.key.endswith("/notice-2")
    await outbox.mark_sent(returned.key, "w1", later + WINDOW)
    again = later + 2 * WINDOW
    assert await outbox.note_changes([change], everyone("29:alice"), again, WINDOW) == 1
    [moved_again] = await claim_all(outbox, again + WINDOW)
    assert moved_again.key.endswith("/notice-3")


async def test_an_unreachable_attendee_gets_no_notice(outbox: Outbox) -> None:
    await outbox.note_changes([move(TEN + timedelta(hours=1))], everyone("29:alice"), NINE, WINDOW)
    assert await outbox.mark_unreachable(CHANNEL, "29:alice", "403") == 1
    assert await claim_all(outbox, NINE + WINDOW) == []


async def test_two_instances_noting_one_change_at_once_make_one_notice_each(
    backend: str, outbox_url: str
) -> None:
    if backend == "memory":
        pytest.skip("two memory outboxes share nothing")
    first, second = open_outbox(outbox_url), open_outbox(outbox_url)
    try:
        await first.ping()
        await second.ping()
        change = move(TEN + timedelta(minutes=30))
        users = everyone(*(f"29:user{i}" for i in range(50)))
        made = await asyncio.gather(
            first.note_changes([change], users, NINE, WINDOW),
            second.note_changes([change], users, NINE, WINDOW),
        )
        assert sorted(made) == [0, 50]
        claimed = await claim_all(second, NINE + WINDOW)
        assert len(claimed) == 50 and len({c.user_id for c in claimed}) == 50
    finally:
        await first.close()
        await second.close()


# -- tables made before notices existed ------------------------------------------------------

OLD_COLUMNS = (
    "key TEXT PRIMARY KEY, channel_id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " session_id TEXT NOT NULL, session_start {t} NOT NULL, due_at {t} NOT NULL,"
    " status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, claimed_by TEXT,"
    " lease_until {t}, sent_at {t}, reason TEXT NOT NULL DEFAULT ''"
)


async def test_an_old_sqlite_file_gets_the_notice_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE TABLE hallway_state_nudges ({OLD_COLUMNS.format(t='INTEGER')})")
        connection.execute(
            "INSERT INTO hallway_state_nudges (key, channel_id, user_id, session_id,"
            " session_start, due_at, status) VALUES ('old', 'c', 'u', 't1', 1, 0, 'pending')"
        )
    async with open_outbox(f"sqlite:///{path}") as box:
        record = await box.get("old")
        assert record is not None and record.kind is ItemKind.NUDGE and record.payload == ""
        assert await box.holders(["t1"]) == {"t1": {("c", "u")}}


@pytest.mark.postgres
async def test_an_old_postgresql_table_gets_the_notice_columns(
    make_url: Callable[[str], str],
) -> None:
    url = make_url("postgresql")
    base, _, prefix = url.rpartition("table=")
    connection = await asyncpg.connect(base.rstrip("?&"))
    try:
        await connection.execute(
            f'CREATE TABLE "{prefix}_nudges" ({OLD_COLUMNS.format(t="timestamptz")})'
        )
        await connection.execute(
            f'INSERT INTO "{prefix}_nudges" (key, channel_id, user_id, session_id,'
            " session_start, due_at, status) VALUES ('old', 'c', 'u', 't1', now(), now(),"
            " 'pending')"
        )
    finally:
        await connection.close()
    async with open_outbox(url) as box:
        record = await box.get("old")
        assert record is not None and record.kind is ItemKind.NUDGE and record.payload == ""
        assert await box.holders(["t1"]) == {"t1": {("c", "u")}}
