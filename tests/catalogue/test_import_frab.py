"""The frab/pentabarf XML and frab/c3voc/pretalx JSON importers, against real exports.

The real files live in the shared catalogue folder (see its README); `HALLWAY_SHARED` can point
at another copy of the shared folder. Expected values were read from the files themselves.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from catalogue.importers import CatalogueError, ImportOptions, detect_format, load, parse_text
from catalogue.model import Catalogue, Kind, Session, Speaker
from tests.paths import SHARED as SHARED_DIR

SHARED = SHARED_DIR
CATALOGUES = SHARED / "catalogues"

FOSDEM_2026 = "frab-xml/fosdem-2026-schedule.xml"
FOSDEM_2023 = "frab-xml/fosdem-2023-schedule.xml"
C39_XML = "frab-xml/39c3-everything.schedule.xml"
C39_JSON = "frab-json/39c3-everything.schedule.json"
CAMP_2019 = "frab-json/camp2019-frab.schedule.json"
RC3 = "pretalx-json/rc3-2020-channels-pretalx.schedule.json"
DEMOCON = "pretalx-json/democon-pretalx-demo.schedule.json"

BRUSSELS = ZoneInfo("Europe/Brussels")
BERLIN = ZoneInfo("Europe/Berlin")

real_files = pytest.mark.skipif(
    not CATALOGUES.is_dir(), reason=f"shared catalogues not found at {CATALOGUES}"
)


@cache
def real(name: str, timezone: str | None = None) -> Catalogue:
    options = ImportOptions(timezone=ZoneInfo(timezone) if timezone else None)
    return load(CATALOGUES / name, options=options)


def fosdem_2023() -> Catalogue:
    return real(FOSDEM_2023, "Europe/Brussels")


def utc(moment: datetime) -> datetime:
    """Subtracting two datetimes of the same zone gives wall-clock time; compare in UTC."""
    return moment.astimezone(ZoneInfo("UTC"))


def by_title(catalogue: Catalogue, title: str) -> Session:
    (found,) = [s for s in catalogue.sessions if s.title == title]
    return found


# --- real exports -------------------------------------------------------------------------


@real_files
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (FOSDEM_2026, "frab-xml"),
        (FOSDEM_2023, "frab-xml"),
        (C39_XML, "frab-xml"),
        (C39_JSON, "frab-json"),
        (CAMP_2019, "frab-json"),
        (RC3, "frab-json"),
        (DEMOCON, "frab-json"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    text = (CATALOGUES / name).read_text(encoding="utf-8")
    assert detect_format(text, name) == expected


@real_files
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "timezone", "count", "zone"),
    [
        (FOSDEM_2026, None, 883, "Europe/Brussels"),
        (FOSDEM_2023, "Europe/Brussels", 780, "Europe/Brussels"),
        (C39_XML, None, 895, "Europe/Berlin"),
        (C39_JSON, None, 895, "Europe/Berlin"),
        (CAMP_2019, None, 79, "Europe/Berlin"),
        (RC3, None, 48, "Etc/GMT-1"),
        (DEMOCON, None, 36, "Etc/GMT-1"),
    ],
)
def test_every_event_loads(name: str, timezone: str | None, count: int, zone: str) -> None:
    catalogue = real(name, timezone)
    assert len(catalogue.sessions) == count
    assert catalogue.skipped == ()
    assert catalogue.timezone.key == zone
    assert catalogue.format == ("frab-xml" if name.endswith(".xml") else "frab-json")
    assert catalogue.source == str(CATALOGUES / name)
    for session in catalogue.sessions:
        assert session.start.tzinfo is catalogue.timezone
        assert session.end > session.start


@real_files
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "timezone", "first", "last"),
    [
        (
            FOSDEM_2026,
            None,
            ("9c3ebb8c-7716-5130-b9fe-ff8544f5636d", "Welcome to FOSDEM 2026", "2026-01-31T09:30"),
            ("a63dfe4a-af50-5627-9fc3-32ee169e0a6b", "Closing FOSDEM 2026", "2026-02-01T17:50"),
        ),
        (
            FOSDEM_2023,
            "Europe/Brussels",
            ("15059", "Welcome to FOSDEM 2023", "2023-02-04T09:30"),
            ("15060", "Closing FOSDEM 2023", "2023-02-05T17:50"),
        ),
        (
            C39_XML,
            None,
            ("0c8b0cb4-6cf9-5ff8-928a-0a0f49558c48", "Opening Ceremony", "2025-12-27T10:30"),
            ("a4287fcb-ef45-5992-8d4b-aaa417e2cddd", "Finona Rider", "2025-12-31T04:00"),
        ),
        (
            C39_JSON,
            None,
            ("0c8b0cb4-6cf9-5ff8-928a-0a0f49558c48", "Opening Ceremony", "2025-12-27T10:30"),
            ("a4287fcb-ef45-5992-8d4b-aaa417e2cddd", "Finona Rider", "2025-12-31T04:00"),
        ),
        (
            CAMP_2019,
            None,
            ("a0a0fcfe-b7fb-46e3-84b6-97a5406016b4", "Opening Ceremony", "2019-08-21T11:00"),
            ("f5ef88a8-0fb3-4310-bb04-358db302a13b", "Closing ceremony", "2019-08-25T18:00"),
        ),
        (
            RC3,
            None,
            (
                "c3642671-4c1f-5109-81ba-0535c1cc8428",
                "Der faule Admin automatisiert: Gluon auf echter Hardware testen",
                "2020-12-27T11:30",
            ),
            (
                "1e8baa54-4bc0-5b55-9fa9-c3a1c28b370c",
                "Climate Change and the Corona Pandemic",
                "2020-12-30T16:00",
            ),
        ),
        (
            DEMOCON,
            None,
            (
                "8079583e-8321-506c-95af-fd2903a5f075",
                "Focused 5thgeneration hardware",
                "2020-12-14T09:00",
            ),
            (
                "aac20e55-76df-58ad-be13-de3665d51593",
                "Seamless real-time installation",
                "2020-12-16T15:00",
            ),
        ),
    ],
)
def test_first_and_last_session(
    name: str,
    timezone: str | None,
    first: tuple[str, str, str],
    last: tuple[str, str, str],
) -> None:
    catalogue = real(name, timezone)
    for session, (session_id, title, local_start) in (
        (catalogue.sessions[0], first),
        (catalogue.sessions[-1], last),
    ):
        assert (session.id, session.title) == (session_id, title)
        assert session.start.replace(tzinfo=None).isoformat(timespec="minutes") == local_start


@real_files
@pytest.mark.slow
def test_fosdem_2026_fields() -> None:
    catalogue = real(FOSDEM_2026)
    assert catalogue.conference.name == "FOSDEM 2026"
    assert catalogue.conference.url == "https://fosdem.org/2026/schedule/"
    assert catalogue.conference.venue == "ULB (Université Libre de Bruxelles), Brussels"
    assert catalogue.warnings == ()
    assert len(catalogue.rooms) == 30
    assert len(catalogue.tracks) == 62

    talk = catalogue.get("8ce3ffa3-2053-5f4d-8fc4-f223e5859a53")
    assert talk is not None
    assert talk.title == "FOSS in times of war, scarcity and (adversarial) AI"
    assert talk.start == datetime(2026, 1, 31, 10, 0, tzinfo=BRUSSELS)
    assert talk.end == datetime(2026, 1, 31, 10, 50, tzinfo=BRUSSELS)
    assert talk.kind is Kind.TALK  # type "maintrack"
    assert talk.track == "Main Track"
    assert talk.room == "Janson"
    assert talk.language == "en"
    assert talk.speakers == (Speaker(name="Michiel Leenaars"),)
    assert talk.url == (
        "https://fosdem.org/2026/schedule/event/FE7ULY-foss-in-times-of-war-scarcity-and-ai/"
    )
    # The abstract is escaped HTML in the file: paragraphs survive, tags do not.
    assert talk.abstract.startswith("We need to talk about war. And we need to talk about")
    assert "\n\nThe immense corpus of free and open source software" in talk.abstract
    assert "<p>" not in talk.abstract and "&lt;" not in talk.abstract
    assert talk.abstract.endswith("a hopeful notion of maximal defendable FOSS.")
    assert not any("<p>" in s.abstract or "</" in s.abstract for s in catalogue.sessions)

    welcome = catalogue.sessions[0]
    assert welcome.abstract == "FOSDEM welcome and opening talk."
    assert welcome.speakers == (Speaker(name="FOSDEM Staff"),)
    assert welcome.end - welcome.start == timedelta(minutes=20)


@real_files
@pytest.mark.slow
def test_fosdem_2023_keynote_in_brussels_time() -> None:
    catalogue = fosdem_2023()
    keynote = by_title(catalogue, "Celebrating 25 years of Open Source")
    assert keynote.kind is Kind.KEYNOTE
    assert keynote.id == "14956"  # no guid in the old layout: the event's id
    assert keynote.start == datetime(2023, 2, 4, 10, 0, tzinfo=BRUSSELS)
    assert keynote.start.utcoffset() == timedelta(hours=1)
    assert keynote.end == datetime(2023, 2, 4, 10, 50, tzinfo=BRUSSELS)
    assert keynote.subtitle == "Past, Present, and Future"
    assert keynote.track == "Keynotes"
    assert keynote.room == "Janson"
    assert keynote.language == ""
    assert keynote.url == ""
    assert keynote.speakers == (Speaker(name="Nick Vidal"),)
    assert keynote.abstract.startswith("February 2023 marks the 25th Anniversary of Open Source.")

    keynote_type = {
        ("Welcome to FOSDEM 2023", datetime(2023, 2, 4, 9, 30, tzinfo=BRUSSELS)),
        ("Celebrating 25 years of Open Source", datetime(2023, 2, 4, 10, 0, tzinfo=BRUSSELS)),
        ("Open Source Software at NASA", datetime(2023, 2, 5, 17, 0, tzinfo=BRUSSELS)),
        ("Closing FOSDEM 2023", datetime(2023, 2, 5, 17, 50, tzinfo=BRUSSELS)),
    }
    keynotes = {(s.title, s.start) for s in catalogue.keynotes}
    assert keynote_type <= keynotes
    # A devroom talk whose title says "(Keynote)" is recognised by its title too.
    assert keynotes - keynote_type == {
        ("(Keynote) What could go wrong? Me, I was", datetime(2023, 2, 5, 9, 0, tzinfo=BRUSSELS))
    }
    assert catalogue.days == (datetime(2023, 2, 4).date(), datetime(2023, 2, 5).date())
    assert catalogue.conference.timezone is BRUSSELS
    assert catalogue.warnings == ()


@real_files
def test_fosdem_2023_needs_a_timezone() -> None:
    with pytest.raises(CatalogueError, match="--timezone") as caught:
        load(CATALOGUES / FOSDEM_2023)
    assert "fosdem-2023-schedule.xml" in str(caught.value)
    assert "\n" not in str(caught.value)


@real_files
@pytest.mark.slow
def test_39c3_fields_and_kinds() -> None:
    catalogue = real(C39_XML)
    assert catalogue.conference.name == "39th Chaos Communications Congress"
    assert catalogue.conference.url == "https://events.ccc.de/congress/2025/hub/"
    assert catalogue.warnings == ()

    opening = catalogue.sessions[0]
    assert opening.kind is Kind.KEYNOTE  # type "Ceremony", title "Opening Ceremony"
    assert opening.language == "de"
    assert opening.track == "CCC & Community"
    assert opening.room == "One"
    assert opening.speakers == (Speaker(name="pajowu"), Speaker(name="Stella"))
    assert opening.end == datetime(2025, 12, 27, 11, 0, tzinfo=BERLIN)
    assert opening.url == "https://events.ccc.de/congress/2025/hub/event/detail/opening-ceremony"

    talk = catalogue.get("304dd87b-7de5-557c-9951-1add24396a0b")
    assert talk is not None
    assert talk.kind is Kind.TALK
    assert talk.language == "en"
    assert talk.track == "Ethics, Society & Politics"
    # Carriage returns (&#13;) in the file become plain line breaks.
    assert "\r" not in talk.abstract
    assert "“A(G)I”.\nBut what kind of future" in talk.abstract

    languages = {s.language for s in catalogue.sessions}
    assert languages == {"de", "en", "de, en", "en, de", ""}
    assert sum(1 for s in catalogue.sessions if not s.track) == 659


@real_files
@pytest.mark.slow
@pytest.mark.parametrize("name", [C39_XML, C39_JSON])
def test_39c3_after_midnight_keeps_its_calendar_date(name: str) -> None:
    catalogue = real(name)
    # Listed under <day date="2025-12-27"> (which runs to 06:00), but starts on the 28th.
    kitchen = catalogue.get("341961a3-599d-52b9-8262-34c1757c9698")
    assert kitchen is not None
    assert kitchen.title.startswith("Unnecessarily Complicated Kitchen")
    assert kitchen.start == datetime(2025, 12, 28, 0, 20, tzinfo=BERLIN)
    assert kitchen.end == datetime(2025, 12, 28, 1, 20, tzinfo=BERLIN)
    # The last DJ set of day 4 (2025-12-30) plays at 04:00 on the 31st.
    last = catalogue.sessions[-1]
    assert last.start == datetime(2025, 12, 31, 4, 0, tzinfo=BERLIN)
    assert last.end == datetime(2025, 12, 31, 5, 30, tzinfo=BERLIN)
    after_midnight = [s for s in catalogue.sessions if s.start.hour < 6]
    assert len(after_midnight) == 46
    assert catalogue.days[-1] == datetime(2025, 12, 31).date()


@real_files
@pytest.mark.slow
def test_39c3_xml_and_json_give_the_same_sessions() -> None:
    from_xml = real(C39_XML)
    from_json = real(C39_JSON)
    assert from_xml.conference == from_json.conference

    # The only difference in the sources: the JSON gives each person a biography, the XML
    # lists names only. Everything else is identical, field by field.
    def without_bios(session: Session) -> Session:
        return dataclasses.replace(
            session, speakers=tuple(Speaker(name=p.name) for p in session.speakers)
        )

    assert tuple(map(without_bios, from_xml.sessions)) == tuple(
        map(without_bios, from_json.sessions)
    )
    assert all(not p.bio for s in from_xml.sessions for p in s.speakers)
    with_bios = [s for s in from_json.sessions if any(p.bio for p in s.speakers)]
    assert len(with_bios) == 461
    assert sum(1 for a, b in zip(from_xml.sessions, from_json.sessions, strict=True) if a != b) == (
        461
    )
    pajowu = from_json.sessions[0].speakers[0]
    assert pajowu.name == "pajowu"
    assert pajowu.bio.startswith("pajowu macht hacktivism bei zerforschung")


@real_files
def test_camp_2019() -> None:
    catalogue = real(CAMP_2019)
    assert catalogue.conference.name == "Chaos Communication Camp 2019"
    assert catalogue.conference.url == "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/"
    assert catalogue.timezone.key == "Europe/Berlin"
    assert catalogue.warnings == ()
    opening = catalogue.sessions[0]
    assert opening.start == datetime(2019, 8, 21, 11, 0, tzinfo=BERLIN)
    assert opening.start.utcoffset() == timedelta(hours=2)
    assert opening.kind is Kind.KEYNOTE  # "opening ceremony" counts as keynote-like
    assert opening.abstract == "A hearty welcome me lasses and lads!"
    assert opening.speakers == (Speaker(name="jinxx"), Speaker(name="smtw"))
    assert opening.room == "Curie"
    assert {s.language for s in catalogue.sessions} == {"de", "en"}


@real_files
def test_rc3_has_no_zone_name_and_loads_with_an_inferred_zone() -> None:
    catalogue = real(RC3)
    assert catalogue.timezone.key == "Etc/GMT-1"  # inverted sign: UTC+01:00
    assert len(catalogue.warnings) == 1
    warning = catalogue.warnings[0]
    assert warning.location == "schedule.conference"
    assert "Etc/GMT-1" in warning.reason and "--timezone" in warning.reason
    first = catalogue.sessions[0]
    assert first.start == datetime(2020, 12, 27, 11, 30, tzinfo=BERLIN)
    assert first.start.utcoffset() == timedelta(hours=1)
    assert first.kind is Kind.TALK  # "Talk 30 min + 10min Q&A"
    assert first.language == "de"
    assert first.speakers == (Speaker(name="Chris Fiege"), Speaker(name="Kasa"))
    assert first.abstract.startswith("Eine wichtige Komponente von Freifunk")
    assert "\r" not in first.abstract
    kinds = {s.kind for s in catalogue.sessions}
    assert kinds == {Kind.TALK, Kind.WORKSHOP, Kind.LIGHTNING, Kind.OTHER}


@real_files
def test_rc3_with_a_timezone_option() -> None:
    catalogue = real(RC3, "Europe/Berlin")
    assert catalogue.timezone.key == "Europe/Berlin"
    assert catalogue.warnings == ()
    assert catalogue.sessions[0].start == datetime(2020, 12, 27, 11, 30, tzinfo=BERLIN)


@real_files
def test_democon_warns_once_about_utc_against_plus_one() -> None:
    catalogue = real(DEMOCON)
    assert len(catalogue.warnings) == 1
    reason = catalogue.warnings[0].reason
    assert "UTC" in reason and "+01:00" in reason
    assert "36 of 36 events" in reason
    # The offsets are trusted: the first talk is at 09:00 local, 08:00 UTC.
    first = catalogue.sessions[0]
    assert first.start == datetime(2020, 12, 14, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert first.start.hour == 9
    assert catalogue.timezone.key == "Etc/GMT-1"
    assert first.speakers[0].name == "Brian Robinson"
    assert first.speakers[0].bio.startswith("Break through direction.")

    named = real(DEMOCON, "Europe/Berlin")
    assert named.timezone.key == "Europe/Berlin"
    assert len(named.warnings) == 1 and "Europe/Berlin" in named.warnings[0].reason
    assert named.sessions == tuple(
        dataclasses.replace(s, start=s.start.astimezone(BERLIN), end=s.end.astimezone(BERLIN))
        for s in catalogue.sessions
    )


@real_files
def test_truncated_xml_is_refused_with_a_line_number(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes((CATALOGUES / FOSDEM_2026).read_bytes()[:5000])
    with pytest.raises(CatalogueError, match=r"truncated\.xml: .*line \d+") as caught:
        load(truncated)
    assert "\n" not in str(caught.value)


# --- small hand-written files ---------------------------------------------------------------

PENTABARF = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <title>Tiny</title>
    <day_change>06:00:00</day_change>
    <base_url>https://tiny.example/</base_url>
  </conference>
  <day index="1" date="2024-03-30">
    <room name="Hall">
      <event id="1">
        <start>23:30</start><duration>01:00</duration><room>Hall</room>
        <title>Late &amp; Great</title><type>lecture</type><language>EN</language>
        <abstract/>
        <description>&lt;p&gt;Para &lt;em&gt;one&lt;/em&gt; &amp;amp; more.&lt;/p&gt;
          &lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;li&gt;b&lt;/li&gt;&lt;/ul&gt;</description>
        <persons><person id="7">Ada  Lovelace</person><person id="8"/></persons>
      </event>
      <event id="2">
        <start>01:30</start><duration>01:00</duration>
        <title>After midnight, across the DST change</title><type>workshop</type>
      </event>
      <event id="3"><duration>00:30</duration><title>No start</title></event>
      <event id="4"><start>10:00</start><duration>soon</duration><title>Bad length</title></event>
      <event guid="g-5"><start>11:00</start><duration>00:30</duration><title> </title></event>
      <event id="6"><start>12:00</start><duration>1:00:00</duration><title>A day</title></event>
    </room>
  </day>
</schedule>
"""


