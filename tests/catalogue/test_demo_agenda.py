"""The bundled demo agenda (Microsoft WPC 2016, Toronto) loads cleanly and is consistent."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest

import catalogue
from catalogue.importers import load
from catalogue.model import Catalogue, Kind, Session

DATA = Path(catalogue.__file__).parent / "data"
AGENDA = DATA / "wpc2016.json"

KEYNOTES = (
    "Transforming our world together",
    "Reinventing productivity for the digital workplace",
    "Seize your opportunity – today",
)
MUST_HAVE = (
    "Does your customer want to own the cloud for life?",
    "Built a profitable solution practice",
    "New, game changing SMB innovation",
)
# Kinds allowed to last longer than an hour.
LONG_KINDS = {Kind.KEYNOTE, Kind.BOOTH, Kind.MEAL, Kind.SOCIAL, Kind.OTHER}
# Kinds an attendee walks into after a keynote, as opposed to food, booths and receptions.
CONTENT_KINDS = {Kind.TALK, Kind.PANEL, Kind.WORKSHOP, Kind.LIGHTNING, Kind.MEETUP}


@pytest.fixture(scope="module")
def agenda() -> Catalogue:
    return load(AGENDA)


def _text(session: Session) -> str:
    parts = [session.title, session.subtitle, *session.tags]
    parts += [speaker.company for speaker in session.speakers]
    return " ".join(parts).casefold()


def _overlap(a: Session, b: Session) -> bool:
    return a.start < b.end and b.start < a.end


def test_loads_without_problems(agenda: Catalogue) -> None:
    assert agenda.format == "native"
    assert agenda.skipped == ()
    assert agenda.warnings == ()


def test_is_a_full_conference(agenda: Catalogue) -> None:
    assert len(agenda.sessions) >= 80
    assert agenda.conference.name == "Microsoft Worldwide Partner Conference 2016"
    assert agenda.timezone.key == "America/Toronto"
    assert all(s.id.startswith("wpc16-") for s in agenda.sessions)


def test_every_session_falls_within_the_conference_week(agenda: Catalogue) -> None:
    first, last = date(2016, 7, 10), date(2016, 7, 14)
    for session in agenda.sessions:
        start, end = agenda.local(session.start), agenda.local(session.end)
        assert first <= start.date() <= last, session.id
        assert first <= end.date() <= last, session.id
    assert agenda.days == tuple(first + timedelta(days=n) for n in range(5))


def test_three_vision_keynotes(agenda: Catalogue) -> None:
    keynotes = agenda.keynotes
    assert tuple(k.title for k in keynotes) == KEYNOTES
    for keynote, day in zip(keynotes, (11, 12, 13), strict=True):
        assert keynote.kind is Kind.KEYNOTE
        assert keynote.room == "Air Canada Centre"
        assert keynote.end - keynote.start == timedelta(hours=2)
        start = agenda.local(keynote.start)
        assert (start.date(), start.hour, start.minute) == (date(2016, 7, day), 8, 30)
        assert keynote.speakers
        assert all(speaker.company == "Microsoft" for speaker in keynote.speakers)
    assert "Satya Nadella" in {p.name for p in keynotes[0].speakers}


@pytest.mark.parametrize("title", MUST_HAVE)
def test_must_have_commons_sessions(agenda: Catalogue, title: str) -> None:
    matches = [s for s in agenda.sessions if s.title == title]
    assert len(matches) == 1
    (session,) = matches
    assert session.kind is Kind.TALK
    assert session.end - session.start <= timedelta(hours=1)
    assert session.speakers and session.abstract and session.track


@pytest.mark.parametrize("company", ["HP", "Intel", "Nintex", "letsignit"])
def test_partner_booths(agenda: Catalogue, company: str) -> None:
    booths = [
        s
        for s in agenda.sessions
        if s.kind is Kind.BOOTH and company.casefold() in _text(s).split()
    ]
    assert booths, f"no booth for {company}"
    assert {agenda.local(b.start).date() for b in booths} >= {date(2016, 7, d) for d in (11, 12)}


@pytest.mark.parametrize("delegation", ["French delegation", "Swiss delegation"])
def test_delegation_meetups(agenda: Catalogue, delegation: str) -> None:
    assert any(s.kind is Kind.MEETUP and delegation.casefold() in _text(s) for s in agenda.sessions)


def test_sessions_in_french_for_the_french_delegation(agenda: Catalogue) -> None:
    french = [s for s in agenda.sessions if s.language == "fr"]
    assert len([s for s in french if s.kind is Kind.TALK]) >= 3
    assert any(s.kind is Kind.MEETUP for s in french)
    assert "Réussir sa transition vers le cloud avec CSP" in {s.title for s in french}
    others = {s.language for s in agenda.sessions if s.language != "fr"}
    assert others == {"en"}


def test_only_keynotes_booths_meals_and_receptions_last_over_an_hour(agenda: Catalogue) -> None:
    too_long = [
        s.id
        for s in agenda.sessions
        if s.kind not in LONG_KINDS and s.end - s.start > timedelta(hours=1)
    ]
    assert too_long == []


def test_no_room_is_double_booked(agenda: Catalogue) -> None:
    by_room: dict[str, list[Session]] = defaultdict(list)
    for session in agenda.sessions:
        assert session.room, session.id
        by_room[session.room].append(session)
    clashes = [
        (a.id, b.id)
        for sessions in by_room.values()
        for a, b in combinations(sessions, 2)
        if _overlap(a, b)
    ]
    assert clashes == []


def test_no_speaker_is_in_two_places_at_once(agenda: Catalogue) -> None:
    by_speaker: dict[str, list[Session]] = defaultdict(list)
    for session in agenda.sessions:
        for speaker in session.speakers:
            by_speaker[speaker.name].append(session)
    clashes = [
        (name, a.id, b.id)
        for name, sessions in by_speaker.items()
        for a, b in combinations(sessions, 2)
        if _overlap(a, b)
    ]
    assert clashes == []


def test_every_speaker_has_a_company(agenda: Catalogue) -> None:
    companies: dict[str, set[str]] = defaultdict(set)
    for session in agenda.sessions:
        for speaker in session.speakers:
            assert speaker.company, f"{speaker.name} in {session.id}"
            companies[speaker.name].add(speaker.company)
    assert all(len(found) == 1 for found in companies.values())


def test_sessions_follow_each_keynote(agenda: Catalogue) -> None:
    for keynote in agenda.keynotes:
        window_end = keynote.end + timedelta(minutes=60)
        following = [
            s
            for s in agenda.sessions
            if s.kind in CONTENT_KINDS and keynote.end <= s.start <= window_end
        ]
        assert len(following) >= 4, keynote.title
        # Nobody has to sprint from the Air Canada Centre to a 10:30 session.
        assert all(s.start > keynote.end for s in following)


def test_talks_are_described(agenda: Catalogue) -> None:
    for session in agenda.sessions:
        if session.kind in {Kind.TALK, Kind.PANEL, Kind.WORKSHOP}:
            assert session.abstract and session.track and session.tags, session.id
            assert session.speakers, session.id


def test_generator_is_in_sync_with_the_json(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("build_wpc2016", DATA / "build_wpc2016.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    expected = json.dumps(module.document(), indent=2, ensure_ascii=False) + "\n"
    assert AGENDA.read_text(encoding="utf-8") == expected
