"""Sessionize API v2 "All" exports: the real Scottish Summit 2026 and Global Azure Austria 2024
files, plus small hand-written documents for the edge cases."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from catalogue.importers import CatalogueError, ImportOptions, detect_format, load, parse_text
from catalogue.model import Kind
from tests.paths import CATALOGUES

SHARED = CATALOGUES
SCOTTISH = SHARED / "sessionize-json" / "scottishsummit-2026-sessionize-all.json"
AZURE = SHARED / "sessionize-json" / "globalazure-austria-2024-sessionize-all.json"
LONDON = ZoneInfo("Europe/London")
VIENNA = ZoneInfo("Europe/Vienna")

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared catalogues at {SHARED}")


@pytest.fixture(scope="module")
def scottish():
    return load(SCOTTISH, options=ImportOptions(timezone=LONDON))


@pytest.fixture(scope="module")
def azure():
    return load(AZURE, options=ImportOptions(timezone=VIENNA))


def test_detects_sessionize():
    for path in (SCOTTISH, AZURE):
        assert detect_format(path.read_text(encoding="utf-8"), str(path)) == "sessionize"


def test_scottish_summit_counts_and_conference(scottish):
    assert scottish.format == "sessionize"
    assert len(scottish.sessions) == 61
    assert scottish.skipped == ()
    assert scottish.warnings == ()
    assert scottish.timezone.key == "Europe/London"
    assert scottish.conference.name == "scottishsummit-2026-sessionize-all"
    assert [d.isoformat() for d in scottish.days] == ["2026-10-02", "2026-10-03"]
    assert len(scottish.rooms) == 7
    assert scottish.tracks == (
        "Azure",
        "Copilot + Agents",
        "Dynamics & Power Platform",
        "Inclusion & Personal Development",
        "M365",
        "Security",
    )


def test_scottish_summit_first_and_last(scottish):
    first, last = scottish.sessions[0], scottish.sessions[-1]
    assert first.title == "Agent Academy Live! Workshop"
    assert first.start == datetime(2026, 10, 2, 9, 0, tzinfo=LONDON)
    assert first.end == datetime(2026, 10, 2, 17, 0, tzinfo=LONDON)
    assert first.kind is Kind.WORKSHOP
    assert last.id == "1193827"
    assert last.title == "Vibe Apps and Code Apps: The Future of Power Platform Development"
    assert last.start == datetime(2026, 10, 3, 17, 0, tzinfo=LONDON)
    assert last.end == datetime(2026, 10, 3, 17, 45, tzinfo=LONDON)


def test_scottish_summit_keynote(scottish):
    assert [k.title for k in scottish.keynotes] == ["Scottish Summit 2026 Keynote"]
    keynote = scottish.get("1253880")
    assert keynote is not None
    assert keynote.kind is Kind.KEYNOTE
    assert keynote.start == datetime(2026, 10, 3, 9, 0, tzinfo=LONDON)
    assert keynote.end == datetime(2026, 10, 3, 9, 10, tzinfo=LONDON)
    assert keynote.start.utcoffset().total_seconds() == 3600  # BST
    assert keynote.room == "Presidents Suite 1 (150)"
    assert [p.name for p in keynote.speakers] == ["Matt Beard", "Zoe Wilson"]
    after = [s for s in scottish.sessions if s.room == keynote.room and s.start == keynote.end]
    assert [s.title for s in after] == ["Building with Heart in the Age of AI"]


def test_scottish_summit_session_fields(scottish):
    session = scottish.get("1182943")
    assert session is not None
    assert session.title == "Designing Intelligent Tool-Driven Agents"
    assert session.start == datetime(2026, 10, 3, 10, 15, tzinfo=LONDON)
    assert session.end == datetime(2026, 10, 3, 11, 0, tzinfo=LONDON)
    assert session.kind is Kind.TALK
    assert session.track == "Copilot + Agents"
    assert session.tags == ("300 - Advanced", "45 min theatre session")
    assert session.room == "Moncreiff 2 (33)"
    assert session.url == ""
    assert session.abstract.startswith("Modern Copilot Studio agents can do far more")
    assert "\r" not in session.abstract
    (speaker,) = session.speakers
    assert speaker.name == "Dennes Torres"
    assert speaker.company == "Data Platform MVP (2020-2023)"
    assert speaker.bio


def test_scottish_summit_kinds_from_format_and_title(scottish):
    lightning = scottish.get("1173856")
    assert lightning is not None and lightning.kind is Kind.LIGHTNING
    assert lightning.tags == ("100 - Beginner", "20 min lightning talk")
    workshops = [s.title for s in scottish.sessions if s.kind is Kind.WORKSHOP]
    assert len(workshops) == 5
    assert "New Speakers Workshop" in workshops
    # Tagged with both formats: the 45-minute slot decides.
    both = scottish.get("1215976")
    assert both is not None and both.kind is Kind.TALK
    title_stripped = scottish.get("1252943")
    assert title_stripped is not None
    assert title_stripped.title.startswith("Design and Build a Gamified Onboarding Agent")


def test_global_azure(azure):
    assert len(azure.sessions) == 15
    assert azure.skipped == ()
    assert azure.timezone.key == "Europe/Vienna"
    assert azure.tracks == ()
    keynotes = azure.keynotes
    assert [k.title for k in keynotes] == [
        "Keynote: Pioneering the Future of Java with Intelligent Apps",
        "Keynote: Total rational - Das größte Missverständnis im data-driven Business",
    ]
    assert [k.start for k in keynotes] == [
        datetime(2024, 4, 20, 9, 0, tzinfo=VIENNA),
        datetime(2024, 4, 20, 12, 0, tzinfo=VIENNA),
    ]
    assert [p.name for p in keynotes[0].speakers] == ["Ed Burns", "Sandra Ahlgrimm"]
    assert keynotes[0].room == "Aula"
    last = azure.sessions[-1]
    assert last.start == datetime(2024, 4, 20, 14, 30, tzinfo=VIENNA)
    assert last.end == datetime(2024, 4, 20, 15, 15, tzinfo=VIENNA)
    # A talk about social media is still a talk, not a social event.
    social = next(s for s in azure.sessions if s.title.startswith("Social Media als Spielfeld"))
    assert social.kind is Kind.TALK
    assert all(s.kind in (Kind.TALK, Kind.KEYNOTE) for s in azure.sessions)


def test_without_timezone_asks_for_it():
    with pytest.raises(CatalogueError, match="--timezone") as raised:
        load(SCOTTISH)
    assert str(SCOTTISH) in str(raised.value)


def _mini(**overrides):
    session = {
        "id": "1",
        "title": "A talk",
        "description": "About things.",
        "startsAt": "2024-05-01T10:00:00",
        "endsAt": "2024-05-01T10:45:00",
        "isServiceSession": False,
        "isPlenumSession": False,
        "speakers": ["s1"],
        "categoryItems": [10, 20],
        "roomId": 7,
        "liveUrl": "https://example.org/live/1",
    }
    session.update(overrides)
    return session


def _document(*sessions):
    return json.dumps(
        {
            "sessions": list(sessions),
            "speakers": [
                {"id": "s1", "firstName": "Ada", "lastName": "Lovelace", "tagLine": "Analyst"},
            ],
            "questions": [],
            "categories": [
                {
                    "id": 1,
                    "title": "Track",
                    "type": "session",
                    "items": [{"id": 10, "name": "Web"}],
                },
                {
                    "id": 2,
                    "title": "Level",
                    "type": "session",
                    "items": [{"id": 20, "name": "Intro"}],
                },
            ],
            "rooms": [{"id": 7, "name": "Hall A"}],
        }
    )


def _parse(text):
    return parse_text(text, source="mini.json", options=ImportOptions(timezone=LONDON))


def test_mini_fields_and_lookups():
    catalogue = _parse(_document(_mini()))
    (session,) = catalogue.sessions
    assert session.track == "Web"
    assert session.tags == ("Intro",)
    assert session.room == "Hall A"
    assert session.url == "https://example.org/live/1"
    assert [(p.name, p.company) for p in session.speakers] == [("Ada Lovelace", "Analyst")]
    assert catalogue.conference.name == "mini"


def test_mini_unscheduled_is_skipped_with_reason():
    catalogue = _parse(_document(_mini(), _mini(id="2", title="Later", startsAt=None, endsAt=None)))
    assert [s.id for s in catalogue.sessions] == ["1"]
    (problem,) = catalogue.skipped
    assert problem.location == "sessions[1] (id 2)"
    assert "not scheduled" in problem.reason


def test_mini_unknown_references_are_warned():
    catalogue = _parse(_document(_mini(speakers=["s1", "nobody"], roomId=99, categoryItems=[5])))
    (session,) = catalogue.sessions
    assert session.room == ""
    assert [p.name for p in session.speakers] == ["Ada Lovelace"]
    reasons = " / ".join(p.reason for p in catalogue.warnings)
    assert "unknown speaker id 'nobody'" in reasons
    assert "unknown room id 99" in reasons
    assert "unknown category item 5" in reasons


def test_mini_service_sessions_and_plenum():
    catalogue = _parse(
        _document(
            _mini(id="1", title="Lunch", isServiceSession=True, speakers=[]),
            _mini(id="2", title="Registration", isServiceSession=True, speakers=[]),
            _mini(id="3", title="Coffee break", isServiceSession=True, speakers=[]),
            _mini(id="4", title="Welcome everyone", isPlenumSession=True),
        )
    )
    kinds = {s.id: s.kind for s in catalogue.sessions}
    assert kinds == {"1": Kind.MEAL, "2": Kind.OTHER, "3": Kind.BREAK, "4": Kind.KEYNOTE}


def test_mini_bad_times():
    catalogue = _parse(
        _document(
            _mini(id="1"),
            _mini(id="2", startsAt="tomorrow"),
            _mini(id="3", endsAt="2024-05-01T09:00:00"),
            _mini(id="4", endsAt=None),
        )
    )
    assert sorted(s.id for s in catalogue.sessions) == ["1", "4"]
    skipped = {p.location: p.reason for p in catalogue.skipped}
    assert "not an ISO date-time" in skipped["sessions[1] (id 2)"]
    assert "before it starts" in skipped["sessions[2] (id 3)"]
    assert any("no endsAt" in p.reason for p in catalogue.warnings)


def test_mini_not_sessionize():
    for text in ("[1, 2]", '{"sessions": 3}', "{not json"):
        with pytest.raises(CatalogueError, match=r"^mini\.json: "):
            parse_text(text, source="mini.json", format="sessionize", options=ImportOptions(LONDON))
