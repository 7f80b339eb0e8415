"""Question -> answer, as a pure function of (question, catalogue, now).

`understand` says what the question asks; this module looks it up: it places the question in
time (now, next, a window, after/before/during a session), narrows by kind, language, room and
presenter, ranks by topic, and says what it understood so the bot can lead with it. Turning an
`Answer` into words and cards, in the attendee's language, is the bot's job.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from operator import attrgetter

from rapidfuzz import fuzz, process

from catalogue.model import Catalogue, Kind, Session
from catalogue.search import STOPWORDS, Match, SearchIndex
from catalogue.text import fold, fold_words
from catalogue.timeparse import TimeWindow, parse_time
from catalogue.understand import FILLERS, Form, Question, merged, understand

PAGE_SIZE = 8
MAX_MATCHES = 200
NEXT_WINDOW = timedelta(minutes=30)
LONG_SESSION = timedelta(hours=2, minutes=30)
"""Longer sessions (booths, all-day workshops) are few; they are checked one by one."""
AT_TIME_SLACK = timedelta(minutes=15)
CLEAR_LEAD = 8.0
TIE = 0.5
RELEVANT_SPREAD = 25.0
SCORE_BAND = 20.0
ROOM_SIMILARITY = 85.0

# Items that run all day would crowd every "what's on" answer; they are found when asked for.
_BACKGROUND_KINDS = frozenset({Kind.BOOTH})
_PLENARY_KINDS = frozenset({Kind.KEYNOTE, Kind.CEREMONY, Kind.SOCIAL})
_MEAL_WORDS = frozenset({"lunch", "dejeuner", "breakfast", "petit dejeuner", "dinner", "diner"})
_BREAK_WORDS = frozenset({"break", "pause", "coffee", "coffee break", "pause cafe"})
_KEYNOTE_WORDS = frozenset(
    {"keynote", "keynotes", "keynot", "pleniere", "plenary", "opening keynote", "the keynote"}
)


class Intent(StrEnum):
    HELP = "help"
    GREETING = "greeting"
    NOW = "now"
    NEXT = "next"
    AFTER = "after"
    BEFORE = "before"
    DURING = "during"
    WINDOW = "window"
    SEARCH = "search"
    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    PRESENTING = "presenting"
    CHOOSE = "choose"
    """Two sessions fit "after X" equally well: the attendee picks one."""
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the attendee asked, what was understood, and the sessions that answer it."""

    intent: Intent
    sessions: tuple[Session, ...] = ()
    total: int = 0
    anchor: Session | None = None
    topic: str = ""
    fallback: bool = False
    """True when `sessions` are the nearest alternatives rather than what was asked for."""
    rest: tuple[Session, ...] = ()
    """The matches after the first page, for "more"."""
    window: TimeWindow | None = None
    kind: Kind | None = None
    language: str | None = None
    room: str = ""
    presenter: str = ""
    out_of_range: bool = False
    """The question is about a time when the conference is not on."""
    relation: str | None = None
    """With CHOOSE: "after", "before" or "during" the session the attendee will pick."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The sessions a phrase like "the SMB one" may mean, best first."""

    candidates: tuple[Session, ...]
    clear: bool
    """True when one candidate stands out, so acting on it needs no question back."""


