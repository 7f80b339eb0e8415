"""Question -> answer, as a pure function of (question, catalogue, now).

The answer says what was understood and which sessions answer it; turning that into words and
cards, in the attendee's language, is the bot's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from catalogue.model import Catalogue, Kind, Session
from catalogue.search import SearchIndex
from catalogue.text import fold, fold_words

PAGE_SIZE = 8
MAX_MATCHES = 200
NEXT_WINDOW = timedelta(minutes=30)
MAX_QUESTION = 500

# Items that run all day long would crowd every "what's on now" answer.
_BACKGROUND_KINDS = frozenset({Kind.BOOTH})


class Intent(StrEnum):
    HELP = "help"
    GREETING = "greeting"
    NOW = "now"
    NEXT = "next"
    AFTER = "after"
    DURING = "during"
    SEARCH = "search"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the attendee asked, and the sessions that answer it, in order."""

    intent: Intent
    sessions: tuple[Session, ...] = ()
    total: int = 0
    anchor: Session | None = None
    topic: str = ""
    fallback: bool = False
    """True when `sessions` are the nearest alternatives rather than what was asked for."""
    rest: tuple[Session, ...] = ()
    """The matches after the first page, for "more"."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The sessions a phrase like "the SMB one" may mean, best first."""

    candidates: tuple[Session, ...]
    clear: bool
    """True when one candidate stands out, so acting on it needs no question back."""


CLEAR_LEAD = 8.0


@dataclass(frozen=True)
class Answerer:
    """Answers questions about one catalogue version; build once per version."""

    catalogue: Catalogue
    index: SearchIndex

    @classmethod
    def for_catalogue(cls, catalogue: Catalogue) -> Answerer:
        return cls(catalogue, SearchIndex(catalogue))

    def answer(self, question: str, now: datetime) -> Answer:
        text = fold_words(question[:MAX_QUESTION])
        if not text:
            return Answer(Intent.UNKNOWN)
        if _HELP.search(text):
            return Answer(Intent.HELP)
        if _GREETING.fullmatch(text):
            return Answer(Intent.GREETING)
        after = _AFTER.search(text)
        if after:
            return self._after(after.group("anchor"), now)
        if _NEXT.search(text):
            return self._next(now)
        if _NOW.search(text):
            return self._now(now)
        topic, asked_for_a_topic = _topic(text)
        if not topic:
            return Answer(Intent.UNKNOWN)
        answer = self._search(topic, now)
        if not answer.sessions and not asked_for_a_topic:
            # Words that are neither a question we know nor anything in the agenda.
            return Answer(Intent.UNKNOWN, topic=topic)
        return answer

    def find(self, target: str, now: datetime, among: frozenset[str] | None = None) -> Resolution:
        """The sessions `target` names, optionally only among the ids `among`."""
        text = fold(target)

        def allowed(session: Session) -> bool:
            return among is None or session.id in among

        if _KEYNOTE.fullmatch(text) or text in ("keynote", "keynotes", "pleniere"):
            keynote = self._keynote_that_matters(now)
            if keynote is not None and allowed(keynote):
                return Resolution((keynote,), clear=True)
            keynotes = tuple(k for k in self.catalogue.keynotes if allowed(k))
            return Resolution(keynotes, clear=len(keynotes) == 1)
        matches = [m for m in self.index.search(text) if allowed(m.session)]
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

    def during(self, anchor: Session) -> Answer:
        """What else is on while `anchor` runs (the "what else is on then?" button)."""
        overlapping = [
            s
            for s in self.catalogue.sessions
            if s.start < anchor.end
            and s.end > anchor.start
            and s.id != anchor.id
            and s.kind not in _BACKGROUND_KINDS
        ]
        return _page(Intent.DURING, overlapping, anchor=anchor)

    def _now(self, now: datetime) -> Answer:
        foreground = [
            s
            for s in self.catalogue.sessions
            if s.is_running(now) and s.kind not in _BACKGROUND_KINDS
        ]
        if foreground:
            return _page(Intent.NOW, _keynotes_first(foreground))
        upcoming = self._starting_after(now)
        return _page(Intent.NOW, upcoming, fallback=True)

    def _next(self, now: datetime) -> Answer:
        return _page(Intent.NEXT, self._starting_after(now))

    def _after(self, anchor_text: str, now: datetime) -> Answer:
        anchor = self._anchor(anchor_text, now)
        if anchor is None:
            return Answer(Intent.AFTER, topic=anchor_text, fallback=True)
        later = [
            s
            for s in self.catalogue.sessions
            if s.start >= anchor.end and s.id != anchor.id and s.kind not in _BACKGROUND_KINDS
        ]
        same_day = [
            s for s in later if _local_day(s, self.catalogue) == _local_day(anchor, self.catalogue)
        ]
        return _page(Intent.AFTER, same_day or later, anchor=anchor, topic=anchor_text)

    def _search(self, topic: str, now: datetime) -> Answer:
        matches = self.index.search(topic)
        if not matches:
            return Answer(Intent.SEARCH, topic=topic)
        best = matches[0].score
        relevant = [m.session for m in matches if m.score >= best - 15]
        upcoming = [s for s in relevant if s.end > now]
        chosen = upcoming or relevant
        return _page(Intent.SEARCH, sorted(chosen, key=lambda s: s.start), topic=topic)

    def _starting_after(self, now: datetime) -> list[Session]:
        upcoming = [
            s for s in self.catalogue.sessions if s.start > now and s.kind not in _BACKGROUND_KINDS
        ]
        if not upcoming:
            return []
        first = upcoming[0].start
        return [s for s in upcoming if s.start <= first + NEXT_WINDOW]

    def _anchor(self, text: str, now: datetime) -> Session | None:
        if _KEYNOTE.search(text):
            return self._keynote_that_matters(now)
        matches = self.index.search(text, limit=5)
        return matches[0].session if matches else None

    def _keynote_that_matters(self, now: datetime) -> Session | None:
        """The keynote under way, else the next one today, else the last one that ended."""
        keynotes = self.catalogue.keynotes
        for keynote in keynotes:
            if keynote.is_running(now):
                return keynote
        today = self.catalogue.local(now).date()
        for keynote in keynotes:
            if keynote.start > now and _local_day(keynote, self.catalogue) == today:
                return keynote
        past = [k for k in keynotes if k.end <= now]
        if past:
            return past[-1]
        return keynotes[0] if keynotes else None


