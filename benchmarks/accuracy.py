"""Benchmark: does Hallway answer attendees' questions right?

    python -m benchmarks.accuracy [--verbose] [--check] [--only PATTERN]

Each file of `benchmarks/questions/*.json` holds the questions about one catalogue, written the
way attendees type them on a phone (typos, no capitals, English and French), each with a "now"
and machine-checkable expectations. This loads every catalogue once, builds one
`catalogue.ask.Answerer` per catalogue, asks every question, checks the answer and reports the
accuracy overall, per kind of question, per language and per catalogue, plus p50/p99 of the
time `answer()` took per catalogue (informational; the speed targets have their own benchmark).

A question file:

    {
      "name": "wpc2016",
      "catalogue": {"root": "repo", "path": "catalogue/data/wpc2016.json"},
      "questions": [
        {"id": "wpc-001", "question": "whats on after the keynote", "language": "en",
         "kind": "after_anchor", "now": "2016-07-11T09:30:00-04:00",
         "expect": {"anchor": "wpc16-k1", "all_start_at_or_after": "2016-07-11T10:30:00-04:00"}}
      ]
    }

`catalogue.root` is `repo` (relative to this repository) or `shared` (relative to the shared
catalogues: `$HALLWAY_SHARED`, the shared directory or its `catalogues` subdirectory, else
`<repo>/../shared/catalogues`); `catalogue.timezone` is the zone for sources that state none.
A question may add `"locale": "fr-FR"` (passed on to `answer()` if it takes a `locale`) and
`"repeat": N` (the question text repeated N times, for long noise) and `"note"` (free text for
whoever reads the file).

Expectations (all must hold; "shown" is the answer's first page, `Answer.sessions`):

- `top_k_contains`: `{"k": 3, "ids": [...]}` every id among the first k sessions (of the page,
  then `Answer.rest` if k is larger than the page), and/or `"any_of": [...]` at least one.
- `all_within`: `{"start": iso, "end": iso}` every shown session starts in [start, end).
- `all_overlap`: `{"start": iso, "end": iso}` every shown session runs at some time in
  [start, end) (starts before end, ends after start; an item with no duration counts at its
  start): "what's on now", "at 3pm".
- `all_start_at_or_after`: iso.
- `all_in_room`: every shown session's room contains this text (case and accents ignored).
- `all_have_speaker`: every shown session has a speaker whose name contains this text.
- `all_kind`: a kind or a list of kinds every shown session is one of.
- `all_language`: every shown session is in this language.
- `anchor`: the id (or list of acceptable ids) of the session "after/before/during X" meant.
- `no_sessions`: true: nothing is offered as an answer: no sessions, or only alternatives
  flagged `Answer.fallback` ("nothing in 2031; the nearest is...").
- `intent`: an intent or a list of acceptable intents (e.g. `["unknown", "help"]` for noise).

Every `all_*` expectation also needs at least one session shown that is not a fallback: an
empty answer to "what's in Janson this afternoon?" is not a right one.

An exception from `answer()` is a failure, printed and counted, never a crash of the run.

Exit status: 0, or 1 with `--check` when the overall accuracy is under 95% or a question set
could not be run (its catalogue missing or unreadable); 2 when a question file is malformed.
"""

from __future__ import annotations

import argparse
import fnmatch
import inspect
import json
import math
import os
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogue.ask import Answer, Answerer
from catalogue.importers import CatalogueError, ImportOptions, load
from catalogue.model import Catalogue, Kind, Session
from catalogue.text import fold

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = Path(__file__).resolve().parent / "questions"
PASS_MARK = 0.95