@dataclass(frozen=True)
class Answerer:
    """Answers questions about one catalogue version; build once per version."""

    catalogue: Catalogue
    index: SearchIndex
    _starts: list[datetime] = field(repr=False)
    _rooms: dict[str, str] = field(repr=False)
    _days: dict[str, date] = field(repr=False)
    _long: tuple[Session, ...] = field(repr=False)
    _longest_short: timedelta = field(repr=False)
    _span: tuple[date, date] | None = field(repr=False)
    """The first and last local days of the conference; None without sessions."""
    _ranks: dict[str, int] = field(repr=False)
    """By session id: the place in (start, title) order, for `_unique`."""
    _spaced_rooms: tuple[tuple[str, str], ...] = field(repr=False)
    """`_rooms` as (" " + folded name, name): a prefix of a word of the name is then a
    substring search, in `_room`."""

    @classmethod
    def for_catalogue(cls, catalogue: Catalogue) -> Answerer:
        sessions = catalogue.sessions
        long_ones = tuple(s for s in sessions if s.end - s.start > LONG_SESSION)
        longest_short = max(
            (s.end - s.start for s in sessions if s.end - s.start <= LONG_SESSION),
            default=timedelta(0),
        )
        rooms = {fold(room): room for room in catalogue.rooms}
        return cls(
            catalogue,
            SearchIndex(catalogue),
            _starts=[s.start for s in sessions],
            _rooms=rooms,
            _days={s.id: catalogue.local(s.start).date() for s in sessions},
            _long=long_ones,
            _longest_short=longest_short,
            _span=_span(catalogue),
            _ranks=_start_title_ranks(sessions),
            _spaced_rooms=tuple((f" {key}", room) for key, room in rooms.items()),
        )

    # --- questions -------------------------------------------------------------------------

    def answer(self, question: str, now: datetime, previous: str | None = None) -> Answer:
        asked = understand(question, now, self.catalogue.timezone)
        if asked.noise:
            return Answer(Intent.UNKNOWN)
        if asked.help:
            return Answer(Intent.HELP)
        if asked.greeting:
            return Answer(Intent.GREETING)
        if asked.follow_up and previous:
            before = understand(previous, now, self.catalogue.timezone)
            if before.has_subject or before.form is not Form.WHATS_ON:
                asked = merged(before, asked)
        room = self._room(asked.room_text) if asked.room_text else ""
        topic = asked.topic
        if asked.room_text and not room:
            topic = f"{topic} {asked.room_text}".strip()  # "in the cloud": a topic after all
        elif room:
            topic = " ".join(w for w in topic.split() if w not in fold(room).split())
        asked_for = _Ask(asked, topic, room)
        if asked.form in (Form.WHEN, Form.WHERE) and (topic or asked.kind):
            return self._locate(asked_for, now)
        if asked.form is Form.PRESENTING and asked.presenter:
            return self._presenting(asked_for, now)
        return self._whats_on(asked_for, now)

    def find(self, target: str, now: datetime, among: frozenset[str] | None = None) -> Resolution:
        """The sessions `target` names ("the SMB one"), optionally only among the ids `among`."""
        text = fold_words(target)

        def allowed(session: Session) -> bool:
            return among is None or session.id in among

        if text in _KEYNOTE_WORDS:
            keynote = self._keynote_that_matters(now, None)
            if keynote is not None and allowed(keynote):
                return Resolution((keynote,), clear=True)
            keynotes = tuple(k for k in self.catalogue.keynotes if allowed(k))
            return Resolution(keynotes, clear=len(keynotes) == 1)
        matches = self.index.search(text)
        if among is not None:
            matches = [m for m in matches if m.session.id in among]
        if not matches:
            return Resolution((), clear=False)
        best = matches[0].score
        close = [m for m in matches if m.score > best - CLEAR_LEAD]
        if len(close) > 1:
            # Among equally good matches, the ones still to come are what people mean.
            upcoming = [m for m in close if m.session.end > now]
            close = upcoming or close
        candidates = tuple(m.session for m in (close if len(close) > 1 else matches))
        return Resolution(candidates[:PAGE_SIZE], clear=len(close) == 1)

    def relative_to(self, anchor: Session, relation: str, now: datetime) -> Answer:
        """What is on after, before or during `anchor` (a choice made among rivals)."""
        if relation == "during":
            return self.during(anchor)
        found = [s for s in self._around(anchor, relation, now) if s.kind not in _BACKGROUND_KINDS]
        return _page(Intent(relation), found, anchor=anchor, fallback=not found)

    def during(self, anchor: Session) -> Answer:
        """What else is on while `anchor` runs (the "what else is on then?" button)."""
        overlapping = [
            s
            for s in self._overlapping(anchor.start, anchor.end)
            if s.id != anchor.id and s.kind not in _BACKGROUND_KINDS
        ]
        return _page(Intent.DURING, overlapping, anchor=anchor)

    # --- what's on --------------------------------------------------------------------------

    def _whats_on(self, ask: _Ask, now: datetime) -> Answer:
        asked = ask.question
        time = asked.time
        if time.window is not None and not self._during_conference(time.window):
            return Answer(Intent.WINDOW, window=time.window, out_of_range=True, topic=ask.topic)
        anchor: Session | None = None
        if time.relation and time.anchor_text:
            anchor = self._anchor(time.anchor_text, time.window, now) or self._anchor(
                _after_relation_word(asked.text), time.window, now
            )
            if anchor is None:
                return Answer(Intent.AFTER, topic=time.anchor_text, fallback=True)
            rivals = self._rivals(anchor, time.anchor_text, now)
            if rivals:
                return Answer(
                    Intent.CHOOSE,
                    sessions=(anchor, *rivals)[:PAGE_SIZE],
                    total=min(len(rivals) + 1, PAGE_SIZE),
                    topic=time.anchor_text,
                    relation=time.relation,
                )
            intent = Intent(time.relation)
            candidates = self._around(anchor, time.relation, now)
        elif (
            time.relation
            and time.window is not None
            and (anchor := self._anchor_named_like_a_time(asked, now))
        ):
            intent = Intent(time.relation)
            candidates = self._around(anchor, time.relation, now)
        elif time.relation and time.window is not None:
            intent = Intent(time.relation)
            candidates = self._around_window(time.window, time.relation)
        elif time.window is not None:
            intent = Intent.WINDOW
            candidates = self._in_window(time.window, now)
        elif asked.is_now:
            intent = Intent.NOW
            candidates = self._overlapping(now, now + timedelta(seconds=1))
        elif asked.is_next:
            intent = Intent.NEXT
            candidates = (
                self._starting(now + timedelta(seconds=1))
                if ask.topic
                else self._next_slot(now, ask)
            )
        elif ask.has_subject:
            intent = Intent.SEARCH
            candidates = list(self.catalogue.sessions)
        else:
            return Answer(Intent.UNKNOWN)

        timed = intent not in (Intent.SEARCH,)
        background_ok = not timed or bool(ask.subject_words)
        bands: dict[str, int] = {}
        if ask.topic:
            ranked = self._rank(candidates, ask, background_ok)
            if not ranked and asked.form is Form.WHATS_ON and not timed and not ask.constraints:
                return Answer(Intent.UNKNOWN, topic=ask.topic)
            chosen = [m.session for m in ranked]
            if ranked:  # how far below the best match, in steps of SCORE_BAND
                bands = {
                    m.session.id: int((ranked[0].score - m.score) // SCORE_BAND) for m in ranked
                }
        else:
            chosen = self._narrow(candidates, ask, background_ok)
        if intent is Intent.SEARCH:
            upcoming = [s for s in chosen if s.end > now]
            chosen = upcoming or chosen
        elif intent is Intent.NEXT:
            chosen = _first_slot(chosen)
        if asked.form is Form.WHO:
            intent = Intent.WHO
        if intent is Intent.SEARCH and ask.topic:
            # Without a time, the best matches first, in time order within each band.
            ordered = sorted(chosen, key=lambda s: (bands[s.id], s.start))
        elif intent is Intent.WINDOW and _whole_day(time.window):
            # A day's programme leads with its keynotes, then runs in time order.
            ordered = sorted(chosen, key=lambda s: (not s.is_keynote, s.start))
        elif ask.topic:
            ordered = sorted(chosen, key=_START)
        else:
            ordered = list(chosen)  # taken from the catalogue in start order already
        if intent is Intent.NOW:
            ordered = sorted(ordered, key=lambda s: (not s.is_keynote, s.start))
        if not ordered:
            return self._nothing(intent, ask, now, anchor)
        return _page(intent, ordered, anchor=anchor, ask=ask)

    def _nothing(self, intent: Intent, ask: _Ask, now: datetime, anchor: Session | None) -> Answer:
        """Nothing fits: say so, with the nearest alternatives (the topic at other times, else
        the next slot)."""
        alternatives: list[Session] = []
        if ask.topic:
            ranked = self._rank(self.catalogue.sessions, ask, background_ok=True)
            alternatives = sorted(
                (m.session for m in ranked), key=lambda s: (s.end <= now, s.start)
            )
        elif intent in (Intent.NOW, Intent.WINDOW, Intent.NEXT) or ask.constraints:
            alternatives = self._next_slot(now, ask)
        return _page(intent, alternatives, anchor=anchor, ask=ask, fallback=True)

    def _locate(self, ask: _Ask, now: datetime) -> Answer:
        """When or where is X: the sessions X names, best first."""
        asked = ask.question
        intent = Intent.WHEN if asked.form is Form.WHEN else Intent.WHERE
        if ask.topic:
            found = self.find(ask.topic, now)
            # Of equally good matches, the one for everyone (keynote, ceremony, party) first.
            sessions = sorted(found.candidates, key=lambda s: s.kind not in _PLENARY_KINDS)
            if asked.kind is not None:
                sessions = [s for s in sessions if s.kind is asked.kind] or sessions
        else:
            sessions = self._of_kind(asked.kind, now, asked.time.window)
        if not sessions:
            return Answer(intent, topic=ask.topic, kind=asked.kind, fallback=True)
        return _page(intent, sessions, ask=ask)

    def _presenting(self, ask: _Ask, now: datetime) -> Answer:
        """What a company or a person presents: by speaker, company, or name in the title."""
        who = ask.question.presenter
        sessions = self.index.presented_by(who)
        if not sessions:
            sessions = [m.session for m in self.index.search(who) if m.coverage == 1.0]
        sessions = self._narrow(sessions, ask, background_ok=True)
        upcoming = [s for s in sessions if s.end > now]
        # Talks given by the company's people before its booth.
        chosen = sorted(upcoming or sessions, key=lambda s: (s.kind is Kind.BOOTH, s.start))
        return _page(Intent.PRESENTING, chosen, ask=ask, fallback=not chosen)

    # --- time -------------------------------------------------------------------------------

    def _anchor(self, text: str, window: TimeWindow | None, now: datetime) -> Session | None:
        day = window.start.date() if window else None
        folded = content_words(text)
        if not folded:
            return None
        if folded in _KEYNOTE_WORDS or folded.startswith(("keynot", "plenier", "plenar")):
            extra = " ".join(folded.split()[1:])
            named = [m.session for m in self.index.search(extra) if m.session.is_keynote]
            # "the keynote about the comet": that one; "the keynote": the one that matters now.
            return named[0] if extra and named else self._keynote_that_matters(now, day)
        if folded in _MEAL_WORDS or folded in _BREAK_WORDS:
            kind = Kind.MEAL if folded in _MEAL_WORDS else Kind.BREAK
            return self._meal(kind, folded, day or self.catalogue.local(now).date(), now)
        matches = self.index.search(folded, limit=20)
        if not matches:
            return None
        best = matches[0].score
        close = [m.session for m in matches if m.score > best - CLEAR_LEAD]
        if day is not None:
            same_day = [s for s in close if self._day(s) == day]
            close = same_day or close
        running = [s for s in close if s.is_running(now)]
        upcoming = [s for s in close if s.end > now]
        plenary = [s for s in upcoming if s.kind in _PLENARY_KINDS]
        return (running or plenary or upcoming or close)[0]

    def _anchor_named_like_a_time(self, asked: Question, now: datetime) -> Session | None:
        """ "avant Monday Night Live": the parser reads a day where a title names one. When
        words beyond the time ones follow the relation word, try them as a session first."""
        after = _after_relation_word(asked.text)
        leftover = parse_time(after, now, self.catalogue.timezone).rest
        if not content_words(leftover):
            return None
        return self._anchor(after, None, now)

    def _rivals(self, anchor: Session, text: str, now: datetime) -> list[Session]:
        """Sessions as plausible as `anchor` for what the attendee named: as good a match and
        at the same moment (both under way, or starting together). Only then is it worth
        asking "which one?"; otherwise the rules pick, and the bot answers."""
        folded = content_words(text)
        if anchor.is_keynote and folded.startswith(("keynot", "plenier", "plenar")):
            pool: list[Session] = list(self.catalogue.keynotes)
        else:
            matches = self.index.search(folded, limit=20)
            scores = {m.session.id: m.score for m in matches}
            best = scores.get(anchor.id)
            if best is None:
                return []
            pool = [m.session for m in matches if m.score >= best - TIE]
        running = anchor.is_running(now)
        return [
            s
            for s in pool
            if s.id != anchor.id and (s.is_running(now) if running else s.start == anchor.start)
        ]

    def _keynote_that_matters(self, now: datetime, day: date | None) -> Session | None:
        """The keynote under way, else the next one today, else the last one that ended.
        With a day named ("tomorrow after the keynote"), that day's first keynote."""
        keynotes = self.catalogue.keynotes
        if day is not None:
            that_day = [k for k in keynotes if self._day(k) == day]
            if that_day:
                return that_day[0]
        for keynote in keynotes:
            if keynote.is_running(now):
                return keynote
        today = self.catalogue.local(now).date()
        for keynote in keynotes:
            if keynote.start > now and self._day(keynote) == today:
                return keynote
        past = [k for k in keynotes if k.end <= now]
        if past:
            return past[-1]
        return keynotes[0] if keynotes else None

    def _meal(self, kind: Kind, word: str, day: date, now: datetime) -> Session | None:
        """ "lunch" is the catalogue's meal break that day: named so if possible, else the
        longest one around midday."""
        meals = [s for s in self.catalogue.sessions if s.kind is kind and self._day(s) == day]
        if not meals:
            meals = [s for s in self.catalogue.sessions if s.kind is kind and s.end > now]
        if not meals:
            return None
        named = [s for s in meals if word.split()[0] in fold_words(s.title)]
        if named:
            return named[0]
        return min(meals, key=lambda s: abs(self.catalogue.local(s.start).hour * 60 - 12 * 60))

    def _around(self, anchor: Session, relation: str, now: datetime) -> list[Session]:
        day_start, day_end = self._day_bounds(self._day(anchor))
        if relation == "after":
            same_day = self._starting(anchor.end, day_end, leaving_out=anchor.id)
            return same_day or self._starting(anchor.end, leaving_out=anchor.id)
        if relation == "before":
            before = [
                s for s in self._starting(day_start, anchor.start)
                if s.end <= anchor.start and s.id != anchor.id
            ]  # fmt: skip
            # Asked the same day: what can still be attended before it.
            still = [s for s in before if s.end > now]
            return still if now < anchor.start and still else before
        return [s for s in self._overlapping(anchor.start, anchor.end) if s.id != anchor.id]

    def _around_window(self, window: TimeWindow, relation: str) -> list[Session]:
        day_start, day_end = self._day_bounds(window.start.date())
        if relation == "after":
            if not window.precise and window.end - window.start >= timedelta(days=1):
                return self._starting(window.end)  # "after tomorrow": from the day after
            moment = window.start if window.precise else window.end
            return self._starting(moment, day_end)
        if relation == "before":
            return self._starting(day_start, window.start)
        return self._overlapping(window.start, window.end)

    def _in_window(self, window: TimeWindow, now: datetime) -> list[Session]:
        if window.precise:
            moment = window.start
            return [
                s
                for s in self._overlapping(moment - AT_TIME_SLACK, moment + AT_TIME_SLACK)
                if s.is_running(moment) or moment <= s.start < moment + AT_TIME_SLACK
            ]
        found = self._starting(window.start, window.end)
        if window.start <= now < window.end:
            # "this afternoon" asked at 15:00: what is still to come, and what is running.
            running = self._overlapping(now, now + timedelta(seconds=1))
            upcoming = self._starting(now, window.end)  # those of `found` from `now` on
            found = self._unique([*running, *upcoming])
        return found

    def _next_slot(self, now: datetime, ask: _Ask) -> list[Session]:
        """The first sessions after `now` that fit the question, and those starting within
        NEXT_WINDOW of them: read in start order until past the slot, not the whole list."""
        background_ok = bool(ask.subject_words)
        slot: list[Session] = []
        for session in self.catalogue.sessions[bisect.bisect_right(self._starts, now) :]:
            if slot and session.start > slot[0].start + NEXT_WINDOW:
                break
            if session.start > now and self._narrow([session], ask, background_ok):
                slot.append(session)
        return slot

    def _starting(
        self, start: datetime, end: datetime | None = None, *, leaving_out: str | None = None
    ) -> list[Session]:
        """Sessions starting in [start, end), in start order (binary search, no scan),
        without the session of id `leaving_out` (found by its position, not by a test of
        every session: after a keynote there can be thousands)."""
        first = bisect.bisect_left(self._starts, start)
        last = len(self._starts) if end is None else bisect.bisect_left(self._starts, end)
        found = list(self.catalogue.sessions[first:last])
        at = self.index.position.get(leaving_out) if leaving_out is not None else None
        if at is not None and first <= at < last:
            del found[at - first]
        return found

    def _overlapping(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions running at some point in [start, end): the ones that started at most
        the longest short-session length before, plus the few long ones (booths, all-day)."""
        recent = self._starting(start - self._longest_short, end)
        long_ones = [s for s in self._long if s.start < end and s.end > start]
        found = [s for s in recent if s.end > start]
        if long_ones:
            return self._unique([*found, *long_ones])
        return found

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        zone = self.catalogue.timezone
        start = datetime.combine(day, time(0), tzinfo=zone)
        return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)

    def _during_conference(self, window: TimeWindow) -> bool:
        if self._span is None:
            return False
        first, last = self._span
        return window.start.date() <= last and window.end.date() >= first

    def _of_kind(
        self, kind: Kind | None, now: datetime, window: TimeWindow | None
    ) -> list[Session]:
        if kind is Kind.KEYNOTE:
            keynote = self._keynote_that_matters(now, window.start.date() if window else None)
            others = [k for k in self.catalogue.keynotes if k is not keynote and k.end > now]
            return [keynote, *others] if keynote else others
        of_kind = [s for s in self.catalogue.sessions if s.kind is kind]
        if window is not None:
            of_kind = [s for s in of_kind if window.start <= s.start < window.end] or of_kind
        upcoming = [s for s in of_kind if s.end > now]
        return upcoming or of_kind

    def _unique(self, sessions: Iterable[Session]) -> list[Session]:
        """`sessions` once each, by start then title, ties in the order given."""
        unique = {s.id: s for s in sessions}
        return list(map(unique.__getitem__, sorted(unique, key=self._ranks.__getitem__)))

    def _day(self, session: Session) -> date:
        return self._days[session.id]

    # --- narrowing and ranking --------------------------------------------------------------

    def _narrow(self, sessions: Iterable[Session], ask: _Ask, background_ok: bool) -> list[Session]:
        asked = ask.question
        found = list(sessions)
        if asked.kind is not None:
            found = [s for s in found if s.kind is asked.kind]
        elif not background_ok:
            found = [s for s in found if s.kind not in _BACKGROUND_KINDS]
        if asked.language:
            found = [s for s in found if s.language.startswith(asked.language)]
        if ask.room:
            found = [s for s in found if s.room == ask.room]
        return found

    def _rank(self, sessions: Sequence[Session], ask: _Ask, background_ok: bool) -> list[Match]:
        """The sessions about the topic among `sessions` that pass the question's other
        constraints, best first: searched first (the index is fast), narrowed after."""
        matches = self.index.search(
            ask.topic, limit=MAX_MATCHES * 2, among=self._positions(sessions)
        )
        narrowed = self._narrow([m.session for m in matches], ask, background_ok)
        if len(narrowed) < len(matches):  # it only ever leaves sessions out
            kept = {s.id for s in narrowed}
            matches = [m for m in matches if m.session.id in kept]
        if not matches:
            return []
        best = matches[0]
        return [
            m
            for m in matches
            if m.coverage >= best.coverage and m.score >= best.score - RELEVANT_SPREAD
        ]

    def _positions(self, sessions: Sequence[Session]) -> Collection[int] | None:
        """Where `sessions` sit in the catalogue: a range when they are a run of it (time
        filters give runs), else a list; None for the whole catalogue."""
        if not sessions:
            return []
        if len(sessions) == len(self.catalogue.sessions):
            return None
        position = self.index.position
        first, last = position[sessions[0].id], position[sessions[-1].id]
        if last - first + 1 == len(sessions):
            return range(first, last + 1)
        return [position[s.id] for s in sessions]

    def _room(self, text: str) -> str:
        """The catalogue's room named by `text` ("janson" -> "Janson"), or ""."""
        folded = fold(text)
        exact = self._rooms.get(folded)
        if exact:
            return exact
        # A word of the name starting with `folded` (none can when `folded` holds a space):
        # folded text is single-spaced, so that is " " + folded found in " " + the name.
        needle = f" {folded}"
        containing = (
            [room for spaced, room in self._spaced_rooms if needle in spaced]
            if folded and " " not in folded
            else []
        )
        if len(containing) == 1:
            return containing[0]
        match = process.extractOne(
            folded, list(self._rooms), scorer=fuzz.ratio, score_cutoff=ROOM_SIMILARITY
        )
        return self._rooms[match[0]] if match else ""


@dataclass(frozen=True)
class _Ask:
    """A question with its room resolved against the catalogue."""

    question: Question
    topic: str
    room: str

    @property
    def subject_words(self) -> list[str]:
        return self.topic.split()

    @property
    def has_subject(self) -> bool:
        q = self.question
        return bool(self.topic or q.kind or q.language or self.room or q.presenter)

    @property
    def constraints(self) -> bool:
        q = self.question
        return bool(q.kind or q.language or self.room)


def _page(
    intent: Intent,
    sessions: Sequence[Session],
    *,
    anchor: Session | None = None,
    ask: _Ask | None = None,
    fallback: bool = False,
) -> Answer:
    question = ask.question if ask else None
    return Answer(
        intent,
        sessions=tuple(sessions[:PAGE_SIZE]),
        rest=tuple(sessions[PAGE_SIZE:MAX_MATCHES]),
        total=len(sessions),
        anchor=anchor,
        topic=ask.topic if ask else "",
        fallback=fallback,
        window=question.time.window if question else None,
        kind=question.kind if question else None,
        language=question.language if question else None,
        room=ask.room if ask else "",
        presenter=question.presenter if question else "",
    )


def _whole_day(window: TimeWindow | None) -> bool:
    return window is not None and window.end - window.start >= timedelta(hours=20)


def _first_slot(sessions: Sequence[Session]) -> list[Session]:
    """The sessions starting with the first one, or within NEXT_WINDOW of it."""
    if not sessions:
        return []
    first = min(s.start for s in sessions)
    return [s for s in sessions if s.start <= first + NEXT_WINDOW]


# A sort key made in C: a lambda costs a Python call per session, and lists run to hundreds.
_START = attrgetter("start")


def _start_title_ranks(sessions: Iterable[Session]) -> dict[str, int]:
    """Each session's place in (start, title) order, equal for equal starts and titles: an
    integer to sort by in `_unique`, cheaper to compare than a datetime and a string."""
    ranks: dict[str, int] = {}
    rank, previous = -1, None
    for session in sorted(sessions, key=attrgetter("start", "title")):
        key = (session.start, session.title)
        if key != previous:
            rank, previous = rank + 1, key
        ranks[session.id] = rank
    return ranks


def _span(catalogue: Catalogue) -> tuple[date, date] | None:
    """The first and last local days of the conference, worked out once per version: the
    last is the latest end among the last 50 sessions to start."""
    sessions = catalogue.sessions
    if not sessions:
        return None
    first = catalogue.local(sessions[0].start).date()
    last = max(catalogue.local(s.end).date() for s in sessions[-50:])
    return first, last


def _after_relation_word(question: str) -> str:
    """The words after "after/before/during" in the raw question, for an anchor the time
    parser cut short ("avant Monday Night Live": "Monday" read as a day)."""
    folded = fold_words(question)
    match = re.search(r"\b(?:after|before|during|apres|avant|pendant|durant)\s+(.+)$", folded)
    return match.group(1) if match else ""


def content_words(text: str) -> str:
    """`text` without stop words and question filler, folded."""
    return " ".join(
        w for w in fold_words(text).split() if len(w) > 1 and w not in STOPWORDS
        and w not in FILLERS
    )  # fmt: skip
