"""`understand` reads a question's words once and remembers them; only the time is worked out
at each `now`. It must give exactly what reading everything every time gives."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

import catalogue.understand as u
from benchmarks.answer_speed import QUESTIONS
from catalogue.search import STOPWORDS
from catalogue.text import fold_words
from catalogue.timeparse import MAX_QUESTION, parse_time
from tests.paths import ROOT

ZONE = ZoneInfo("Europe/Paris")
NOWS = [datetime(2026, 11, 30, 8, 0, tzinfo=ZONE) + timedelta(hours=h) for h in (0, 7, 30, 200)]
MORE = (
    "what's on at half 3", "quarter to 4 tomorrow", "quarter past 10", "3h et demie",
    "14h et quart", "HALF 2", "wat's on tmrw", "anything abt AI pls", "et demain ?",
    "and tomorrow?", "and?", "help", "aide", "hello", "good morning there", "next", "now",
    "<script>alert(1)</script>", "select * from sessions where 1=1", "what about thursday",
    "who is talking about security", "what is Nintex presenting?", "sessions by deloitte",
    "where is the keynote", "in french", "workshops in the expo hall", "while the keynote",
    "en même temps que la plénière", "la suite", "b4 lunch", "anything on rust in room 101",
)  # fmt: skip


def plain_spoken_times(text: str) -> str:
    text = u._HALF_PAST.sub(r"\1:30", text)
    text = u._QUARTER_PAST.sub(r"\1:15", text)
    text = u._QUARTER_TO.sub(lambda m: f"{(int(m.group(1)) - 1) % 24}:45", text)
    text = u._ET_DEMIE.sub(r"\1h30", text)
    return u._ET_QUART.sub(r"\1h15", text)


def plain_understand(question: str, now: datetime, zone: ZoneInfo) -> u.Question:
    """`understand` as first written: every step, every time."""
    text = question[:MAX_QUESTION]
    if u._CODE.search(text) or len(u._SQL.findall(fold_words(text))) >= 2:
        return u.Question(text, parse_time("", now, zone), noise=True)
    text = u._spelled_out(text)
    folded = fold_words(text)
    time = parse_time(plain_spoken_times(u._AS_RELATIONS.sub(u._relation_word, text)), now, zone)
    if u._HELP.search(folded):
        return u.Question(text, time, help=True)
    if u._GREETING.fullmatch(folded):
        return u.Question(text, time, greeting=True)
    rest = fold_words(time.rest)
    is_now = time.is_now or (time.window is None and bool(u._NOW.search(rest)))
    is_next = time.is_next or (time.window is None and bool(u._NEXT.search(rest)))
    rest = u._NEXT.sub(" ", u._NOW.sub(" ", rest))
    follow_up = bool(u._FOLLOW_UP.match(rest)) or (
        not rest and u._FOLLOW_UP.match(folded) is not None
    )
    form, rest, presenter = u._form(rest)
    language, rest = u._language(rest)
    room_text, rest = u._room(rest)
    kind, rest = u._kind(rest)
    topic = " ".join(
        w for w in rest.split() if len(w) > 1 and w not in STOPWORDS and w not in u.FILLERS
    )
    found = u.Question(
        text, time, form, topic, kind, language, room_text, presenter, is_now, is_next,
        follow_up=follow_up,
    )  # fmt: skip
    if found.has_subject or form is not u.Form.WHATS_ON:
        return replace(found, follow_up=False)
    return found


def questions() -> list[str]:
    found = dict.fromkeys((*QUESTIONS, *MORE))
    for path in sorted((ROOT / "benchmarks" / "questions").glob("*.json")):
        found.update(
            dict.fromkeys(q["question"] for q in json.loads(path.read_text())["questions"])
        )
    return list(found)


def test_understands_real_questions_as_the_plain_reading_does() -> None:
    asked = questions()
    assert len(asked) > 300
    for now in NOWS:
        for question in asked:
            assert understand_twice(question, now) == plain_understand(question, now, ZONE)


def understand_twice(question: str, now: datetime) -> u.Question:
    first = u.understand(question, now, ZONE)
    assert u.understand(question, now, ZONE) == first  # the second from the caches
    return first


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["half", "past", "quarter", "to", "et", "demie", "quart", "h", "heures", "3", "12",
             "٣", "HALF", "Quarter", "at", "tomorrow", "keynote", "and", "what's", "on", " "]
        ),
        max_size=8,
    ).map(" ".join)
)  # fmt: skip
def test_spoken_times_only_skip_text_without_digits(text: str) -> None:
    assert u._spoken_times(text) == plain_spoken_times(text)
    assert understand_twice(text, NOWS[1]) == plain_understand(text, NOWS[1], ZONE)