def test_pentabarf_layout_with_day_change_and_bad_records() -> None:
    paris = ZoneInfo("Europe/Paris")
    catalogue = parse_text(PENTABARF, source="tiny.xml", options=ImportOptions(timezone=paris))
    assert catalogue.format == "frab-xml"
    assert catalogue.conference.name == "Tiny"
    assert catalogue.conference.url == "https://tiny.example/"
    assert [s.id for s in catalogue.sessions] == ["6", "1", "2"]

    late = catalogue.get("1")
    assert late is not None
    assert late.title == "Late & Great"
    assert late.start == datetime(2024, 3, 30, 23, 30, tzinfo=paris)
    assert late.kind is Kind.TALK
    assert late.language == "en"
    assert late.room == "Hall"
    assert late.abstract == "Para one & more.\n\n- a\n- b"  # description, HTML made text
    assert late.speakers == (Speaker(name="Ada Lovelace"),)

    # 01:30 is before the 06:00 day change: it is the next calendar day, and the hour of
    # elapsed time ends at 03:30 local because clocks go forward at 02:00 that night.
    after = catalogue.get("2")
    assert after is not None
    assert after.start == datetime(2024, 3, 31, 1, 30, tzinfo=paris)
    assert utc(after.end) - utc(after.start) == timedelta(hours=1)
    assert after.end.hour == 3 and after.end.minute == 30
    assert after.room == "Hall"  # from the enclosing <room name=…>
    assert after.kind is Kind.WORKSHOP

    whole_day = catalogue.get("6")
    assert whole_day is not None
    assert utc(whole_day.end) - utc(whole_day.start) == timedelta(days=1)  # D:HH:MM, elapsed

    skipped = {p.location: p.reason for p in catalogue.skipped}
    assert skipped == {
        "event id=3 (day 1, room Hall)": "no start time",
        "event id=4 (day 1, room Hall)": "not a duration: 'soon'",
        "event guid=g-5 (day 1, room Hall)": "no title",
    }
    assert [str(w) for w in catalogue.warnings] == [
        "event id=1 (day 1, room Hall): 1 person(s) without a name left out"
    ]