def _local_day(session: Session, catalogue: Catalogue) -> object:
    return catalogue.local(session.start).date()


def _keynotes_first(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: (not s.is_keynote, s.start))


def _page(
    intent: Intent,
    sessions: list[Session],
    *,
    anchor: Session | None = None,
    topic: str = "",
    fallback: bool = False,
) -> Answer:
    return Answer(
        intent,
        sessions=tuple(sessions[:PAGE_SIZE]),
        rest=tuple(sessions[PAGE_SIZE:MAX_MATCHES]),
        total=len(sessions),
        anchor=anchor,
        topic=topic,
        fallback=fallback,
    )


# Patterns work on folded text: lower case, no accents, punctuation turned into spaces.
_HELP = re.compile(r"^(help|aide|\?|what can you do|que sais tu faire|comment ca marche)\b")
_GREETING = re.compile(
    r"(hello|hi|hey|bonjour|salut|coucou|good (morning|afternoon|evening))( \w+){0,3}"
)
_AFTER = re.compile(r"\b(?:after|apres)\s+(?:the |la |le |l )?(?P<anchor>.+)$")
_NEXT = re.compile(r"\b(next|what s next|whats next|ensuite|la suite|prochaine?s?|coming up)\b")
_NOW = re.compile(
    r"\b(now|right now|currently|happening|en ce moment|maintenant|actuellement)\b"
    r"|^(what s on|whats on|what is on|qu est ce qu il y a)$"
)
_KEYNOTE = re.compile(r"\b(keynot\w*|plenier\w*|pleniere|opening)\b")
_TOPIC_LEADS = re.compile(
    r"^(?:(?:is there |are there )?(?:anything|something|sessions?|talks?) (?:about|on)"
    r"|what s on about|whats on about|(?:find|search)(?: for)?"
    r"|(?:y a t il |il y a )?(?:quelque chose|des sessions?) sur|cherche|je cherche)\s+"
)
_ARTICLES = re.compile(r"^(?:the|a|an|le|la|les|l|un|une|des|du|de)\s+")


def _topic(text: str) -> tuple[str, bool]:
    """The subject of a search question without the words around it, and whether the
    question explicitly asked for a topic ("anything about …")."""
    topic, leads = _TOPIC_LEADS.subn("", text)
    topic = re.sub(r"\b(please|svp|s il (?:te|vous) plait)\b", "", topic).strip()
    return _ARTICLES.sub("", topic).strip(), bool(leads)
