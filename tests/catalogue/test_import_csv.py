"""CSV agendas: the real re:Invent 2024 sessions and campus agenda and the 1999 Camp programme,
plus small hand-written files for the edge cases."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from catalogue.importers import CatalogueError, ImportOptions, detect_format, load, parse_text
from catalogue.model import Kind
from tests.paths import CATALOGUES

SHARED = CATALOGUES
SESSIONS = SHARED / "csv" / "aws-reinvent-2024-sessions.csv"
AGENDA = SHARED / "csv" / "aws-reinvent-2024-agenda.csv"
CAMP = SHARED / "csv" / "ccc-camp-1999-schedule.csv"
VEGAS = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared catalogues at {SHARED}")


@pytest.fixture(scope="module")
def reinvent():
    return load(SESSIONS, options=ImportOptions(timezone=VEGAS))


@pytest.fixture(scope="module")
def agenda():
    return load(AGENDA, options=ImportOptions(timezone=VEGAS))


@pytest.fixture(scope="module")
def camp():
    return load(CAMP, options=ImportOptions(timezone=BERLIN, first_day=date(1999, 8, 6)))


def test_detects_csv():
    for path in (SESSIONS, AGENDA, CAMP):
        assert detect_format(path.read_text(encoding="utf-8"), str(path)) == "csv"


# --- re:Invent sessions --------------------------------------------------------------------


def test_reinvent_counts(reinvent):
    assert reinvent.format == "csv"
    assert reinvent.conference.name == "aws-reinvent-2024-sessions"
    assert reinvent.timezone.key == "America/Los_Angeles"
    # 2,431 data rows: 2,416 scheduled and 15 with N/A dates.
    assert len(reinvent.sessions) == 2416
    assert len(reinvent.skipped) == 15
    assert [p.location for p in reinvent.skipped] == [
        f"line {n}"
        for n in (
            7,
            605,
            801,
            904,
            1090,
            1607,
            1608,
            1990,
            2210,
            2220,
            2221,
            2264,
            2265,
            2395,
            2396,
        )
    ]
    assert {p.reason for p in reinvent.skipped} == {"no date ('N/A')"}
    assert [d.isoformat() for d in reinvent.days] == [f"2024-12-0{d}" for d in range(1, 7)]
    assert len(reinvent.rooms) == 194  # 195 distinct values in the file, one of them "N/A"


def test_reinvent_first_and_last(reinvent):
    first, last = reinvent.sessions[0], reinvent.sessions[-1]
    assert first.title == "Lactation room"
    assert first.start == datetime(2024, 12, 1, 10, 0, tzinfo=VEGAS)
    assert first.end == datetime(2024, 12, 1, 16, 0, tzinfo=VEGAS)
    assert first.kind is Kind.OTHER  # "Conference services": the title names no kind
    assert first.room == "Caesars Forum | Level 1 | Lactation Room"
    assert last.title == "Revolutionize customer care with data-driven generative AI [REPEAT]"
    assert last.start == datetime(2024, 12, 6, 11, 30, tzinfo=VEGAS)
    assert last.end == datetime(2024, 12, 6, 12, 30, tzinfo=VEGAS)
    assert last.kind is Kind.WORKSHOP  # "Builders' session"


def test_reinvent_keynotes(reinvent):
    keynotes = [(k.title, k.start, k.end) for k in reinvent.keynotes]
    assert keynotes == [
        (
            "Monday Night Live with Peter DeSantis",
            datetime(2024, 12, 2, 19, 30, tzinfo=VEGAS),
            datetime(2024, 12, 2, 21, 0, tzinfo=VEGAS),
        ),
        (
            "CEO Keynote with Matt Garman",
            datetime(2024, 12, 3, 8, 0, tzinfo=VEGAS),
            datetime(2024, 12, 3, 10, 30, tzinfo=VEGAS),
        ),
        (
            "Dr. Swami Sivasubramanian Keynote",
            datetime(2024, 12, 4, 8, 30, tzinfo=VEGAS),
            datetime(2024, 12, 4, 10, 30, tzinfo=VEGAS),
        ),
        (
            "AWS Partner Keynote with Dr. Ruba Borno",
            datetime(2024, 12, 4, 15, 0, tzinfo=VEGAS),
            datetime(2024, 12, 4, 16, 30, tzinfo=VEGAS),
        ),
        (
            "Dr. Werner Vogels Keynote",
            datetime(2024, 12, 5, 8, 30, tzinfo=VEGAS),
            datetime(2024, 12, 5, 10, 30, tzinfo=VEGAS),
        ),
    ]
    garman = reinvent.keynotes[1]
    assert garman.room == "Venetian | Level 2 | Venetian Ballroom F"
    assert garman.start.utcoffset().total_seconds() == -8 * 3600  # PST
    assert garman.tags == ("Keynote",)


def test_reinvent_session_fields(reinvent):
    title = "5 reasons why runtime is the key to shifting both left & right (sponsored by Upwind)"
    session = next(s for s in reinvent.sessions if s.title == title)
    assert session.kind is Kind.TALK  # "Breakout session" is a talk, not a coffee break
    assert session.start == datetime(2024, 12, 3, 16, 0, tzinfo=VEGAS)
    assert session.end == datetime(2024, 12, 3, 17, 0, tzinfo=VEGAS)
    assert session.room == "Mandalay Bay | Level 2 South | Oceanside B"
    assert session.abstract.startswith("This session explores the need to reinvent")
    assert session.abstract.endswith("an AWS Partner.")
    key = f"{title}|2024-12-03T16:00:00-08:00|Mandalay Bay | Level 2 South | Oceanside B"
    assert session.id == "csv-" + hashlib.sha1(key.encode()).hexdigest()[:12]
    assert not any(s.kind is Kind.BREAK for s in reinvent.sessions)


def test_reinvent_midnight_and_duplicates(reinvent):
    party = next(s for s in reinvent.sessions if s.title == "re:Play party")
    assert party.start == datetime(2024, 12, 5, 19, 0, tzinfo=VEGAS)
    assert party.end == datetime(2024, 12, 6, 0, 0, tzinfo=VEGAS)
    duplicates = [p for p in reinvent.warnings if "duplicate id" in p.reason]
    assert len(duplicates) == 8
    assert all(re.fullmatch(r"line \d+", p.location) for p in duplicates)
    assert all(re.fullmatch(r"csv-[0-9a-f]{12}(~\d+)?", s.id) for s in reinvent.sessions)


# --- re:Invent campus agenda ---------------------------------------------------------------


def test_agenda(agenda):
    assert len(agenda.sessions) == 86
    assert agenda.skipped == ()
    first = agenda.sessions[0]
    assert first.title == "Badge pickup and help desk"
    assert first.start == datetime(2024, 12, 1, 7, 0, tzinfo=VEGAS)
    assert first.end == datetime(2024, 12, 1, 23, 59, tzinfo=VEGAS)
    assert first.room == "Harry Reid International Airport T1 & T3"
    plays = [s for s in agenda.sessions if s.title == "re:Play"]
    assert [(s.start, s.end) for s in plays] == [
        (datetime(2024, 12, 4, 19, 30, tzinfo=VEGAS), datetime(2024, 12, 5, 0, 0, tzinfo=VEGAS)),
        (datetime(2024, 12, 5, 19, 30, tzinfo=VEGAS), datetime(2024, 12, 6, 0, 0, tzinfo=VEGAS)),
    ]
    shuttles = next(s for s in agenda.sessions if s.title == "re:Play shuttles")
    assert shuttles.end == datetime(2024, 12, 5, 0, 30, tzinfo=VEGAS)
    garman = next(s for s in agenda.sessions if s.title == "CEO Keynote with Matt Garman")
    assert garman.kind is Kind.KEYNOTE
    assert garman.start == datetime(2024, 12, 3, 8, 0, tzinfo=VEGAS)
    assert garman.end == datetime(2024, 12, 3, 10, 30, tzinfo=VEGAS)


def test_agenda_short_last_row(agenda):
    (warning,) = agenda.warnings
    assert warning.location == "line 87"
    assert "4 fields where the header has 5 (missing: Notes)" in warning.reason
    last = agenda.sessions[-1]
    assert last.title == "PeerTalk lounge"
    assert last.start == datetime(2024, 12, 6, 9, 0, tzinfo=VEGAS)
    assert last.end == datetime(2024, 12, 6, 12, 0, tzinfo=VEGAS)
    assert last.room == ""


# --- Camp 1999 -----------------------------------------------------------------------------


def test_camp(camp):
    assert len(camp.sessions) == 32
    assert camp.skipped == ()
    (warning,) = camp.warnings
    assert "assumed to last 1 hour" in warning.reason
    assert "32 event(s)" in warning.reason
    assert [d.isoformat() for d in camp.days] == ["1999-08-06", "1999-08-07", "1999-08-08"]
    first = camp.sessions[0]
    assert first.title == "How To Leave The Planet"
    assert first.start == datetime(1999, 8, 6, 12, 0, tzinfo=BERLIN)
    assert first.end == datetime(1999, 8, 6, 13, 0, tzinfo=BERLIN)
    assert first.room == "WS2"
    assert [p.name for p in first.speakers] == ["The Camp Crew"]
    assert first.abstract == "Welcome To The Camp.\nJoin The Crew.\n\nIntroduction To The Camp"
    last = camp.sessions[-1]
    assert last.title == "Chaos Communication Camp Reverse Engineering Award Ceremony"
    assert last.start == datetime(1999, 8, 8, 18, 0, tzinfo=BERLIN)


def test_camp_hour_24_is_midnight_after_the_day(camp):
    biometric = next(s for s in camp.sessions if s.title == "Biometric Insecurity")
    assert biometric.start == datetime(1999, 8, 7, 0, 0, tzinfo=BERLIN)  # "Freitag,24"
    assert biometric.speakers == ()
    panel = next(s for s in camp.sessions if s.title == "Hacker Variety Pack")
    names = [p.name for p in panel.speakers]
    assert names[0] == "Hugh Daniel"
    assert names[-1] == "Ian Goldberg"  # "et. al." is not a person
    quoted = next(s for s in camp.sessions if s.title.startswith('"How to ask for help'))
    assert quoted.title == '"How to ask for help on the net" -- finding information'


def test_camp_without_first_day():
    with pytest.raises(CatalogueError, match="--first-day") as raised:
        load(CAMP, options=ImportOptions(timezone=BERLIN))
    message = str(raised.value)
    assert message.startswith(str(CAMP))
    assert "Freitag" in message
    assert "\n" not in message


def test_without_timezone():
    with pytest.raises(CatalogueError, match="--timezone"):
        load(AGENDA)


# --- hand-written files --------------------------------------------------------------------


def _parse(text: str, **options):
    options.setdefault("timezone", PARIS)
    return parse_text(text, source="mini.csv", format="csv", options=ImportOptions(**options))


def test_semicolons_synonyms_and_id_column():
    text = (
        "Session ID;Name;Begin;End_Time;Venue;Presenter;Format;Notes;Track;Language;Link;Colour\n"
        "s1;Ouverture;2024-06-10T09:00;2024-06-10T09:30;Amphi A;Ada Lovelace & Alan Turing;"
        "Keynote;Bienvenue;Main;FR;https://example.org/s1;red\n"
    )
    catalogue = _parse(text)
    (session,) = catalogue.sessions
    assert session.id == "s1"
    assert session.title == "Ouverture"
    assert session.start == datetime(2024, 6, 10, 9, 0, tzinfo=PARIS)
    assert session.end == datetime(2024, 6, 10, 9, 30, tzinfo=PARIS)
    assert session.kind is Kind.KEYNOTE
    assert session.room == "Amphi A"
    assert [p.name for p in session.speakers] == ["Ada Lovelace", "Alan Turing"]
    assert session.abstract == "Bienvenue"
    assert session.track == "Main"
    assert session.language == "fr"
    assert session.url == "https://example.org/s1"
    assert [str(p) for p in catalogue.warnings] == ["line 1 (header): columns not used: Colour"]


def test_full_datetimes_with_offsets_and_text_dates():
    text = (
        "title,start,end\n"
        "UTC talk,2024-06-10T07:00:00Z,2024-06-10T08:00:00Z\n"
        "Offset talk,2024-06-10T10:00:00+02:00,2024-06-10T11:00:00+02:00\n"
        'Words talk,"June 10, 2024 2:30 PM","June 10, 2024 3:15 PM"\n'
    )
    catalogue = _parse(text)
    starts = {s.title: s.start for s in catalogue.sessions}
    assert starts["UTC talk"] == datetime(2024, 6, 10, 9, 0, tzinfo=PARIS)
    assert starts["Offset talk"] == datetime(2024, 6, 10, 10, 0, tzinfo=PARIS)
    assert starts["Words talk"] == datetime(2024, 6, 10, 14, 30, tzinfo=PARIS)
    assert all(s.start.tzinfo == PARIS for s in catalogue.sessions)


def test_date_with_times_ranges_and_durations():
    text = (
        "date,time,start,end,duration,title\n"
        "2024-06-10,,7:30 PM,1:00 AM,,Late party\n"
        "2024-06-10,9h30 - 10h15,,,,French range\n"
        "2024-06-10,,14:00,,90,Long workshop\n"
        "2024-06-10,,16:00,,1h15,Hour and a quarter\n"
        "2024-06-10,,12 PM,,,Noon\n"
    )
    catalogue = _parse(text)
    by_title = {s.title: s for s in catalogue.sessions}
    late = by_title["Late party"]
    assert late.start == datetime(2024, 6, 10, 19, 30, tzinfo=PARIS)
    assert late.end == datetime(2024, 6, 11, 1, 0, tzinfo=PARIS)
    french = by_title["French range"]
    assert (french.start.hour, french.start.minute, french.end.hour, french.end.minute) == (
        9,
        30,
        10,
        15,
    )
    assert by_title["Long workshop"].end == datetime(2024, 6, 10, 15, 30, tzinfo=PARIS)
    assert by_title["Hour and a quarter"].end == datetime(2024, 6, 10, 17, 15, tzinfo=PARIS)
    noon = by_title["Noon"]
    assert (noon.start.hour, noon.end.hour) == (12, 13)
    assert [p.location for p in catalogue.warnings] == ["line 6"]
    assert "each was assumed to last 1 hour" in catalogue.warnings[0].reason


def test_numeric_dates_day_first_or_month_first():
    day_first = _parse("date,start,title\n10/06/2024,10:00,A\n25/06/2024,10:00,B\n")
    assert [s.start.date().isoformat() for s in day_first.sessions] == ["2024-06-10", "2024-06-25"]
    assert not any("month/day/year" in p.reason for p in day_first.warnings)
    month_first = _parse("date,start,title\n06/10/2024,10:00,A\n06/25/2024,10:00,B\n")
    assert [s.start.date().isoformat() for s in month_first.sessions] == [
        "2024-06-10",
        "2024-06-25",
    ]
    dotted = _parse("date,start,title\n10.06.2024,10:00,A\n")
    assert dotted.sessions[0].start.date().isoformat() == "2024-06-10"
    ambiguous = _parse("date,start,title\n10/06/2024,10:00,A\n")
    assert ambiguous.sessions[0].start.date().isoformat() == "2024-10-06"
    (warning,) = [p for p in ambiguous.warnings if "month/day/year" in p.reason]
    assert warning.location == "line 2"
    full = _parse("title,start,end\nA,25/06/2024 10:00,25/06/2024 11:00\n")
    assert full.sessions[0].start == datetime(2024, 6, 25, 10, 0, tzinfo=PARIS)


def test_multiline_records_report_physical_lines():
    text = (
        "title,date,start,end,description\n"
        'First,2024-06-10,10:00,11:00,"one\ntwo\nthree"\n'
        "Second,N/A,N/A,N/A,\n"
        'Third,2024-06-10,12:00,11:00,"a\r\nb"\n'
        ",2024-06-10,13:00,14:00,no title\n"
        "Fifth,2024-06-10,,,no time\n"
        "Sixth,2024-06-10,soon,,bad time\n"
    )
    catalogue = _parse(text)
    assert [s.title for s in catalogue.sessions] == ["First", "Third"]
    third = catalogue.sessions[1]
    assert third.end == datetime(2024, 6, 11, 11, 0, tzinfo=PARIS)  # crosses midnight
    assert third.abstract == "a\nb"
    assert [str(p) for p in catalogue.skipped] == [
        "line 5: no date ('N/A')",
        "line 8: no title",
        "line 9: no start time",
        "line 10: start is not a date or time: 'soon'",
    ]


def test_short_rows():
    text = (
        "date,start,end,title,room\n"
        "2024-06-10,10:00,11:00,Complete,Hall\n"
        "2024-06-10,10:00,11:00,Short\n"
        "2024-06-10,10:00\n"
    )
    catalogue = _parse(text)
    assert [s.title for s in catalogue.sessions] == ["Complete", "Short"]
    assert [p.location for p in catalogue.warnings] == ["line 3", "line 4"]
    assert "missing: room" in catalogue.warnings[0].reason
    (skipped,) = catalogue.skipped
    assert skipped.location == "line 4"
    assert skipped.reason == "no title (the row is short)"


def test_identical_rows_get_distinct_ids():
    row = "Same,2024-06-10,10:00,11:00,Hall\n"
    catalogue = _parse("title,date,start,end,room\n" + row + row)
    ids = [s.id for s in catalogue.sessions]
    assert ids[1] == ids[0] + "~2"
    assert [p.location for p in catalogue.warnings] == ["line 3"]


def test_weekday_names_in_several_languages_and_day_numbers():
    weekdays = "day,start,title\nvendredi,10,A\nSaturday,10,B\nSonntag,10,C\n"
    catalogue = _parse(weekdays, first_day=date(2024, 6, 7))  # a Friday
    assert [s.start.date().isoformat() for s in catalogue.sessions] == [
        "2024-06-07",
        "2024-06-08",
        "2024-06-09",
    ]
    numbered = "day,start,title\nDay 1,10:00,A\nDay 2,10:00,B\n"
    catalogue = _parse(numbered, first_day=date(2024, 6, 7))
    assert [s.start.date().isoformat() for s in catalogue.sessions] == ["2024-06-07", "2024-06-08"]
    with pytest.raises(CatalogueError, match="--first-day"):
        _parse(numbered)
    bare = _parse("day,start,title\n1,10:00,A\n3,10:00,B\n", first_day=date(2024, 6, 7))
    assert [s.start.date().isoformat() for s in bare.sessions] == ["2024-06-07", "2024-06-09"]


def test_first_day_not_matching_any_weekday_is_warned():
    catalogue = _parse("day,start,title\nSaturday,10,A\n", first_day=date(2024, 6, 7))
    assert catalogue.sessions[0].start.date() == date(2024, 6, 8)
    assert any("is a Friday" in p.reason for p in catalogue.warnings)


def test_time_without_any_date_is_skipped():
    catalogue = _parse("title,start\nWith date,2024-06-10 10:00\nNo date,10:00\n")
    assert [s.title for s in catalogue.sessions] == ["With date"]
    (problem,) = catalogue.skipped
    assert problem.location == "line 3"
    assert "without a date" in problem.reason


def test_conference_services_and_types():
    text = (
        "type,title,date,start,end\n"
        "Conference services,Monday lunch,2024-06-10,12:00,13:00\n"
        "Conference services,Cloakroom,2024-06-10,08:00,18:00\n"
        "Breakout session,Breaking the monolith,2024-06-10,10:00,11:00\n"
        "Chalk talk,Whiteboard,2024-06-10,10:00,11:00\n"
    )
    kinds = {s.title: s.kind for s in _parse(text).sessions}
    assert kinds == {
        "Monday lunch": Kind.MEAL,
        "Cloakroom": Kind.OTHER,
        "Breaking the monolith": Kind.TALK,
        "Whiteboard": Kind.TALK,
    }


def test_unusable_files():
    with pytest.raises(CatalogueError, match=r"^mini\.csv: no title column"):
        _parse("start,end\n10:00,11:00\n")
    with pytest.raises(CatalogueError, match=r"^mini\.csv: no start column"):
        _parse("title,room\nA,B\n")
    with pytest.raises(CatalogueError, match=r"^mini\.csv: no session could be loaded"):
        _parse("title,date,start\nA,N/A,N/A\n")
    with pytest.raises(CatalogueError, match="--timezone"):
        parse_text("title,start\nA,2024-06-10 10:00\n", source="mini.csv", format="csv")