def test_entity_declarations_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE schedule [\n <!ENTITY a "aaaaaaaaaa">\n'
        ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        "<schedule><conference><title>&b;</title></conference></schedule>"
    )
    with pytest.raises(CatalogueError, match=r"bomb\.xml: .*<!ENTITY"):
        parse_text(bomb, source="bomb.xml")


@pytest.mark.parametrize("blank", ["", "\n\n"])
def test_malformed_xml_names_the_line(blank: str) -> None:
    broken = blank + '<?xml version="1.0"?>\n<schedule>\n<title>x</titel>\n</schedule>'
    line = 3 + blank.count("\n")
    with pytest.raises(CatalogueError, match=rf"broken\.xml: not well-formed XML \(line {line}, "):
        parse_text(broken, source="broken.xml")


def test_xml_of_another_kind_is_refused() -> None:
    with pytest.raises(CatalogueError, match=r"<schedule>.*found <html>"):
        parse_text("<html><body/></html>", source="page.html", format="frab-xml")


def frab_json(days: object, **conference: object) -> str:
    return json.dumps({"schedule": {"conference": {"title": "J", **conference, "days": days}}})


def event(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "guid": "g1",
        "id": 1,
        "date": "2024-06-01T10:00:00+02:00",
        "start": "10:00",
        "duration": "00:45",
        "room": "A",
        "title": "T",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schedule": {"version": "1"}}', "'schedule.conference' is missing"),
        ('{"schedule": {"conference": {"title": "x"}}}', "'schedule.conference.days'"),
        ('{"schedule": {"conference": {"days": {}}}}', "'schedule.conference.days'"),
        ('{"schedule": []}', "unknown shape"),
        ('{"schedule": {"conference": {"days": [{"rooms": {}}]}}}', "no session could"),
        ('{"schedule": {', "not valid JSON (line 1"),
    ],
)
def test_json_of_the_wrong_shape_is_refused(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "wrong.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"wrong\.json: ") as caught:
        load(path)
    assert message in str(caught.value)


def test_json_forced_format_refuses_other_json() -> None:
    with pytest.raises(CatalogueError, match="'schedule' object"):
        parse_text('{"sessions": []}', source="x.json", format="frab-json")


def test_json_bad_records_are_skipped_with_their_place() -> None:
    days = [
        {
            "index": 1,
            "date": "2024-06-01",
            "rooms": {
                "A": [
                    event(),
                    event(guid=None, id=2, duration="forever"),
                    event(guid="g3", date=None, start=None),
                    "oops",
                    event(guid="g4", title=""),
                    event(guid="g1", title="Same guid"),
                ],
                "B": "not a list",
            },
        },
        "not a day",
        {"index": 3, "rooms": []},
    ]
    catalogue = parse_text(frab_json(days, time_zone_name="Europe/Berlin"), source="j.json")
    assert sorted(s.id for s in catalogue.sessions) == ["g1", "g1~2"]
    assert [str(p) for p in catalogue.skipped] == [
        "event id=2 (day 1, room A): not a duration: 'forever'",
        "event guid=g3 (day 1, room A): no start time",
        "event #4 (day 1, room A): not an object",
        "event guid=g4 (day 1, room A): no title",
        "schedule.conference.days[0].rooms['B']: not a list of events",
        "schedule.conference.days[1]: not an object",
        "schedule.conference.days[2]: 'rooms' is not an object keyed by room name",
    ]  # in file order
    assert [str(w) for w in catalogue.warnings] == [
        "event guid=g1 (day 1, room A): duplicate id 'g1', loaded as 'g1~2'"
    ]


def test_json_persons_and_texts() -> None:
    days = [
        {
            "date": "2024-06-01",
            "rooms": {
                "Room key": [
                    event(
                        room=None,
                        title="  Two\n lines ",
                        subtitle=None,
                        language="DE",
                        abstract="",
                        description="Plain text with a <T> generic\r\nand a second line",
                        persons=[
                            {"public_name": "Pub", "name": "Private", "biography": None},
                            {"name": "Only Name", "biography": "<p>Bio &amp; more</p>"},
                            "Just Text",
                            {"biography": "nameless"},
                        ],
                        url=" https://x.example/t ",
                        type="Podcast",
                    )
                ]
            },
        }
    ]
    catalogue = parse_text(frab_json(days, time_zone_name="Europe/Berlin"), source="p.json")
    (session,) = catalogue.sessions
    assert session.title == "Two lines"
    assert session.subtitle == ""
    assert session.language == "de"
    assert session.room == "Room key"
    assert session.abstract == "Plain text with a <T> generic\nand a second line"
    assert session.speakers == (
        Speaker(name="Pub"),
        Speaker(name="Only Name", bio="Bio & more"),
        Speaker(name="Just Text"),
    )
    assert session.url == "https://x.example/t"
    assert session.kind is Kind.OTHER
    assert session.end - session.start == timedelta(minutes=45)
    assert len(catalogue.warnings) == 1 and "without a name" in catalogue.warnings[0].reason


def test_json_zone_rules() -> None:
    days = [{"date": "2024-06-01", "rooms": {"A": [event()]}}]
    # No zone name, no option, offsets +02:00: Etc/GMT-2 with a warning.
    inferred = parse_text(frab_json(days), source="z.json")
    assert inferred.timezone.key == "Etc/GMT-2"
    assert len(inferred.warnings) == 1
    # No zone name, +00:00 offsets: UTC.
    utc_days = [{"date": "2024-06-01", "rooms": {"A": [event(date="2024-06-01T10:00:00+00:00")]}}]
    assert parse_text(frab_json(utc_days), source="z.json").timezone.key == "UTC"
    # A half-hour offset has no Etc zone: shown in UTC, instant unchanged.
    india = [{"date": "2024-06-01", "rooms": {"A": [event(date="2024-06-01T10:00:00+05:30")]}}]
    odd = parse_text(frab_json(india), source="z.json")
    assert odd.timezone.key == "UTC"
    assert odd.sessions[0].start == datetime(2024, 6, 1, 4, 30, tzinfo=ZoneInfo("UTC"))
    # The declared zone wins over the option, and the option's neglect is reported.
    declared = parse_text(
        frab_json(days, time_zone_name="Europe/Paris"),
        source="z.json",
        options=ImportOptions(timezone=BERLIN),
    )
    assert declared.timezone.key == "Europe/Paris"
    (neglected,) = declared.warnings
    assert "--timezone Europe/Berlin is not used" in neglected.reason
    # An option that contradicts the offsets is kept for display; the offsets stay trusted.
    london = ZoneInfo("Europe/London")
    against = parse_text(frab_json(days), source="z.json", options=ImportOptions(timezone=london))
    assert against.timezone is london
    assert against.sessions[0].start == datetime(2024, 6, 1, 9, 0, tzinfo=london)
    assert len(against.warnings) == 1 and "disagrees" in against.warnings[0].reason
    # Naive times and no zone anywhere: refused.
    naive = [{"date": "2024-06-01", "rooms": {"A": [event(date=None)]}}]
    with pytest.raises(CatalogueError, match="--timezone"):
        parse_text(frab_json(naive), source="z.json")
    # An unknown zone name is an error naming the field.
    with pytest.raises(CatalogueError, match="time_zone_name: unknown time zone 'Mars/Base'"):
        parse_text(frab_json(days, time_zone_name="Mars/Base"), source="z.json")