KINDS = (
    "now",
    "next",
    "after_anchor",
    "before_anchor",
    "during_anchor",
    "at_time",
    "part_of_day",
    "day",
    "topic",
    "speaker",
    "company",
    "room_or_place",
    "kind_of_session",
    "language",
    "when_is",
    "where_is",
    "combination",
    "out_of_range",
    "noise",
)
LANGUAGES = ("en", "fr")
EXPECTATIONS = frozenset(
    {
        "top_k_contains",
        "all_within",
        "all_overlap",
        "all_start_at_or_after",
        "all_in_room",
        "all_have_speaker",
        "all_kind",
        "all_language",
        "anchor",
        "no_sessions",
        "intent",
    }
)
QUESTION_FIELDS = frozenset(
    {"id", "question", "language", "kind", "now", "expect", "locale", "repeat", "note"}
)
ROOTS = ("repo", "shared")


class QuestionFileError(ValueError):
    """A question file that is not what this benchmark expects, with where and why."""


def shared_catalogues() -> Path:
    """`$HALLWAY_SHARED` (the shared directory or its `catalogues` subdirectory), else
    `<repo>/../shared/catalogues`."""
    override = os.environ.get("HALLWAY_SHARED")
    base = Path(override) if override else ROOT.parent / "shared"
    return base / "catalogues" if (base / "catalogues").is_dir() else base


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    language: str
    kind: str
    now: datetime
    expect: Mapping[str, Any]
    locale: str = ""


@dataclass(frozen=True, slots=True)
class QuestionSet:
    name: str
    path: Path
    catalogue: Path
    timezone: str | None
    questions: tuple[Question, ...]


def load_question_set(path: Path, *, shared: Path | None = None) -> QuestionSet:
    """Read and validate one question file; raise `QuestionFileError` naming what is wrong."""
    where = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise QuestionFileError(f"{where}: {error}") from error
    if not isinstance(document, dict):
        raise QuestionFileError(f"{where}: expected a JSON object")
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise QuestionFileError(f"{where}: 'name' must be a non-empty string")
    source = document.get("catalogue")
    if not isinstance(source, dict):
        raise QuestionFileError(f"{where}: 'catalogue' must be an object with root and path")
    root, relative, zone = source.get("root"), source.get("path"), source.get("timezone")
    if root not in ROOTS or not isinstance(relative, str) or not relative:
        raise QuestionFileError(f"{where}: catalogue needs root ('repo' or 'shared') and path")
    if zone is not None:
        if not isinstance(zone, str):
            raise QuestionFileError(f"{where}: catalogue.timezone must be a string")
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise QuestionFileError(f"{where}: unknown time zone {zone!r}") from error
    base = ROOT if root == "repo" else (shared or shared_catalogues())
    raw_questions = document.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise QuestionFileError(f"{where}: 'questions' must be a non-empty list")
    questions: list[Question] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_questions, 1):
        question = _question(raw, f"{where}: question #{position}")
        if question.id in seen:
            raise QuestionFileError(f"{where}: question id {question.id!r} is used twice")
        seen.add(question.id)
        questions.append(question)
    return QuestionSet(name, path, base / relative, zone, tuple(questions))


def _question(raw: Any, where: str) -> Question:
    if not isinstance(raw, dict):
        raise QuestionFileError(f"{where}: expected an object")
    identifier = raw.get("id")
    if not isinstance(identifier, str) or not identifier:
        raise QuestionFileError(f"{where}: 'id' must be a non-empty string")
    where = f"{where} ({identifier})"
    unknown = set(raw) - QUESTION_FIELDS
    if unknown:
        raise QuestionFileError(f"{where}: unknown fields {sorted(unknown)}")
    text = raw.get("question")
    if not isinstance(text, str):
        raise QuestionFileError(f"{where}: 'question' must be a string")
    repeat = raw.get("repeat", 1)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise QuestionFileError(f"{where}: 'repeat' must be a positive integer")
    if raw.get("language") not in LANGUAGES:
        raise QuestionFileError(f"{where}: 'language' must be one of {LANGUAGES}")
    if raw.get("kind") not in KINDS:
        raise QuestionFileError(f"{where}: 'kind' {raw.get('kind')!r} is not one of {KINDS}")
    locale = raw.get("locale", "")
    if not isinstance(locale, str):
        raise QuestionFileError(f"{where}: 'locale' must be a string")
    now = _moment(raw.get("now"), f"{where}: now")
    expect = raw.get("expect")
    if not isinstance(expect, dict) or not expect:
        raise QuestionFileError(f"{where}: 'expect' must be a non-empty object")
    _validate_expect(expect, where)
    return Question(identifier, text * repeat, raw["language"], raw["kind"], now, expect, locale)


