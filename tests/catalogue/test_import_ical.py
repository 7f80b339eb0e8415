"""iCalendar: the real PyCon UK 2015 (well-formed, all UTC) and MOCA 2024 (malformed) files, plus
small hand-written calendars for the edge cases."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from catalogue.importers import CatalogueError, ImportOptions, detect_format, load, parse_text
from catalogue.model import Kind
from tests.paths import CATALOGUES

SHARED = CATALOGUES
PYCONUK = SHARED / "ical" / "pyconuk-2015-schedule.ics"
MOCA = SHARED / "ical" / "moca-2024-schedule.ics"
LONDON = ZoneInfo("Europe/London")
ROME = ZoneInfo("Europe/Rome")

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared catalogues at {SHARED}")


@pytest.fixture(scope="module")
def pyconuk():
    return load(PYCONUK, options=ImportOptions(timezone=LONDON))


@pytest.fixture(scope="module")
def moca():
    return load(MOCA)


def test_detects_ical():
    for path in (PYCONUK, MOCA):
        assert detect_format(path.read_text(encoding="utf-8"), str(path)) == "ical"


# --- PyCon UK 2015 -------------------------------------------------------------------------


def test_pyconuk_counts(pyconuk):
    assert pyconuk.format == "ical"
    assert pyconuk.conference.name == "PyCon UK 2015 Schedule"
    assert pyconuk.timezone.key == "Europe/London"
    # 162 VEVENTs: 158 loaded, 4 empty slots (SUMMARY with no text) skipped with a reason.
    assert len(pyconuk.sessions) == 158
    assert len(pyconuk.skipped) == 4
    assert all(p.reason == "no SUMMARY (title)" for p in pyconuk.skipped)
    assert pyconuk.skipped[0].location.startswith("VEVENT #80 (UID 20160417T070217Z-29953@")
    assert pyconuk.skipped[0].location.endswith(", line 780)")
    assert len(pyconuk.rooms) == 11
    assert [d.isoformat() for d in pyconuk.days] == [
        "2015-09-18",
        "2015-09-19",
        "2015-09-20",
        "2015-09-21",
    ]


def test_pyconuk_first_session_is_local_time(pyconuk):
    first = pyconuk.sessions[0]
    assert first.title == "Registration / Breakfast"
    assert first.kind is Kind.MEAL
    assert first.room == "Cafeteria"
    assert first.start == datetime(2015, 9, 18, 7, 0, tzinfo=UTC)
    assert (first.start.hour, first.start.minute) == (8, 0)  # BST, as attendees saw it
    assert first.start.tzinfo == LONDON
    assert first.end == datetime(2015, 9, 18, 9, 30, tzinfo=LONDON)


def test_pyconuk_last_session_has_no_end(pyconuk):
    last = pyconuk.sessions[-1]
    assert last.title == "End of Conference, pack up, see you in 2016!"
    assert last.start == datetime(2015, 9, 21, 17, 0, tzinfo=LONDON)
    assert last.end == last.start
    no_end = [p for p in pyconuk.warnings if "no DTEND or DURATION" in p.reason]
    assert len(no_end) == 5


def test_pyconuk_keynotes_and_fields(pyconuk):
    keynote_titles = [k.title for k in pyconuk.keynotes if k.title.startswith("Keynote:")]
    assert keynote_titles == [
        "Keynote: Van Lindberg, PSF Chair",
        "Keynote: Daniele Procida All I really want is power (talk by Daniele Procida)",
        "Keynote: Dr Simon Sheridan Landing on a comet: From planning to reality",
        "Keynote: Naomi Ceder - Confessions of a True Impostor (A Survival Guide)",
    ]
    van = pyconuk.keynotes[1]
    assert van.title == "Keynote: Van Lindberg, PSF Chair"  # `\,` unescaped
    assert van.start == datetime(2015, 9, 18, 10, 30, tzinfo=LONDON)
    # A UID folded over two lines is read whole.
    assert van.id == "20160417T070217Z-1650@testing-worker-linux-docker-3ee836b9-3394-linux-5"
    django = next(s for s in pyconuk.sessions if s.title == "DjangoGirls")
    assert django.url == "http://www.pyconuk.org/djangogirls/"
    assert django.abstract == "http://www.pyconuk.org/djangogirls/"
    assert django.room == "Training and Hackathon (Simulation Centre)"
    assert django.speakers == ()
    assert django.start == datetime(2015, 9, 18, 10, 30, tzinfo=LONDON)
    assert django.end == datetime(2015, 9, 18, 12, 0, tzinfo=LONDON)


def test_pyconuk_duplicate_uid(pyconuk):
    duplicates = [p for p in pyconuk.warnings if "duplicate id" in p.reason]
    assert len(duplicates) == 1
    assert duplicates[0].location.startswith("VEVENT #132 (UID 20160417T070217Z-58703@")
    uid = "20160417T070217Z-58703@testing-worker-linux-docker-3ee836b9-3394-linux-5"
    assert pyconuk.get(uid) is not None
    assert pyconuk.get(uid + "~2") is not None


def test_pyconuk_without_timezone_falls_back_to_utc(pyconuk):
    catalogue = load(PYCONUK)
    assert catalogue.timezone.key == "UTC"
    assert any("--timezone" in p.reason for p in catalogue.warnings)
    assert catalogue.sessions[0].start.hour == 7
    # The same instants either way.
    assert [s.start for s in catalogue.sessions] == [s.start for s in pyconuk.sessions]


# --- MOCA 2024 (malformed) -----------------------------------------------------------------


def test_moca_loads_every_event(moca):
    assert len(moca.sessions) == 88
    assert moca.skipped == ()
    assert moca.conference.name == "moca-2024-schedule"
    # The broken `VTIMEZONE: Europe/Rome` line still tells the zone, with a warning.
    assert moca.timezone.key == "Europe/Rome"
    (broken,) = [p for p in moca.warnings if "written as a property line" in p.reason]
    assert broken.location == "line 4"
    assert any("space after the colon" in p.reason for p in moca.warnings)
    assert [d.isoformat() for d in moca.days] == ["2024-09-13", "2024-09-14", "2024-09-15"]


def test_moca_duplicate_uids_are_reported_and_made_distinct(moca):
    duplicates = [p for p in moca.warnings if "duplicate id" in p.reason]
    assert len(duplicates) == 88 - 5
    assert duplicates[0].location == "VEVENT #2 (UID 46939, line 17)"
    assert duplicates[0].reason == "duplicate id '46939', loaded as '46939~2'"
    ids = [s.id for s in moca.sessions]
    assert len(set(ids)) == 88
    assert {i.split("~")[0] for i in ids} == {"46917", "46937", "46938", "46939", "46983"}
    assert all(re.fullmatch(r"VEVENT #\d+ \(UID \d+, line \d+\)", p.location) for p in duplicates)


def test_moca_sessions(moca):
    first = moca.sessions[0]
    assert first.title == "Opening Keynote"
    assert first.kind is Kind.KEYNOTE
    assert first.id == "46938"
    assert first.start == datetime(2024, 9, 13, 12, 0, tzinfo=ROME)
    assert first.end == datetime(2024, 9, 13, 13, 0, tzinfo=ROME)
    assert first.room == "XOR"  # `LOCATION: XOR`, space dropped
    assert [p.name for p in first.speakers] == ["Metro Olografix"]
    last = moca.sessions[-1]
    assert last.title == "Closing ceremony"
    assert last.kind is Kind.CEREMONY
    assert last.start == datetime(2024, 9, 15, 15, 0, tzinfo=ROME)
    assert last.abstract == ""
    assert moca.rooms == ("FreeKevin", "MOKids", "MOV", "XOR")
    pair = next(s for s in moca.sessions if any(p.name == "Gabriele Zuddas" for p in s.speakers))
    assert [p.name for p in pair.speakers] == ["Valerio Lupi", "Gabriele Zuddas"]
    assert "Stefano SteveDEFT Fratepietro" in moca.speakers


def test_moca_with_timezone_option_agrees(moca):
    catalogue = load(MOCA, options=ImportOptions(timezone=ROME))
    assert catalogue.timezone.key == "Europe/Rome"
    assert [s.start for s in catalogue.sessions] == [s.start for s in moca.sessions]


# --- hand-written calendars ----------------------------------------------------------------


def _calendar(*events: str, head: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{head}{body}END:VCALENDAR\r\n"


def _parse(text: str, timezone: ZoneInfo | None = None):
    return parse_text(text, source="mini.ics", format="ical", options=ImportOptions(timezone))


def _event(uid: str, summary: str, *lines: str) -> str:
    return "\r\n".join((f"UID:{uid}", f"SUMMARY:{summary}", *lines))


def test_x_wr_timezone_tzid_and_duration():
    text = _calendar(
        _event("a", "Talk A", "DTSTART;TZID=Europe/Paris:20240610T100000", "DURATION:PT45M"),
        _event("b", "Talk B", "DTSTART:20240610T080000Z", "DTEND:20240610T090000Z"),
        _event("c", "Talk C", "DTSTART:20240610T140000", "DTEND:20240610T150000"),
        head="X-WR-CALNAME:Mini Conf\r\nX-WR-TIMEZONE:Europe/Paris\r\n",
    )
    catalogue = _parse(text)
    paris = ZoneInfo("Europe/Paris")
    assert catalogue.conference.name == "Mini Conf"
    assert catalogue.timezone.key == "Europe/Paris"
    by_id = {s.id: s for s in catalogue.sessions}
    assert by_id["a"].start == datetime(2024, 6, 10, 10, 0, tzinfo=paris)
    assert by_id["a"].end == datetime(2024, 6, 10, 10, 45, tzinfo=paris)
    assert by_id["b"].start.hour == 10  # 08:00Z shown in Paris summer time
    assert by_id["c"].start == datetime(2024, 6, 10, 14, 0, tzinfo=paris)  # floating
    assert catalogue.warnings == ()


def test_file_zone_wins_over_option_with_a_warning():
    text = _calendar(
        _event("a", "Talk", "DTSTART:20240610T080000Z", "DTEND:20240610T090000Z"),
        head="X-WR-TIMEZONE:Europe/Paris\r\n",
    )
    catalogue = _parse(text, LONDON)
    assert catalogue.timezone.key == "Europe/Paris"
    assert any("--timezone says Europe/London" in p.reason for p in catalogue.warnings)


def test_single_vtimezone_names_the_zone():
    vtimezone = (
        "BEGIN:VTIMEZONE\r\nTZID:America/Toronto\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\n"
        "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    text = _calendar(
        _event("a", "Talk", "DTSTART;TZID=America/Toronto:20241110T090000", "DURATION:PT1H"),
        head=vtimezone,
    )
    catalogue = _parse(text)
    assert catalogue.timezone.key == "America/Toronto"
    assert catalogue.sessions[0].start.hour == 9


def test_windows_zone_name_is_understood():
    text = _calendar(
        _event("a", "Talk", "DTSTART:20240610T080000Z", "DURATION:PT1H"),
        head="X-WR-TIMEZONE:W. Europe Standard Time\r\n",
    )
    catalogue = _parse(text)
    assert catalogue.timezone.key == "Europe/Berlin"
    assert catalogue.sessions[0].start.hour == 10


def test_all_day_event_spans_whole_days():
    text = _calendar(
        _event("a", "Hackathon open all day", "DTSTART;VALUE=DATE:20240611"),
        _event("b", "Sprints", "DTSTART;VALUE=DATE:20240612", "DTEND;VALUE=DATE:20240614"),
        _event("c", "Lunch", "DTSTART;VALUE=DATE:20240611"),
        _event("d", "Registration", "DTSTART;VALUE=DATE:20240611", "CATEGORIES:Workshop"),
    )
    catalogue = _parse(text, LONDON)
    by_id = {s.id: s for s in catalogue.sessions}
    assert by_id["a"].start == datetime(2024, 6, 11, 0, 0, tzinfo=LONDON)
    assert by_id["a"].end == datetime(2024, 6, 12, 0, 0, tzinfo=LONDON)
    assert by_id["a"].kind is Kind.OTHER
    assert by_id["b"].end == datetime(2024, 6, 14, 0, 0, tzinfo=LONDON)
    assert by_id["b"].kind is Kind.OTHER
    assert by_id["c"].kind is Kind.MEAL  # the title says what it is
    assert by_id["d"].kind is Kind.WORKSHOP
    assert by_id["d"].tags == ("Workshop",)


def test_people_categories_and_kind():
    text = _calendar(
        _event(
            "a",
            "Rust in production",
            "DTSTART:20240610T080000Z",
            "DTEND:20240610T090000Z",
            'ORGANIZER;CN="Doe, Jane":mailto:jane@example.org',
            "ATTENDEE;CN=Bob Smith:mailto:bob@example.org",
            "ATTENDEE:mailto:anonymous@example.org",
            "CATEGORIES:Panel,Systems",
            "DESCRIPTION:Line one\\nLine two\\, with a comma",
            "URL:https://example.org/rust",
            "LOCATION:Room 1",
        ),
    )
    (session,) = _parse(text, LONDON).sessions
    assert [p.name for p in session.speakers] == ["Doe, Jane", "Bob Smith"]
    assert session.kind is Kind.PANEL
    assert session.tags == ("Panel", "Systems")
    assert session.abstract == "Line one\nLine two, with a comma"
    assert session.url == "https://example.org/rust"
    assert session.room == "Room 1"


def test_events_without_start_or_cancelled_are_skipped_and_no_end_warned():
    text = _calendar(
        _event("ok", "Fine", "DTSTART:20240610T080000Z", "DTEND:20240610T090000Z"),
        _event("nostart", "No start", "DTEND:20240610T090000Z"),
        _event("gone", "Cancelled", "DTSTART:20240610T080000Z", "STATUS:CANCELLED"),
        _event("point", "Photo", "DTSTART:20240610T100000Z"),
        _event("back", "Backwards", "DTSTART:20240610T100000Z", "DTEND:20240610T090000Z"),
    )
    catalogue = _parse(text, LONDON)
    assert sorted(s.id for s in catalogue.sessions) == ["ok", "point"]
    point = catalogue.get("point")
    assert point is not None and point.end == point.start
    skipped = {p.location: p.reason for p in catalogue.skipped}
    assert skipped["VEVENT #2 (UID nostart, line 10)"] == "'No start' has no DTSTART"
    assert "cancelled" in skipped["VEVENT #3 (UID gone, line 15)"]
    assert "before it starts" in skipped["VEVENT #5 (UID back, line 26)"]
    assert any(
        p.location == "VEVENT #4 (UID point, line 21)" and "no DTEND or DURATION" in p.reason
        for p in catalogue.warnings
    )


def test_duplicate_uids_get_distinct_ids():
    text = _calendar(
        _event("x", "One", "DTSTART:20240610T080000Z", "DURATION:PT1H"),
        _event("x", "Two", "DTSTART:20240610T090000Z", "DURATION:PT1H"),
        _event("x", "Three", "DTSTART:20240610T100000Z", "DURATION:PT1H"),
    )
    catalogue = _parse(text, LONDON)
    assert [s.id for s in catalogue.sessions] == ["x", "x~2", "x~3"]
    assert [p.location for p in catalogue.warnings] == [
        "VEVENT #2 (UID x, line 10)",
        "VEVENT #3 (UID x, line 16)",
    ]


def test_unbalanced_file_is_repaired_with_warnings():
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        "BEGIN:VEVENT\nUID:a\nSUMMARY:First\nDTSTART:20240610T080000Z\nDURATION:PT1H\n"
        "END:VEVENT\nEND:VEVENT\n"
        "this is not a content line\n"
        "BEGIN:VEVENT\nUID:b\nSUMMARY:Second\nDTSTART:20240610T100000Z\nDURATION:PT1H\n"
    )
    catalogue = _parse(text, LONDON)
    assert [s.id for s in catalogue.sessions] == ["a", "b"]
    reasons = {p.location: p.reason for p in catalogue.warnings}
    assert reasons["line 9"] == "END:VEVENT without a BEGIN, ignored"
    assert reasons["line 10"].startswith("not an iCalendar line, ignored")
    assert "never ended" in reasons["line 11"]
    assert "never ended" in reasons["line 1"]


def test_unreadable_property_is_reported_per_event():
    text = _calendar(
        _event("a", "Talk", "DTSTART:20240610T080000Z", "DURATION:PT1H", "X-BAD;NOPARAM:x"),
    )
    catalogue = _parse(text, LONDON)
    assert len(catalogue.sessions) == 1
    assert any(
        p.location.startswith("VEVENT #1") and "unreadable line" in p.reason
        for p in catalogue.warnings
    )


def test_broken_dtstart_skips_the_event():
    text = _calendar(
        _event("a", "Good", "DTSTART:20240610T080000Z", "DURATION:PT1H"),
        _event("b", "Bad", "DTSTART:2024-06-10 10:00", "DURATION:PT1H"),
    )
    catalogue = _parse(text, LONDON)
    assert [s.id for s in catalogue.sessions] == ["a"]
    (problem,) = catalogue.skipped
    assert problem.location.startswith("VEVENT #2 (UID b")
    assert "DTSTART is not a valid date-time" in problem.reason


def test_floating_times_without_any_zone_need_timezone():
    text = _calendar(_event("a", "Talk", "DTSTART:20240610T100000", "DURATION:PT1H"))
    with pytest.raises(CatalogueError, match="--timezone"):
        _parse(text)


def test_unknown_tzid_is_read_in_conference_zone():
    text = _calendar(_event("a", "Talk", "DTSTART;TZID=Mars/Olympus:20240610T100000"))
    catalogue = _parse(text, LONDON)
    assert catalogue.sessions[0].start == datetime(2024, 6, 10, 10, 0, tzinfo=LONDON)
    assert any("Mars/Olympus" in p.reason for p in catalogue.warnings)


def test_unusable_files():
    with pytest.raises(CatalogueError, match=r"^mini\.ics: "):
        _parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", LONDON)
    with pytest.raises(CatalogueError, match=r"^mini\.ics: "):
        _parse("hello world", LONDON)
