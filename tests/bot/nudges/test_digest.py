"""Morning summaries: planned per day like nudges, re-planned with the shortlist, sent once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.nudges import Outbox, PlannedNudge
from bot.nudges.digest import digest_activity, digest_problem
from bot.nudges.outbox import ClaimedNudge
from bot.nudges.planner import ItemKind, NudgeSettings, plan_digests, plan_for
from bot.replies import ENGLISH, FRENCH
from catalogue.model import Catalogue, Conference, Session
from catalogue.shortlist import Entry

PARIS = ZoneInfo("Europe/Paris")
EIGHT = time(8, 0)
ON = NudgeSettings(digest=True)
CHANNEL, USER = "msteams", "29:alice"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=PARIS)


def session(sid: str, start: datetime, minutes: int = 60) -> Session:
    return Session(sid, f"Talk {sid}", start, start + timedelta(minutes=minutes), room="Room 1")


AGENDA = Catalogue(
    Conference("Conf", PARIS),
    (
        session("breakfast", at(2, 7), 45),
        session("rust", at(2, 10)),
        session("go", at(2, 14)),
        session("zig", at(3, 9)),
        session("keynote", at(4, 9)),
    ),
)


def entries(*ids: str) -> list[Entry]:
    sessions = [s for i in ids if (s := AGENDA.get(i)) is not None]
    return [Entry(s.id, s.title, s.start, s.end, s.room) for s in sessions]


EVENING_BEFORE = at(1, 20)


def plan(
    *ids: str, now: datetime = EVENING_BEFORE, settings: NudgeSettings = ON
) -> list[PlannedNudge]:
    return plan_digests(CHANNEL, USER, entries(*ids), AGENDA, settings, now, EIGHT)


def listed(nudge: PlannedNudge) -> tuple[str, list[str]]:
    data = json.loads(nudge.payload)
    return data["day"], data["sessions"]


def test_one_summary_per_day_with_what_is_not_over_by_its_time() -> None:
    summaries = plan("go", "breakfast", "rust", "zig")
    assert [listed(s) for s in summaries] == [
        ("2026-06-02", ["rust", "go"]),  # breakfast is over at 08:00
        ("2026-06-03", ["zig"]),
    ]
    first = summaries[0]
    assert first.kind is ItemKind.DIGEST and first.session_id == ""
    assert first.due_at == at(2, 8).astimezone(UTC) and first.due_at.tzinfo is UTC
    assert first.key.startswith(f"{CHANNEL}/{USER}/digest-2026-06-02-")


def test_only_when_asked_for_never_late_never_in_a_mute() -> None:
    assert plan("rust", settings=NudgeSettings()) == []
    assert len(plan("rust", settings=NudgeSettings(enabled=False, digest=True))) == 1
    assert [listed(s)[0] for s in plan("rust", "zig", now=at(2, 8))] == ["2026-06-03"]
    muted = NudgeSettings(digest=True, muted_until=at(3, 12))
    assert plan("rust", "zig", "keynote", settings=muted) == plan("keynote")
    assert plan("breakfast") == []  # nothing left by 08:00


def test_a_new_shortlist_is_a_new_key_the_same_one_the_same_key() -> None:
    assert plan("rust") == plan("rust")
    assert plan("rust")[0].key != plan("rust", "go")[0].key


def test_nudges_and_summaries_are_planned_side_by_side() -> None:
    nudges = plan_for(CHANNEL, USER, entries("rust"), AGENDA, ON, at(1, 20))
    assert [n.kind for n in nudges] == [ItemKind.NUDGE]
    assert {n.key for n in nudges}.isdisjoint(s.key for s in plan("rust"))


async def test_the_outbox_replans_summaries_like_nudges(outbox: Outbox) -> None:
    nudges = plan_for(CHANNEL, USER, entries("rust"), AGENDA, ON, at(1, 20))
    await outbox.replan(CHANNEL, USER, [*nudges, *plan("rust")])
    await outbox.replan(CHANNEL, USER, [*nudges, *plan("rust")])  # idempotent
    assert (await outbox.counts())["pending"] == 2
    assert await outbox.pending_owners() == [(CHANNEL, USER)]
    assert await outbox.holders([""]) == {}  # a summary is about no single session
    # The shortlist grows before 08:00: the summary is swapped, not doubled.
    await outbox.replan(CHANNEL, USER, [*nudges, *plan("rust", "go")])
    [summary] = [
        c
        for c in await outbox.claim_due(at(2, 8), limit=10, lease=timedelta(seconds=30), worker="w")
        if c.kind is ItemKind.DIGEST
    ]
    assert json.loads(summary.payload)["sessions"] == ["rust", "go"]
    assert (await outbox.counts())["pending"] == 1  # the nudge for 10:00


def claimed(nudge: PlannedNudge) -> ClaimedNudge:
    return ClaimedNudge(
        nudge.key, CHANNEL, USER, "", nudge.session_start, nudge.due_at, 0, nudge.due_at,
        kind=nudge.kind, payload=nudge.payload,
    )  # fmt: skip


def test_what_the_summary_says() -> None:
    [summary] = [claimed(s) for s in plan("rust", "go")]
    assert digest_problem(summary, AGENDA, at(2, 8)) == ""
    message = digest_activity(summary, AGENDA, ENGLISH, at(2, 8))
    assert message.text == "Good morning! Tue 2 Jun on your shortlist: 2 sessions"
    assert [a.content["body"][0]["text"] for a in message.attachments] == ["Talk rust", "Talk go"]
    french = digest_activity(summary, AGENDA, FRENCH, at(2, 12))  # late: what is still ahead
    assert french.text == "Bonjour ! mar. 2 juin dans votre sélection : 1 session"


def test_a_summary_with_nothing_left_or_for_a_past_day_is_dropped() -> None:
    [summary] = [claimed(s) for s in plan("rust")]
    assert "nothing left" in digest_problem(summary, AGENDA, at(2, 11))
    assert "day is over" in digest_problem(summary, AGENDA, at(3, 8))
    moved = Catalogue(Conference("Conf", PARIS), (session("rust", at(3, 10)),))
    assert "nothing left" in digest_problem(summary, moved, at(2, 8))  # no longer that day
    broken = ClaimedNudge(
        "k", CHANNEL, USER, "", at(2, 8), at(2, 8), 0, at(2, 8), kind=ItemKind.DIGEST, payload="{"
    )
    assert "unreadable" in digest_problem(broken, AGENDA, at(2, 8))