def _moment(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise QuestionFileError(f"{where}: expected an ISO date-time string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise QuestionFileError(f"{where}: {value!r} is not an ISO date-time") from error
    if moment.utcoffset() is None:
        raise QuestionFileError(f"{where}: {value!r} has no UTC offset")
    return moment


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _validate_expect(expect: Mapping[str, Any], where: str) -> None:
    unknown = set(expect) - EXPECTATIONS
    if unknown:
        raise QuestionFileError(f"{where}: unknown expectations {sorted(unknown)}")
    for key, value in expect.items():
        at = f"{where}: expect.{key}"
        if key == "top_k_contains":
            if not isinstance(value, dict) or set(value) - {"k", "ids", "any_of"}:
                raise QuestionFileError(f"{at}: expected {{k, ids and/or any_of}}")
            k = value.get("k")
            if not isinstance(k, int) or isinstance(k, bool) or k < 1:
                raise QuestionFileError(f"{at}: k must be a positive integer")
            if "ids" not in value and "any_of" not in value:
                raise QuestionFileError(f"{at}: needs ids or any_of")
            for part in ("ids", "any_of"):
                if part in value and not _strings(value[part]):
                    raise QuestionFileError(f"{at}.{part}: expected a non-empty list of ids")
            if "ids" in value and len(value["ids"]) > k:
                raise QuestionFileError(f"{at}: {len(value['ids'])} ids cannot all be in top {k}")
        elif key in ("all_within", "all_overlap"):
            if not isinstance(value, dict) or set(value) != {"start", "end"}:
                raise QuestionFileError(f"{at}: expected {{start, end}}")
            start, end = _moment(value["start"], at), _moment(value["end"], at)
            if end <= start:
                raise QuestionFileError(f"{at}: end is not after start")
        elif key == "all_start_at_or_after":
            _moment(value, at)
        elif key in ("all_in_room", "all_have_speaker", "all_language"):
            if not isinstance(value, str) or not value:
                raise QuestionFileError(f"{at}: expected a non-empty string")
        elif key == "all_kind":
            kinds = [value] if isinstance(value, str) else value
            if not _strings(kinds) or not set(kinds) <= {k.value for k in Kind}:
                raise QuestionFileError(f"{at}: expected a kind or kinds of {[*Kind]}")
        elif key in ("anchor", "intent"):
            if not (isinstance(value, str) and value) and not _strings(value):
                raise QuestionFileError(f"{at}: expected a string or a list of strings")
        elif key == "no_sessions" and value is not True:
            raise QuestionFileError(f"{at}: only true makes sense")


def question_files(directory: Path = QUESTIONS) -> list[Path]:
    return sorted(directory.glob("*.json"))


# -- checking ----------------------------------------------------------------------------------


def _one_or_many(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _describe(session: Session) -> str:
    return f"{session.id} {session.title!r}"


def _overlaps(session: Session, start: datetime, end: datetime) -> bool:
    if session.start == session.end:
        return start <= session.start < end
    return session.start < end and session.end > start


def session_properties(expect: Mapping[str, Any]) -> list[tuple[str, Callable[[Session], bool]]]:
    """The `all_*` expectations as (description, predicate) pairs: what every shown session must
    satisfy. Also used to validate question files (the ids a question expects must satisfy its
    own `all_*` expectations)."""
    found: list[tuple[str, Callable[[Session], bool]]] = []
    if "all_within" in expect:
        lo = datetime.fromisoformat(expect["all_within"]["start"])
        hi = datetime.fromisoformat(expect["all_within"]["end"])
        found.append((f"starts in [{lo}, {hi})", lambda s: lo <= s.start < hi))
    if "all_overlap" in expect:
        a = datetime.fromisoformat(expect["all_overlap"]["start"])
        b = datetime.fromisoformat(expect["all_overlap"]["end"])
        found.append((f"runs during [{a}, {b})", lambda s: _overlaps(s, a, b)))
    if "all_start_at_or_after" in expect:
        after = datetime.fromisoformat(expect["all_start_at_or_after"])
        found.append((f"starts at or after {after}", lambda s: s.start >= after))
    if "all_in_room" in expect:
        room = fold(expect["all_in_room"])
        found.append((f"room contains {room!r}", lambda s: room in fold(s.room)))
    if "all_have_speaker" in expect:
        name = fold(expect["all_have_speaker"])
        found.append(
            (f"a speaker named {name!r}", lambda s: any(name in fold(p.name) for p in s.speakers))
        )
    if "all_kind" in expect:
        kinds = set(_one_or_many(expect["all_kind"]))
        found.append((f"kind in {sorted(kinds)}", lambda s: s.kind.value in kinds))
    if "all_language" in expect:
        language = fold(expect["all_language"])
        found.append((f"language {language!r}", lambda s: fold(s.language) == language))
    return found


def check(expect: Mapping[str, Any], answer: Answer) -> list[str]:
    """Why `answer` does not meet `expect`; an empty list when it does."""
    problems: list[str] = []
    shown = list(answer.sessions)
    ranked = shown + list(answer.rest)
    if "intent" in expect:
        accepted = _one_or_many(expect["intent"])
        if str(answer.intent.value) not in accepted:
            problems.append(f"intent {answer.intent.value!r}, expected one of {accepted}")
    if expect.get("no_sessions") and shown and not answer.fallback:
        problems.append(f"{len(shown)} sessions offered as an answer, expected none")
    if "anchor" in expect:
        accepted = _one_or_many(expect["anchor"])
        got = answer.anchor.id if answer.anchor else None
        if got not in accepted:
            what = _describe(answer.anchor) if answer.anchor else "none"
            problems.append(f"anchor {what}, expected one of {accepted}")
    if "top_k_contains" in expect:
        spec = expect["top_k_contains"]
        k = spec["k"]
        top = {s.id for s in ranked[:k]}
        missing = [i for i in spec.get("ids", ()) if i not in top]
        if missing:
            problems.append(f"not in the top {k}: {missing}")
        any_of = spec.get("any_of")
        if any_of and not top & set(any_of):
            problems.append(f"none of {any_of} in the top {k}")
        if (missing or (any_of and not top & set(any_of))) and answer.fallback and shown:
            problems.append("(the sessions shown are flagged as fallback alternatives)")
    properties = session_properties(expect)
    if properties:
        if not shown:
            problems.append("no sessions shown")
        elif answer.fallback:
            problems.append("only fallback alternatives shown")
        for description, holds in properties:
            wrong = [s for s in shown if not holds(s)]
            if wrong:
                listed = ", ".join(_describe(s) for s in wrong[:4])
                more = f" and {len(wrong) - 4} more" if len(wrong) > 4 else ""
                problems.append(f"not every session {description}: {listed}{more}")
    return problems


# -- running -----------------------------------------------------------------------------------


class AnswersQuestions(Protocol):
    def answer(self, question: str, now: datetime) -> Answer: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    question: Question
    catalogue: str
    problems: tuple[str, ...]
    answer: Answer | None
    error: str | None
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.problems and self.error is None


def _takes_locale(answerer: AnswersQuestions) -> bool:
    try:
        parameters = inspect.signature(answerer.answer).parameters
    except (TypeError, ValueError):
        return False
    return "locale" in parameters


def ask(answerer: AnswersQuestions, question: Question, catalogue: str) -> Outcome:
    """Ask one question and check the answer; an exception is a failed outcome, not a crash."""
    call: Callable[[], Answer]
    if question.locale and _takes_locale(answerer):
        answer_with_locale: Callable[..., Answer] = answerer.answer

        def call() -> Answer:
            return answer_with_locale(question.text, question.now, locale=question.locale)
    else:

        def call() -> Answer:
            return answerer.answer(question.text, question.now)

    started = time.perf_counter()
    try:
        answer = call()
    except Exception as error:  # a crash on a question is a wrong answer, not the end of the run
        seconds = time.perf_counter() - started
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return Outcome(question, catalogue, (f"raised {detail}",), None, detail, seconds)
    seconds = time.perf_counter() - started
    try:
        problems = tuple(check(question.expect, answer))
    except Exception as error:  # e.g. an answer of the wrong shape
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return Outcome(question, catalogue, (f"could not check: {detail}",), answer, None, seconds)
    return Outcome(question, catalogue, problems, answer, None, seconds)


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds_by_catalogue: dict[str, list[float]] = field(default_factory=dict)
    zones: dict[str, ZoneInfo] = field(default_factory=dict)


class CatalogueCache:
    """Each catalogue file loaded once and one Answerer built per catalogue."""

    def __init__(self) -> None:
        self._answerers: dict[tuple[Path, str | None], tuple[Catalogue, AnswersQuestions]] = {}

    def get(self, path: Path, timezone: str | None) -> tuple[Catalogue, AnswersQuestions]:
        key = (path.resolve(), timezone)
        if key not in self._answerers:
            options = ImportOptions(timezone=ZoneInfo(timezone) if timezone else None)
            catalogue = load(path, options=options)
            self._answerers[key] = (catalogue, Answerer.for_catalogue(catalogue))
        return self._answerers[key]


def run(
    sets: Iterable[QuestionSet],
    *,
    only: str | None = None,
    cache: CatalogueCache | None = None,
) -> Run:
    cache = cache or CatalogueCache()
    result = Run()
    for question_set in sets:
        chosen = [q for q in question_set.questions if only is None or fnmatch.fnmatch(q.id, only)]
        if not chosen:
            continue
        if not question_set.catalogue.is_file():
            result.skipped.append(
                f"{question_set.name}: catalogue {question_set.catalogue} not found "
                "(set HALLWAY_SHARED)"
            )
            continue
        try:
            catalogue, answerer = cache.get(question_set.catalogue, question_set.timezone)
        except CatalogueError as error:
            result.skipped.append(f"{question_set.name}: {error}")
            continue
        except Exception as error:  # an importer bug must not stop the other sets
            result.skipped.append(f"{question_set.name}: loading raised {error!r}")
            continue
        result.zones[question_set.name] = catalogue.timezone
        times = result.seconds_by_catalogue.setdefault(question_set.name, [])
        for question in chosen:
            outcome = ask(answerer, question, question_set.name)
            result.outcomes.append(outcome)
            times.append(outcome.seconds)
    return result


# -- reporting ---------------------------------------------------------------------------------


def accuracy(outcomes: Sequence[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0


def _by(outcomes: Sequence[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(key(outcome), []).append(outcome)
    return groups


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (`share` in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(len(ordered) * share)))
    return ordered[rank - 1]


def _line(label: str, outcomes: Sequence[Outcome], width: int) -> str:
    right = sum(o.passed for o in outcomes)
    return f"  {label:<{width}} {accuracy(outcomes):6.1%}  {right:>3}/{len(outcomes):<3}"


def report(result: Run) -> list[str]:
    """The summary lines: overall, per kind, per language, per catalogue, timings."""
    outcomes = result.outcomes
    lines: list[str] = []
    right = sum(o.passed for o in outcomes)
    lines.append(
        f"accuracy: {accuracy(outcomes):.1%} ({right}/{len(outcomes)} questions right; "
        f"target {PASS_MARK:.0%})"
    )
    crashed = [o for o in outcomes if o.error is not None]
    if crashed:
        lines.append(f"exceptions: {len(crashed)} (counted as wrong)")
    for title, key, order in (
        ("per kind", lambda o: o.question.kind, KINDS),
        ("per language", lambda o: o.question.language, LANGUAGES),
        ("per catalogue", lambda o: o.catalogue, None),
    ):
        groups = _by(outcomes, key)
        names = [n for n in order if n in groups] if order else sorted(groups)
        width = max((len(n) for n in names), default=8)
        lines.append(f"{title}:")
        lines.extend(_line(name, groups[name], width) for name in names)
    if result.seconds_by_catalogue:
        lines.append("answer() time per catalogue (informational):")
        width = max(len(n) for n in result.seconds_by_catalogue)
        for name, seconds in result.seconds_by_catalogue.items():
            if seconds:
                lines.append(
                    f"  {name:<{width}} p50 {statistics.median(seconds) * 1000:7.2f} ms  "
                    f"p99 {percentile(seconds, 0.99) * 1000:7.2f} ms  "
                    f"max {max(seconds) * 1000:7.2f} ms  ({len(seconds)} calls)"
                )
    for reason in result.skipped:
        lines.append(f"skipped: {reason}")
    return lines


def _shown(session: Session, zone: ZoneInfo | None) -> str:
    start = session.start.astimezone(zone) if zone else session.start
    end = session.end.astimezone(zone) if zone else session.end
    room = f" @ {session.room}" if session.room else ""
    return (
        f"{start:%a %d %b %H:%M}-{end:%H:%M} [{session.kind.value}] {session.id}: "
        f"{session.title}{room}"
    )


def failure_report(outcome: Outcome, zone: ZoneInfo | None = None) -> list[str]:
    """A failed question, what was expected and what came back, for `--verbose`."""
    q = outcome.question
    now = q.now.astimezone(zone) if zone else q.now
    text = q.text if len(q.text) <= 120 else f"{q.text[:117]}... ({len(q.text)} chars)"
    lines = [
        f"FAIL {q.id} [{outcome.catalogue} / {q.kind} / {q.language}] "
        f"now {now:%a %Y-%m-%d %H:%M %z}",
        f"  question: {text!r}" + (f" (locale {q.locale})" if q.locale else ""),
        f"  expected: {json.dumps(q.expect, ensure_ascii=False)}",
    ]
    lines.extend(f"  problem:  {problem}" for problem in outcome.problems)
    answer = outcome.answer
    if answer is not None:
        anchor = _describe(answer.anchor) if answer.anchor else "-"
        lines.append(
            f"  got:      intent {answer.intent.value}, {len(answer.sessions)} shown of "
            f"{answer.total}, anchor {anchor}, fallback {answer.fallback}"
        )
        lines.extend(f"            {_shown(s, zone)}" for s in answer.sessions)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 under {PASS_MARK * 100:.0f}%% overall"
    )
    parser.add_argument("--only", metavar="PATTERN", help="question ids to run, e.g. 'wpc-*'")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)

    try:
        sets = [load_question_set(path) for path in question_files(arguments.questions)]
    except QuestionFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not sets:
        print(f"error: no question files in {arguments.questions}", file=sys.stderr)
        return 2
    cache = CatalogueCache()
    result = run(sets, only=arguments.only, cache=cache)
    if arguments.verbose:
        for outcome in result.outcomes:
            if not outcome.passed:
                print("\n".join(failure_report(outcome, result.zones.get(outcome.catalogue))))
                print()
    print("\n".join(report(result)))
    if arguments.check:
        if result.skipped:
            print("check: FAILED (question sets were skipped)")
            return 1
        if not result.outcomes or accuracy(result.outcomes) < PASS_MARK:
            print(f"check: FAILED (under {PASS_MARK:.0%})")
            return 1
        print("check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
