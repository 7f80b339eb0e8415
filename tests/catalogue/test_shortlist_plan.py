"""A shortlist resolved against the catalogue: order, gaps, clashes, moves, cancellations."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from catalogue.model import Catalogue, Conference, Session
from catalogue.shortlist import Entry, Gap, PlanItem, Status, by_day, next_item, plan

ZONE = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=ZONE)


def talk(id: str, start: datetime, minutes: int = 60, room: str = "A") -> Session:
    return Session(id, f"Talk {id}", start, start + timedelta(minutes=minutes), room=room)


A, B, C, D = (
    talk("a", at(2, 9)),
    talk("b", at(2, 9, 30)),
    talk("c", at(2, 14)),
    talk("d", at(3, 10)),
)
CATALOGUE = Catalogue(Conference("C", ZONE), (A, B, C, D))


def test_plan_orders_by_time_and_flags_overlaps() -> None:
    items = plan(tuple(Entry.of(s) for s in (C, A, B)), CATALOGUE)
    assert [i.id for i in items] == ["a", "b", "c"]
    assert [s.id for s in items[0].conflicts] == ["b"]
    assert [s.id for s in items[1].conflicts] == ["a"]
    assert items[2].conflicts == ()
    assert {i.status for i in items} == {Status.SCHEDULED}


def test_days_with_gaps() -> None:
    days = by_day(plan(tuple(Entry.of(s) for s in (A, C, D)), CATALOGUE), CATALOGUE)
    assert [d.day.isoformat() for d in days] == ["2026-06-02", "2026-06-03"]
    first = days[0].rows
    assert isinstance(first[1], Gap) and (first[1].start, first[1].end) == (at(2, 10), at(2, 14))
    assert [r.id for r in first if isinstance(r, PlanItem)] == ["a", "c"]


def test_moved_and_cancelled() -> None:
    moved = replace(A, start=at(2, 16), end=at(2, 17), room="B")
    newer = Catalogue(Conference("C", ZONE), (moved, C))
    items = plan((Entry.of(A), Entry.of(B)), newer)
    by_id = {i.id: i for i in items}
    assert by_id["a"].status is Status.MOVED and by_id["a"].room == "B"
    assert by_id["a"].entry.start == at(2, 9)
    assert by_id["b"].status is Status.CANCELLED and by_id["b"].title == "Talk b"
    assert next_item(items, at(2, 8)) == by_id["a"]
