from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from catalogue.diff import diff
from catalogue.model import Catalogue, Conference, Session

ZONE = ZoneInfo("Europe/Paris")
START = datetime(2026, 6, 2, 9, tzinfo=ZONE)


def talk(id: str, title: str, room: str = "A", hour: int = 9) -> Session:
    start = START.replace(hour=hour)
    return Session(id=id, title=title, start=start, end=start + timedelta(hours=1), room=room)


def catalogue(*sessions: Session) -> Catalogue:
    return Catalogue(Conference("C", ZONE), sessions)


def test_diff_names_every_kind_of_change() -> None:
    old = catalogue(talk("1", "One"), talk("2", "Two"), talk("3", "Three"), talk("4", "Four"))
    new = catalogue(
        talk("1", "One"),
        talk("2", "Two", hour=11),
        replace(talk("3", "Three"), room="B"),
        talk("4", "Four, renamed"),
        talk("5", "Five"),
    )
    changes = diff(old, new)
    assert [s.id for s in changes.added] == ["5"]
    assert changes.removed == ()
    assert [c.after.id for c in changes.moved_time] == ["2"]
    assert [(c.before.room, c.after.room) for c in changes.moved_room] == [("A", "B")]
    assert [c.after.title for c in changes.retitled] == ["Four, renamed"]
    assert diff(new, old).removed[0].id == "5"
    assert diff(old, old).empty
