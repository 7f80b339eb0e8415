"""Question answering as a pure function of (question, catalogue, now)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalogue.ask import PAGE_SIZE, Answerer, Intent
from catalogue.model import Catalogue, Conference, Kind, Session, Speaker

ZONE = ZoneInfo("America/Toronto")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2016, 7, day, hour, minute, tzinfo=ZONE)


def session(id: str, title: str, start: datetime, minutes: int = 60, **fields) -> Session:
    return Session(
        id=id, title=title, start=start, end=start + timedelta(minutes=minutes), **fields
    )


SESSIONS = (
    session("k1", "Transforming our world together", at(11, 8, 30), 120, kind=Kind.KEYNOTE),
    session("k2", "Reinventing productivity", at(12, 8, 30), 120, kind=Kind.KEYNOTE),
    session("b1", "HP booth", at(11, 8), 600, kind=Kind.BOOTH),
    session("c1", "Does your customer want to own the cloud for life?", at(11, 11),
            abstract="Cloud economics for partners.", track="Cloud Platform"),
    session("c2", "New, game changing SMB innovation", at(11, 11, 15),
            speakers=(Speaker("Ada Lovelace", "Contoso"),)),
    session("c3", "Built a profitable solution practice", at(11, 14)),
    session("c4", "Azure for partners", at(11, 9), track="Cloud Platform"),
    session("c5", "Security in depth", at(12, 11)),
)  # fmt: skip
ANSWERER = Answerer.for_catalogue(Catalogue(Conference("WPC", ZONE), SESSIONS))


def ids(question: str, now: datetime) -> list[str]:
    return [s.id for s in ANSWERER.answer(question, now).sessions]


def test_after_the_keynote_during_the_keynote() -> None:
    answer = ANSWERER.answer("whats on after the keynote", at(11, 9, 30))
    assert answer.intent is Intent.AFTER
    assert answer.anchor is not None and answer.anchor.id == "k1"
    assert [s.id for s in answer.sessions] == ["c1", "c2", "c3"]


def test_the_keynote_is_the_next_one_today_else_the_last_one() -> None:
    assert ANSWERER.answer("after the keynote", at(12, 7)).anchor.id == "k2"  # type: ignore[union-attr]
    assert ANSWERER.answer("after the keynote", at(11, 16)).anchor.id == "k1"  # type: ignore[union-attr]


def test_now_puts_keynotes_first_and_leaves_booths_out() -> None:
    assert ids("what's on now?", at(11, 9, 30)) == ["k1", "c4"]


def test_now_with_nothing_running_offers_what_comes_next() -> None:
    answer = ANSWERER.answer("what's on now", at(11, 12, 30))
    assert answer.fallback
    assert [s.id for s in answer.sessions] == ["c3"]


def test_next() -> None:
    assert ids("what's next?", at(11, 10, 45)) == ["c1", "c2"]
    assert ANSWERER.answer("next", at(13, 9)).sessions == ()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("anything about SMB?", "c2"),
        ("game changng smb", "c2"),
        ("azur", "c4"),
        ("Ada Lovelace", "c2"),
        ("profitable practise", "c3"),
        ("quelque chose sur la sécurité", "c5"),
    ],
)
def test_topic_search_tolerates_typos_and_accents(question: str, expected: str) -> None:
    answer = ANSWERER.answer(question, at(11, 7))
    assert answer.intent is Intent.SEARCH
    assert expected in [s.id for s in answer.sessions]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("help", Intent.HELP),
        ("aide", Intent.HELP),
        ("Hello", Intent.GREETING),
        ("bonjour", Intent.GREETING),
        ("", Intent.UNKNOWN),
        ("🎉🎉🎉", Intent.UNKNOWN),
        ("qu'est-ce qu'il y a en ce moment ?", Intent.NOW),
        ("et ensuite ?", Intent.NEXT),
    ],
)
def test_intents(question: str, intent: Intent) -> None:
    assert ANSWERER.answer(question, at(11, 9)).intent is intent


def test_noise_never_raises() -> None:
    for question in (
        "x" * 10_000,
        "'; DROP TABLE sessions; --",
        "<script>alert(1)</script>",
        "?" * 50,
    ):
        ANSWERER.answer(question, at(11, 9))


def test_pages_hold_at_most_eight_and_count_the_rest() -> None:
    many = tuple(session(f"s{i}", f"Talk {i}", at(11, 11)) for i in range(20))
    answerer = Answerer.for_catalogue(Catalogue(Conference("X", ZONE), many))
    answer = answerer.answer("what's next", at(11, 10))
    assert len(answer.sessions) == PAGE_SIZE
    assert answer.total == 20


def test_during_lists_overlapping_sessions() -> None:
    keynote = ANSWERER.catalogue.get("k1")
    assert keynote is not None
    assert [s.id for s in ANSWERER.during(keynote).sessions] == ["c4"]


def test_two_keynotes_at_once_make_the_attendee_choose() -> None:
    parallel = (
        session("ka", "Developer keynote", at(11, 9), 60, kind=Kind.KEYNOTE),
        session("kb", "Business keynote", at(11, 9), 90, kind=Kind.KEYNOTE),
        session("t1", "After the developer keynote", at(11, 10, 15)),
        session("t2", "After the business keynote", at(11, 11)),
    )
    answerer = Answerer.for_catalogue(Catalogue(Conference("C", ZONE), parallel))
    answer = answerer.answer("what's on after the keynote?", at(11, 9, 30))
    assert answer.intent is Intent.CHOOSE
    assert {s.id for s in answer.sessions} == {"ka", "kb"}
    assert answer.relation == "after"
    chosen = answerer.relative_to(parallel[1], "after", at(11, 9, 30))
    assert [s.id for s in chosen.sessions] == ["t2"]


def test_one_clear_anchor_is_answered_without_asking() -> None:
    answer = ANSWERER.answer("what's on after the keynote?", at(11, 9, 30))
    assert answer.intent is Intent.AFTER
