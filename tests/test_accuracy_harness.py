"""The accuracy benchmark's own machinery: its question files are well-formed and point at what
really is in their catalogues, and its checking logic says right and wrong where it should. No
accuracy is asserted here; the figures come from `python -m benchmarks.accuracy`."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from benchmarks import accuracy
from benchmarks.accuracy import (
    KINDS,
    CatalogueCache,
    Question,
    QuestionFileError,
    QuestionSet,
    ask,
    check,
    failure_report,
    load_question_set,
    question_files,
    report,
    run,
    session_properties,
)
from catalogue.ask import Answer, Answerer, Intent
from catalogue.model import Catalogue, Conference, Kind, Session, Speaker
from catalogue.text import fold

FILES = question_files()
SETS = {path.name: load_question_set(path) for path in FILES}
DEMO = "wpc2016.json"


# -- the question files ------------------------------------------------------------------------


def test_the_question_files_cover_what_the_issue_asks_for() -> None:
    questions = [q for s in SETS.values() for q in s.questions]
    per_set = {s.name: len(s.questions) for s in SETS.values()}
    real = [s for s in SETS.values() if s.catalogue.is_relative_to(accuracy.shared_catalogues())]
    french = sum(q.language == "fr" for q in questions)

    assert len(questions) >= 160, per_set
    assert per_set["wpc2016"] >= 70
    assert len([s for s in real if len(s.questions) >= 25]) >= 3, per_set
    assert 0.35 <= french / len(questions) <= 0.55, f"{french} of {len(questions)} in French"
    assert set(Counter(q.kind for q in questions)) == set(KINDS)
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


def test_french_questions_on_the_demo_agenda_come_with_a_french_locale() -> None:
    for question in SETS[DEMO].questions:
        if question.language == "fr":
            assert question.locale == "fr-FR", question.id


@pytest.mark.parametrize("name", sorted(SETS))
def test_questions_are_well_formed(name: str) -> None:
    for question in SETS[name].questions:
        assert question.now.utcoffset() is not None, question.id
        expect = question.expect
        if expect.get("no_sessions"):
            # "nothing" and "every session shown is ..." cannot both be expected
            assert not session_properties(expect), question.id
            assert "top_k_contains" not in expect and "anchor" not in expect, question.id
        if question.kind == "noise":
            assert "intent" in expect, question.id
        if question.kind == "out_of_range":
            assert expect.get("no_sessions") is True, question.id


@pytest.fixture(scope="module")
def catalogues() -> CatalogueCache:
    return CatalogueCache()


def _catalogue(question_set: QuestionSet, cache: CatalogueCache) -> Catalogue:
    if not question_set.catalogue.is_file():
        pytest.skip(f"{question_set.catalogue} not found (set HALLWAY_SHARED)")
    catalogue, _ = cache.get(question_set.catalogue, question_set.timezone)
    return catalogue


@pytest.mark.parametrize("name", sorted(SETS))
def test_questions_refer_to_what_is_in_their_catalogue(
    name: str, catalogues: CatalogueCache
) -> None:
    question_set = SETS[name]
    catalogue = _catalogue(question_set, catalogues)
    rooms = [fold(r) for r in catalogue.rooms]
    speakers = [fold(p) for p in catalogue.speakers]
    languages = {fold(s.language) for s in catalogue.sessions}
    first = datetime.combine(catalogue.days[0], datetime.min.time(), catalogue.timezone)
    last = datetime.combine(catalogue.days[-1], datetime.min.time(), catalogue.timezone)
    problems: list[str] = []
    for question in question_set.questions:
        expect = question.expect
        spec = expect.get("top_k_contains", {})
        named = [*spec.get("ids", ()), *spec.get("any_of", ())]
        anchors = expect.get("anchor", [])
        for identifier in [*named, *([anchors] if isinstance(anchors, str) else anchors)]:
            if catalogue.get(identifier) is None:
                problems.append(f"{question.id}: no session {identifier!r}")
        if "all_in_room" in expect and not any(fold(expect["all_in_room"]) in r for r in rooms):
            problems.append(f"{question.id}: no room like {expect['all_in_room']!r}")
        if "all_have_speaker" in expect and not any(
            fold(expect["all_have_speaker"]) in p for p in speakers
        ):
            problems.append(f"{question.id}: no speaker like {expect['all_have_speaker']!r}")
        if "all_language" in expect and fold(expect["all_language"]) not in languages:
            problems.append(f"{question.id}: no session in {expect['all_language']!r}")
        properties = session_properties(expect)
        # The sessions a question names must themselves satisfy what it says of all sessions
        # shown, and something in the catalogue must, or nothing could ever pass.
        for identifier in named:
            session = catalogue.get(identifier)
            for description, holds in properties:
                if session is not None and not holds(session):
                    problems.append(f"{question.id}: {identifier} does not satisfy {description}")
        if properties and not any(
            all(holds(s) for _, holds in properties) for s in catalogue.sessions
        ):
            problems.append(f"{question.id}: no session of the catalogue meets {expect}")
        if question.kind not in ("out_of_range", "noise") and not (
            first - timedelta(days=2) <= question.now < last + timedelta(days=2)
        ):
            problems.append(f"{question.id}: now {question.now} is not around the conference")
    assert not problems, "\n".join(problems)


def test_loading_rejects_what_would_make_a_question_uncheckable(tmp_path: Path) -> None:
    good: dict[str, Any] = {
        "id": "x-1",
        "question": "whats on now",
        "language": "en",
        "kind": "now",
        "now": "2016-07-11T09:30:00-04:00",
        "expect": {"intent": "now"},
    }

    def write(*questions: dict[str, Any]) -> Path:
        path = tmp_path / "set.json"
        document = {"name": "t", "catalogue": {"root": "repo", "path": "x.json"}}
        path.write_text(json.dumps({**document, "questions": list(questions)}), encoding="utf-8")
        return path

    assert load_question_set(write(good)).questions[0].now.utcoffset() == timedelta(hours=-4)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"now": "2016-07-11T09:30:00"}, "no UTC offset"),
        ({"kind": "weather"}, "kind"),
        ({"language": "de"}, "language"),
        ({"expect": {"top_k": 3}}, "unknown expectations"),
        ({"expect": {"top_k_contains": {"k": 1, "ids": ["a", "b"]}}}, "cannot all be"),
        ({"expect": {"all_within": {"start": "2016-07-11T10:00:00-04:00"}}}, "start, end"),
        ({"expect": {"all_kind": "lecture"}}, "kind"),
        ({"expect": {}}, "non-empty"),
        ({"surprise": 1}, "unknown fields"),
    ]
    for change, message in bad:
        with pytest.raises(QuestionFileError, match=message):
            load_question_set(write({**good, **change}))
    with pytest.raises(QuestionFileError, match="used twice"):
        load_question_set(write(good, good))


def test_repeat_makes_long_noise(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    question = {
        "id": "n-1",
        "question": "ab ",
        "repeat": 4,
        "language": "en",
        "kind": "noise",
        "now": "2016-07-11T09:30:00+00:00",
        "expect": {"intent": ["unknown", "help"]},
    }
    path.write_text(
        json.dumps(
            {"name": "t", "catalogue": {"root": "repo", "path": "x"}, "questions": [question]}
        ),
        encoding="utf-8",
    )
    assert load_question_set(path).questions[0].text == "ab ab ab ab "


# -- the checking logic on a tiny hand-made agenda ---------------------------------------------

ZONE = ZoneInfo("America/Toronto")


def at(hour: int, minute: int = 0, day: int = 11) -> datetime:
    return datetime(2016, 7, day, hour, minute, tzinfo=ZONE)


def iso(moment: datetime) -> str:
    return moment.isoformat()


KEYNOTE = Session("k", "Opening keynote", at(9), at(10), kind=Kind.KEYNOTE, room="Hall A")
AZURE = Session(
    "az",
    "Azure for partners",
    at(10, 30),
    at(11, 15),
    room="Théâtre 1",
    speakers=(Speaker("Ada Lovelace", "Contoso"),),
)
FRENCH = Session("fr", "Le cloud en français", at(11), at(12), language="fr", room="Salle 714")
LUNCH = Session("l", "Lunch", at(12), at(13), kind=Kind.MEAL, room="Hall B")
SOCIAL = Session("s", "Drinks", at(18), at(18), kind=Kind.SOCIAL, room="Bar")
TINY = Catalogue(Conference("Tiny", ZONE), (KEYNOTE, AZURE, FRENCH, LUNCH, SOCIAL))


def answer(*sessions: Session, rest: tuple[Session, ...] = (), **fields: Any) -> Answer:
    fields.setdefault("intent", Intent.UNKNOWN)
    return Answer(sessions=sessions, rest=rest, total=len(sessions) + len(rest), **fields)


def test_top_k_looks_at_the_first_k_shown_then_at_the_rest() -> None:
    shown = answer(KEYNOTE, AZURE, rest=(FRENCH,))
    assert check({"top_k_contains": {"k": 2, "ids": ["az", "k"]}}, shown) == []
    assert check({"top_k_contains": {"k": 3, "ids": ["fr"]}}, shown) == []
    assert check({"top_k_contains": {"k": 1, "any_of": ["az", "fr"]}}, shown) != []
    assert check({"top_k_contains": {"k": 2, "any_of": ["fr", "az"]}}, shown) == []
    problems = check({"top_k_contains": {"k": 1, "ids": ["az"]}}, shown)
    assert problems == ["not in the top 1: ['az']"]


def test_every_session_shown_must_meet_the_all_expectations() -> None:
    morning = {"all_within": {"start": iso(at(8)), "end": iso(at(11))}}
    assert check(morning, answer(KEYNOTE, AZURE)) == []
    problems = check(morning, answer(KEYNOTE, FRENCH))
    assert len(problems) == 1 and "fr 'Le cloud en français'" in problems[0]

    at_11 = {"all_overlap": {"start": iso(at(11)), "end": iso(at(11, 1))}}
    assert check(at_11, answer(AZURE, FRENCH)) == []
    assert check(at_11, answer(KEYNOTE)) != []
    drinks = {"all_overlap": {"start": iso(at(18)), "end": iso(at(18, 30))}}
    assert check(drinks, answer(SOCIAL)) == []  # an item with no duration counts at its start

    assert check({"all_start_at_or_after": iso(at(10, 30))}, answer(AZURE, FRENCH)) == []
    assert check({"all_start_at_or_after": iso(at(10, 30))}, answer(KEYNOTE)) != []
    assert check({"all_in_room": "theatre 1"}, answer(AZURE)) == []  # case and accents aside
    assert check({"all_in_room": "714"}, answer(AZURE)) != []
    assert check({"all_have_speaker": "lovelace"}, answer(AZURE)) == []
    assert check({"all_have_speaker": "lovelace"}, answer(AZURE, KEYNOTE)) != []
    assert check({"all_kind": ["keynote", "meal"]}, answer(KEYNOTE, LUNCH)) == []
    assert check({"all_kind": "keynote"}, answer(KEYNOTE, LUNCH)) != []
    assert check({"all_language": "fr"}, answer(FRENCH)) == []
    assert check({"all_language": "fr"}, answer(FRENCH, AZURE)) != []


def test_an_empty_or_fallback_answer_does_not_pass_an_all_expectation() -> None:
    expect = {"all_in_room": "Hall"}
    assert check(expect, answer()) == ["no sessions shown"]
    assert check(expect, answer(KEYNOTE, fallback=True)) == ["only fallback alternatives shown"]


def test_no_sessions_accepts_nothing_or_flagged_alternatives() -> None:
    expect = {"no_sessions": True}
    assert check(expect, answer()) == []
    assert check(expect, answer(LUNCH, fallback=True)) == []
    assert check(expect, answer(LUNCH)) != []


def test_intent_and_anchor() -> None:
    assert check({"intent": ["unknown", "help"]}, answer(intent=Intent.HELP)) == []
    assert check({"intent": "help"}, answer(intent=Intent.UNKNOWN)) != []
    assert check({"anchor": "k"}, answer(AZURE, anchor=KEYNOTE)) == []
    assert check({"anchor": ["l", "s"]}, answer(AZURE, anchor=KEYNOTE)) != []
    assert check({"anchor": "k"}, answer(AZURE)) == ["anchor none, expected one of ['k']"]


def question(expect: dict[str, Any], text: str = "anything about azure", **fields: Any) -> Question:
    fields.setdefault("id", "t-1")
    fields.setdefault("language", "en")
    fields.setdefault("kind", "topic")
    return Question(text=text, now=at(8), expect=expect, **fields)


class Broken:
    def answer(self, question: str, now: datetime) -> Answer:
        raise RuntimeError("boom")


class Canned:
    def __init__(self, reply: Answer) -> None:
        self.reply = reply

    def answer(self, question: str, now: datetime) -> Answer:
        return self.reply


class WithLocale:
    def __init__(self) -> None:
        self.locales: list[str] = []

    def answer(self, question: str, now: datetime, locale: str = "") -> Answer:
        self.locales.append(locale)
        return answer()


def test_an_exception_is_a_wrong_answer_not_a_crash() -> None:
    outcome = ask(Broken(), question({"intent": "search"}), "tiny")
    assert not outcome.passed
    assert outcome.error == "RuntimeError: boom"
    assert outcome.problems == ("raised RuntimeError: boom",)


def test_the_locale_is_passed_on_only_to_an_answerer_that_takes_it() -> None:
    answerer = WithLocale()
    ask(answerer, question({"no_sessions": True}, locale="fr-FR"), "tiny")
    ask(answerer, question({"no_sessions": True}), "tiny")
    assert answerer.locales == ["fr-FR", ""]
    assert ask(Canned(answer()), question({"no_sessions": True}, locale="fr-FR"), "tiny").passed


class FixedCache(CatalogueCache):
    def __init__(self, answerer: Any) -> None:
        super().__init__()
        self.answerer = answerer

    def get(self, path: Path, timezone: str | None) -> tuple[Catalogue, Any]:
        return TINY, self.answerer


def test_run_and_report_count_right_and_wrong_per_kind_language_and_catalogue(
    tmp_path: Path,
) -> None:
    catalogue_file = tmp_path / "tiny.json"
    catalogue_file.write_text("{}", encoding="utf-8")
    questions = (
        question({"top_k_contains": {"k": 1, "ids": ["az"]}}, id="t-1"),
        question({"all_language": "fr"}, id="t-2", language="fr", kind="language"),
        question({"no_sessions": True}, id="t-3", kind="out_of_range"),
    )
    tiny = QuestionSet("tiny", tmp_path / "q.json", catalogue_file, None, questions)
    missing = QuestionSet("gone", tmp_path / "g.json", tmp_path / "nowhere.xml", None, questions)

    result = run([tiny, missing], cache=FixedCache(Canned(answer(AZURE))))

    assert [o.passed for o in result.outcomes] == [True, False, False]
    assert len(result.skipped) == 1 and "gone" in result.skipped[0]
    lines = report(result)
    assert lines[0].startswith("accuracy: 33.3% (1/3 questions right")
    assert any(line.startswith("  topic ") and "100.0%" in line and "1/1" in line for line in lines)
    assert any(line.startswith("  language") and "0/1" in line for line in lines)
    assert any(line.startswith("  fr") and "0/1" in line for line in lines)
    assert any(line.startswith("  tiny") and "1/3" in line for line in lines)
    assert any("p50" in line and "p99" in line for line in lines)
    assert any(line.startswith("skipped: gone") for line in lines)

    failure = "\n".join(failure_report(result.outcomes[1], ZONE))
    assert "FAIL t-2 [tiny / language / fr]" in failure
    assert "az: Azure for partners @ Théâtre 1" in failure
    assert "not every session language 'fr'" in failure

    only = run([tiny], only="t-3", cache=FixedCache(Canned(answer(AZURE))))
    assert [o.question.id for o in only.outcomes] == ["t-3"]


def test_the_real_answerer_runs_through_the_harness() -> None:
    # Whatever it answers, the harness asks, times and checks it without falling over.
    answerer = Answerer.for_catalogue(TINY)
    for text in ("whats on after the keynote", "", "🤔", "'; DROP TABLE sessions; --"):
        outcome = ask(answerer, question({"intent": ["unknown", "help"]}, text=text), "tiny")
        assert outcome.error is None, outcome.problems
        assert outcome.seconds >= 0


def test_the_command_reports_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = tmp_path / "questions"
    directory.mkdir()
    noise = {
        "id": "n-1",
        "question": "",
        "language": "en",
        "kind": "noise",
        "now": "2016-07-11T09:30:00-04:00",
        "expect": {"intent": ["unknown", "help"], "no_sessions": True},
    }
    demo = {"root": "repo", "path": "catalogue/data/wpc2016.json"}
    (directory / "demo.json").write_text(
        json.dumps({"name": "demo", "catalogue": demo, "questions": [noise]}), encoding="utf-8"
    )
    assert accuracy.main(["--questions", str(directory), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "accuracy:" in out and "per kind:" in out and "per language:" in out
    assert "demo" in out

    gone = {"root": "shared", "path": "no/such/catalogue.xml", "timezone": "Europe/Brussels"}
    (directory / "gone.json").write_text(
        json.dumps({"name": "gone", "catalogue": gone, "questions": [{**noise, "id": "n-2"}]}),
        encoding="utf-8",
    )
    assert accuracy.main(["--questions", str(directory), "--check"]) == 1
    assert "question sets were skipped" in capsys.readouterr().out

    (directory / "broken.json").write_text("{", encoding="utf-8")
    assert accuracy.main(["--questions", str(directory)]) == 2
