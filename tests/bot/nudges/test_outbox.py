"""The durable outbox on every backend: memory, a SQLite file, the local PostgreSQL server."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.nudges import (
    ClaimedNudge,
    NudgeStatus,
    Outbox,
    OutboxClosedError,
    PlannedNudge,
    open_outbox,
)
from bot.nudges.outbox_sqlite import SqliteOutbox

TORONTO = ZoneInfo("America/Toronto")
T0 = datetime(2026, 6, 10, 9, 0, tzinfo=TORONTO)  # the first session starts
LEAD = timedelta(minutes=10)
LEASE = timedelta(seconds=30)
CHANNEL = "msteams"


def nudge(
    user: str = "29:alice", session: str = "keynote", start: datetime = T0, lead: timedelta = LEAD
) -> PlannedNudge:
    return PlannedNudge(
        CHANNEL, user, session, start.astimezone(UTC), (start - lead).astimezone(UTC)
    )


def schedule(user: str = "29:alice", count: int = 3) -> list[PlannedNudge]:
    """`count` sessions an hour apart from T0, each nudged ten minutes before."""
    return [nudge(user, f"s{i}", T0 + timedelta(hours=i)) for i in range(count)]


async def claim(box: Outbox, now: datetime, worker: str = "w1", limit: int = 100) -> list[str]:
    return [c.key for c in await box.claim_due(now, limit=limit, lease=LEASE, worker=worker)]


async def statuses(box: Outbox, keys: list[str]) -> list[NudgeStatus | None]:
    records = [await box.get(key) for key in keys]
    return [r.status if r else None for r in records]


# -- replan ----------------------------------------------------------------------------------


async def test_replan_is_idempotent(outbox: Outbox) -> None:
    plan = schedule()
    await outbox.replan(CHANNEL, "29:alice", plan)
    await outbox.replan(CHANNEL, "29:alice", plan)
    assert await outbox.counts() == {
        "pending": 3,
        "claimed": 0,
        "sent": 0,
        "dropped": 0,
        "unreachable": 0,
    }
    record = await outbox.get(plan[0].key)
    assert record is not None
    assert (record.session_id, record.status, record.attempts) == ("s0", NudgeStatus.PENDING, 0)
    assert record.session_start == plan[0].session_start and record.due_at == plan[0].due_at
    assert record.due_at.utcoffset() == timedelta(0)
    assert await outbox.get("no/such/key") is None


async def test_replan_after_a_move_replaces_the_pending_nudge(outbox: Outbox) -> None:
    before = schedule()
    await outbox.replan(CHANNEL, "29:alice", before)
    moved = nudge("29:alice", "s1", T0 + timedelta(hours=5))
    await outbox.replan(CHANNEL, "29:alice", [before[0], moved, before[2]])
    assert await statuses(outbox, [before[1].key, moved.key]) == [None, NudgeStatus.PENDING]
    assert (await outbox.counts())["pending"] == 3


async def test_replan_only_touches_the_attendees_pending_nudges(outbox: Outbox) -> None:
    alice, bob = schedule("29:alice"), schedule("29:bob")
    await outbox.replan_many([(CHANNEL, "29:alice", alice), (CHANNEL, "29:bob", bob)])
    first = T0 - LEAD
    [sent] = await claim(outbox, first, "w1", limit=1)
    assert await outbox.mark_sent(sent, "w1", first)
    in_flight = await claim(outbox, first)  # the other attendee's first nudge, being sent
    # Both empty their shortlists: pending nudges go, the sent one and the one being sent stay.
    await outbox.replan(CHANNEL, "29:alice", [])
    await outbox.replan(CHANNEL, "29:bob", [])
    assert await statuses(outbox, [sent, *in_flight]) == [NudgeStatus.SENT, NudgeStatus.CLAIMED]
    assert await outbox.counts() == {
        "pending": 0,
        "claimed": 1,
        "sent": 1,
        "dropped": 0,
        "unreachable": 0,
    }
    # Planned again, a nudge that went out does not come back.
    await outbox.replan(CHANNEL, "29:alice", alice)
    assert await statuses(outbox, [sent]) == [NudgeStatus.SENT]
    assert (await outbox.counts())["pending"] == 2


async def test_replan_moves_the_due_time_of_a_pending_nudge_but_keeps_a_retry_time(
    outbox: Outbox,
) -> None:
    first, second = schedule(count=2)
    await outbox.replan(CHANNEL, "29:alice", [first, second])
    earlier = [
        nudge("29:alice", "s0", T0, timedelta(minutes=15)),
        nudge("29:alice", "s1", second.session_start, timedelta(minutes=15)),
    ]
    [claimed] = await claim(outbox, first.due_at)
    retry_at = first.due_at + timedelta(seconds=20)
    assert await outbox.mark_retry(claimed, "w1", retry_at, "429")
    await outbox.replan(CHANNEL, "29:alice", earlier)
    record0, record1 = await outbox.get(first.key), await outbox.get(second.key)
    assert record0 is not None and record1 is not None
    assert record0.due_at == retry_at  # waiting for its retry: kept
    assert record1.due_at == earlier[1].due_at  # planned 15 minutes ahead now


async def test_replan_refuses_nudges_of_someone_else(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="belongs to"):
        await outbox.replan(CHANNEL, "29:alice", [nudge("29:bob")])
    with pytest.raises(ValueError, match="twice"):
        await outbox.replan_many([(CHANNEL, "29:a", []), (CHANNEL, "29:a", [])])
    assert (await outbox.counts())["pending"] == 0


# -- claims ----------------------------------------------------------------------------------


async def test_claim_due_takes_only_due_nudges_earliest_first(outbox: Outbox) -> None:
    plan = schedule(count=4)
    await outbox.replan(CHANNEL, "29:alice", list(reversed(plan)))
    assert await claim(outbox, T0 - LEAD - timedelta(seconds=1)) == []
    now = T0 + timedelta(hours=2) - LEAD  # s0, s1 and s2 are due
    claimed = await outbox.claim_due(now, limit=2, lease=LEASE, worker="w1")
    assert [c.key for c in claimed] == [plan[0].key, plan[1].key]
    assert claimed[0] == ClaimedNudge(
        key=plan[0].key,
        channel_id=CHANNEL,
        user_id="29:alice",
        session_id="s0",
        session_start=plan[0].session_start,
        due_at=plan[0].due_at,
        attempts=0,
        lease_until=now + LEASE,
    )
    assert await claim(outbox, now) == [plan[2].key]
    assert await claim(outbox, now) == []
    record = await outbox.get(plan[2].key)
    assert record is not None
    assert (record.status, record.claimed_by) == (NudgeStatus.CLAIMED, "w1")
    assert record.lease_until == now + LEASE


async def test_live_lease_holds_expired_lease_is_reclaimed(outbox: Outbox) -> None:
    [only] = schedule(count=1)
    await outbox.replan(CHANNEL, "29:alice", [only])
    now = only.due_at
    assert await claim(outbox, now, "w1") == [only.key]
    assert await claim(outbox, now + LEASE - timedelta(microseconds=1), "w2") == []
    # w1 died: once its lease ends, w2 takes the nudge over, and w1 can no longer mark it.
    assert await claim(outbox, now + LEASE, "w2") == [only.key]
    assert not await outbox.mark_sent(only.key, "w1", now + LEASE)
    assert await outbox.mark_sent(only.key, "w2", now + LEASE)
    assert await claim(outbox, now + 10 * LEASE, "w3") == []


async def test_mark_sent_only_by_the_claiming_worker_and_once(outbox: Outbox) -> None:
    [only] = schedule(count=1)
    await outbox.replan(CHANNEL, "29:alice", [only])
    assert not await outbox.mark_sent(only.key, "w1", only.due_at)  # not claimed yet
    await claim(outbox, only.due_at, "w1")
    assert not await outbox.mark_sent(only.key, "intruder", only.due_at)
    sent_at = only.due_at + timedelta(seconds=2)
    assert await outbox.mark_sent(only.key, "w1", sent_at)
    assert not await outbox.mark_sent(only.key, "w1", sent_at)
    assert not await outbox.mark_retry(only.key, "w1", sent_at, "late")
    assert not await outbox.mark_dropped(only.key, "w1", "late")
    record = await outbox.get(only.key)
    assert record is not None
    assert (record.status, record.sent_at, record.claimed_by) == (NudgeStatus.SENT, sent_at, None)
    assert not await outbox.mark_sent("no/such/key", "w1", sent_at)


async def test_mark_sent_many_marks_what_the_worker_holds(outbox: Outbox) -> None:
    plan = schedule(count=4)
    await outbox.replan(CHANNEL, "29:alice", plan)
    now = plan[2].due_at
    mine = await claim(outbox, now, "w1", limit=2)
    theirs = await claim(outbox, now, "w2")
    keys = [*mine, *theirs, plan[3].key, mine[0], "no/such/key"]
    assert await outbox.mark_sent_many(keys, "w1", now) == set(mine)
    assert await outbox.mark_sent_many([], "w1", now) == set()
    assert await statuses(outbox, [n.key for n in plan]) == [
        NudgeStatus.SENT,
        NudgeStatus.SENT,
        NudgeStatus.CLAIMED,
        NudgeStatus.PENDING,
    ]


async def test_retry_goes_back_to_pending_until_its_time(outbox: Outbox) -> None:
    [only] = schedule(count=1)
    await outbox.replan(CHANNEL, "29:alice", [only])
    await claim(outbox, only.due_at)
    retry_at = only.due_at + timedelta(seconds=7)
    assert not await outbox.mark_retry(only.key, "w2", retry_at, "not mine")
    assert await outbox.mark_retry(only.key, "w1", retry_at, "HTTP 429, Retry-After 7")
    record = await outbox.get(only.key)
    assert record is not None
    assert (record.status, record.due_at, record.attempts) == (NudgeStatus.PENDING, retry_at, 1)
    assert record.reason == "HTTP 429, Retry-After 7"
    assert await claim(outbox, retry_at - timedelta(seconds=1), "w2") == []
    [again] = await outbox.claim_due(retry_at, limit=10, lease=LEASE, worker="w2")
    assert (again.key, again.attempts, again.due_at) == (only.key, 1, retry_at)


async def test_dropped_nudges_stay_dropped(outbox: Outbox) -> None:
    [only] = schedule(count=1)
    await outbox.replan(CHANNEL, "29:alice", [only])
    await claim(outbox, T0 + timedelta(minutes=1))
    assert await outbox.mark_dropped(only.key, "w1", "the session has started")
    await outbox.replan(CHANNEL, "29:alice", [only])
    record = await outbox.get(only.key)
    assert record is not None
    assert (record.status, record.reason) == (NudgeStatus.DROPPED, "the session has started")
    assert await claim(outbox, T0 + timedelta(hours=1)) == []
    assert (await outbox.counts())["dropped"] == 1


async def test_unreachable_attendee_gets_nothing_until_cleared(outbox: Outbox) -> None:
    alice, bob = schedule("29:alice", 3), schedule("29:bob", 1)
    await outbox.replan_many([(CHANNEL, "29:alice", alice), (CHANNEL, "29:bob", bob)])
    now = alice[0].due_at
    in_flight = await claim(outbox, now)
    assert sorted(in_flight) == sorted([alice[0].key, bob[0].key])
    # Sending to alice answered 403: her pending nudges go, the one in flight is her sender's.
    assert await outbox.mark_unreachable(CHANNEL, "29:alice", "HTTP 403") == 2
    assert await outbox.is_unreachable(CHANNEL, "29:alice")
    assert not await outbox.is_unreachable(CHANNEL, "29:bob")
    await outbox.replan(CHANNEL, "29:alice", alice)  # planning her again plans nothing
    assert await statuses(outbox, [alice[1].key, alice[2].key]) == [None, None]
    # A nudge of hers put back for a retry is deleted at the next claim, not handed out.
    assert await outbox.mark_retry(alice[0].key, "w1", now, "timeout")
    assert await claim(outbox, now + timedelta(seconds=1)) == []
    assert await outbox.get(alice[0].key) is None
    assert await outbox.mark_sent(bob[0].key, "w1", now)
    assert await outbox.counts() == {
        "pending": 0,
        "claimed": 0,
        "sent": 1,
        "dropped": 0,
        "unreachable": 1,
    }
    # She talks to the bot again: cleared, replanned, nudged.
    assert await outbox.clear_unreachable(CHANNEL, "29:alice")
    assert not await outbox.clear_unreachable(CHANNEL, "29:alice")
    await outbox.replan(CHANNEL, "29:alice", alice)
    assert await claim(outbox, now) == [alice[0].key]
    assert (await outbox.counts())["unreachable"] == 0


async def test_upcoming_lists_what_will_be_sent(outbox: Outbox) -> None:
    plan = schedule(count=4)
    await outbox.replan(CHANNEL, "29:alice", plan)
    now = plan[0].due_at
    [first] = await claim(outbox, now, limit=1)
    upcoming = await outbox.upcoming(now, timedelta(minutes=90))
    assert [(r.key, r.status) for r in upcoming] == [
        (plan[0].key, NudgeStatus.CLAIMED),
        (plan[1].key, NudgeStatus.PENDING),
    ]
    assert await outbox.mark_sent(first, "w1", now)
    later = await outbox.upcoming(now, timedelta(hours=5), limit=2)
    assert [r.key for r in later] == [plan[1].key, plan[2].key]


async def test_purge_forgets_finished_nudges_of_past_sessions(outbox: Outbox) -> None:
    plan = schedule(count=2)
    await outbox.replan(CHANNEL, "29:alice", plan)
    await claim(outbox, plan[1].due_at)
    await outbox.mark_sent(plan[0].key, "w1", plan[0].due_at)
    await outbox.mark_dropped(plan[1].key, "w1", "test")
    assert await outbox.purge(plan[1].session_start) == 1
    assert await statuses(outbox, [plan[0].key, plan[1].key]) == [None, NudgeStatus.DROPPED]


async def test_datetimes_must_be_tz_aware(outbox: Outbox) -> None:
    naive = datetime(2026, 6, 10, 9, 0)
    with pytest.raises(ValueError, match="tz-aware"):
        await outbox.claim_due(naive, limit=1, lease=LEASE, worker="w1")
    with pytest.raises(ValueError, match="tz-aware"):
        await outbox.mark_sent("k", "w1", naive)
    with pytest.raises(ValueError, match="limit"):
        await outbox.claim_due(T0, limit=0, lease=LEASE, worker="w1")
    with pytest.raises(ValueError, match="worker"):
        await outbox.claim_due(T0, limit=1, lease=LEASE, worker="")


async def test_closed_outbox_refuses_work(outbox_url: str) -> None:
    box = open_outbox(outbox_url)
    await box.ping()
    await box.close()
    await box.close()
    with pytest.raises(OutboxClosedError):
        await box.counts()


# -- several claimers --------------------------------------------------------------------------


async def test_concurrent_claimers_never_share_a_nudge(backend: str, outbox_url: str) -> None:
    first = open_outbox(outbox_url)
    # Two instances on one file or one table; in memory, two claimers on one outbox.
    second = first if backend == "memory" else open_outbox(outbox_url)
    try:
        users = [f"29:user-{i}" for i in range(60)]
        await first.replan_many((CHANNEL, u, schedule(u, 5)) for u in users)
        now = T0 + timedelta(hours=2) - LEAD  # three of each user's five are due
        due = {n.key for u in users for n in schedule(u, 3)}

        async def claimer(box: Outbox, worker: str) -> list[str]:
            got: list[str] = []
            while batch := await claim(box, now, worker, limit=7):
                got += batch
                await asyncio.sleep(0)
            return got

        results = await asyncio.gather(
            *(claimer(first if i % 2 else second, f"w{i}") for i in range(8))
        )
        taken = Counter(key for keys in results for key in keys)
        assert set(taken) == due
        assert set(taken.values()) == {1}
        assert sum(len(keys) for keys in results) == len(due) == 180
        assert await claim(second, now, "late") == []
        counts = await first.counts()
        assert (counts["claimed"], counts["pending"]) == (180, 120)
    finally:
        await first.close()
        await second.close()


async def test_replanning_while_claiming_loses_and_repeats_nothing(
    backend: str, outbox_url: str
) -> None:
    planner = open_outbox(outbox_url)
    sender = planner if backend == "memory" else open_outbox(outbox_url)
    try:
        users = [f"29:user-{i}" for i in range(40)]
        plans = [(CHANNEL, u, schedule(u, 4)) for u in users]
        await planner.replan_many(plans)
        now = T0 + timedelta(hours=1) - LEAD  # two of each user's four are due
        stop = asyncio.Event()

        async def replan_again_and_again() -> int:
            rounds = 0
            while not stop.is_set():
                await planner.replan_many(plans)  # the same plan: nothing may change
                rounds += 1
                await asyncio.sleep(0)
            return rounds

        async def send_everything_due() -> list[str]:
            sent: list[str] = []
            while batch := await claim(sender, now, "sender", limit=5):
                for key in batch:
                    assert await sender.mark_sent(key, "sender", now)
                sent += batch
            stop.set()
            return sent

        rounds, sent = await asyncio.gather(replan_again_and_again(), send_everything_due())
        assert rounds >= 1
        assert sorted(sent) == sorted(n.key for _, _, ns in plans for n in ns[:2])
        await planner.replan_many(plans)
        assert await planner.counts() == {
            "pending": 80,
            "claimed": 0,
            "sent": 80,
            "dropped": 0,
            "unreachable": 0,
        }
    finally:
        await planner.close()
        await sender.close()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
async def test_pending_and_sent_survive_a_restart(outbox_url: str) -> None:
    plan = schedule(count=3)
    now = plan[1].due_at
    async with open_outbox(outbox_url) as before:
        await before.replan(CHANNEL, "29:alice", plan)
        await claim(before, now, "w1")
        assert await before.mark_sent(plan[0].key, "w1", now)
    async with open_outbox(outbox_url) as after:
        assert await statuses(after, [n.key for n in plan]) == [
            NudgeStatus.SENT,
            NudgeStatus.CLAIMED,
            NudgeStatus.PENDING,
        ]
        # Killed while sending: its lease still holds, then the nudge is taken over.
        assert await claim(after, now, "w2") == []
        assert await claim(after, now + LEASE, "w2") == [plan[1].key]
        await after.replan(CHANNEL, "29:alice", plan)  # replan after restart: nothing resent
        assert await after.counts() == {
            "pending": 1,
            "claimed": 1,
            "sent": 1,
            "dropped": 0,
            "unreachable": 0,
        }


# -- URLs and SQLite specifics -----------------------------------------------------------------


def test_urls_follow_the_storage_conventions(tmp_path: Path) -> None:
    box = open_outbox(f"sqlite:///{tmp_path / 'a.sqlite3'}?table=conf")
    assert isinstance(box, SqliteOutbox)
    assert (box.table, box.unreachable_table) == ("conf_nudges", "conf_unreachable")
    assert open_outbox("memory://").kind == "memory"
    assert open_outbox("postgres://u@h/db?table=x&sslmode=disable").kind == "postgresql"
    with pytest.raises(ValueError, match="unknown parameter"):
        open_outbox("sqlite:///a.sqlite3?tabel=x")
    with pytest.raises(ValueError, match="too long"):
        open_outbox(f"memory://?table={'t' * 60}")
    with pytest.raises(ValueError, match="plain SQL identifier"):
        open_outbox("memory://?table=a-b")
    with pytest.raises(ValueError, match="unsupported"):
        open_outbox("redis://localhost")
    with pytest.raises(ValueError, match="file path"):
        open_outbox("sqlite://relative.sqlite3")


async def test_sqlite_claims_use_the_due_index(make_url: Callable[[str], str]) -> None:
    url = make_url("sqlite")
    async with open_outbox(url) as box:
        assert isinstance(box, SqliteOutbox)
        await box.replan(CHANNEL, "29:alice", schedule())
        with sqlite3.connect(box.path) as connection:
            for sql in (box._sql_probe_due, box._sql_claim_due):
                plan = " ".join(
                    row[-1]
                    for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", [1] * sql.count("?"))
                )
                assert f"INDEX {box.table}_due (status=? AND due_at<?)" in plan, plan
                assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
        connection.close()
