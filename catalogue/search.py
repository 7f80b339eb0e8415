"""Fuzzy topic and title search over a catalogue, with an index built once per version.

Words are matched, not strings: each word of the query is looked up in the catalogue's
vocabulary exactly, by prefix ("keynot" -> "keynote") and with typos ("azur", "securite",
"practise") through RapidFuzz, then sessions are ranked by how many of the query's words they
contain, where (title over tracks, tags and speakers over abstract) and how rare each word
is, so "partner practice" prefers a practice session over the dozens that mention partners.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Collection
from functools import partial
from typing import NamedTuple, cast

import numpy as np
from rapidfuzz import fuzz, process

from catalogue.model import Catalogue, Session
from catalogue.text import fold

TITLE, LABEL, BODY = 1.0, 0.8, 0.45
TITLE_PHRASE_BONUS = 0.25
MIN_SIMILARITY = {3: 100.0, 4: 75.0, 5: 80.0}  # by query word length; longer words: 78
LONG_WORD_SIMILARITY = 78.0
FUZZY_CANDIDATES = 8

STOPWORDS = frozenset(
    """a an the of and or for to in on at with by from is are be was what s whats who where
    when which about any anything something some there this that these those my your me i it
    its we our us you do does did can could would will please show find tell give get
    session sessions talk talks one ones on anybody anyone someone
    le la les l un une des du de d et ou pour au aux en dans sur avec par qui quoi quand
    est ce ces cet cette qu il ils elle y quelque chose quelqu parle parlent mon ma mes ton
    ta tes son sa ses je tu nous vous on pas vs versus c t""".split()
)

# French words attendees type for English agendas, and the reverse: each also looks up its
# counterparts, a little less surely than the word itself.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "cloture": ("closing",), "closing": ("cloture",),
    "ouverture": ("opening",), "opening": ("ouverture",),
    "bienvenue": ("welcome",), "accueil": ("welcome", "registration"),
    "welcome": ("bienvenue", "accueil"),
    "prix": ("awards", "award"), "remise": ("awards",), "recompenses": ("awards",),
    "awards": ("prix",), "inscription": ("registration",), "registration": ("inscription",),
    "securite": ("security",), "security": ("securite",),
    "donnees": ("data",), "nuage": ("cloud",), "partenaires": ("partners", "partner"),
    "partenaire": ("partner",), "ventes": ("sales", "selling"), "vendre": ("selling", "sell"),
    "genai": ("generative", "gen"), "ia": ("ai",), "ai": ("ia",),
    "francaise": ("french",), "french": ("francaise",),
    "suisse": ("swiss",), "swiss": ("suisse",), "allemande": ("german",),
    "soiree": ("party", "celebration", "reception"), "fete": ("party", "celebration"),
    "ceremonie": ("ceremony",), "atelier": ("workshop",), "ateliers": ("workshops",),
    "conference": ("talk",), "pme": ("smb",), "smb": ("pme",),
}  # fmt: skip
SYNONYM_SIMILARITY = 95.0
WORD_CACHE_SIZE = 4096
"""At most this many query words remembered per catalogue version (`_word_hits`)."""
WORD_CACHE_POSTINGS = 2_000_000
"""At most this many session positions cached across words (~24 MB: a position and a
strength each)."""
EXTRA_FIELD_BONUS = 0.15
NARROW_BEFORE_SORT = 1500
"""Below this many hits, sorting them all is cheaper than narrowing them first (measured)."""


class Match(NamedTuple):
    """One search result. A named tuple rather than a frozen dataclass: a search builds
    hundreds of them, and a tuple is made several times faster."""

    session: Session
    score: float
    """How well the session covers the query's words: 100 for all of them in its title, more
    when the title holds the query as a phrase."""
    coverage: float
    """The share of the query's words found in the session."""


class _WordHits(NamedTuple):
    """What one query word adds to a search, whatever the query: its weight in the score's
    denominator, and the sessions holding it (or a variant) with the strength of the best."""

    weight: float
    positions: np.ndarray
    """Session positions, distinct and ascending."""
    strengths: np.ndarray
    """float32, all above zero."""


_NO_POSITIONS = np.zeros(0, dtype=np.intp)
_NO_STRENGTHS = np.zeros(0, dtype=np.float32)
_new_match = cast(Callable[[tuple[Session, float, float]], Match], partial(tuple.__new__, Match))
"""`Match` from a (session, score, coverage) tuple, in C: `Match(*t)` goes through Python."""


def words(text: str) -> list[str]:
    """Content words of a text, folded: no accents, no case, no stop words."""
    return [w for w in fold(text).replace("'", " ").split() if w not in STOPWORDS]


class SearchIndex:
    """An inverted index of the catalogue's words, with where each word occurs.

    Postings are numpy arrays (session positions and field weights), so a question costs a
    few vector operations per word whatever the size of the catalogue, not a Python loop over
    every session that mentions "cloud".
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._sessions = catalogue.sessions
        self.position = {s.id: i for i, s in enumerate(self._sessions)}
        self._titles = [fold(s.title) for s in self._sessions]
        positions: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, list[float]] = defaultdict(list)
        presenters: dict[str, set[int]] = defaultdict(set)
        for index, session in enumerate(self._sessions):
            labels = (session.subtitle, session.track, *session.tags, session.room)
            people = words(" ".join(_people(session)))
            title = words(session.title)
            # Fields from the heaviest down: a word seen again in a lighter field adds a little
            # ("Rust" in the title and the Rust devroom's track beats the title alone).
            found: dict[str, float] = {}
            for weight, field_words in (
                (TITLE, title),
                (LABEL, words(" ".join(labels)) + people),
                (BODY, words(session.abstract)),
            ):
                for word in set(field_words):
                    previous = found.get(word)
                    found[word] = (
                        weight if previous is None else previous + EXTRA_FIELD_BONUS * weight
                    )
            for word, weight in found.items():
                positions[word].append(index)
                weights[word].append(weight)
            for word in (*people, *title):
                presenters[word].add(index)
        self._postings = {
            word: (
                np.array(positions[word], dtype=np.int32),
                np.array(weights[word], dtype=np.float32),
            )
            for word in positions
        }
        self._presenters = {w: frozenset(found) for w, found in presenters.items()}
        self._vocabulary = sorted(self._postings)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            by_length[len(word)].append(word)
        self._by_length = dict(by_length)
        self._word_cache: dict[str, _WordHits] = {}
        self._cached_postings = 0
        total = max(len(self._sessions), 1)
        self._idf = {w: math.log(1 + total / len(p)) for w, p in positions.items()}
        self._rarest = max(self._idf.values(), default=1.0)

    def search(
        self, query: str, *, limit: int = 50, among: Collection[int] | None = None
    ) -> list[Match]:
        """Sessions about `query`, best first, optionally only among session positions.
        Noise or stop words alone find nothing."""
        query_words = list(dict.fromkeys(words(query)))[:12]
        if not query_words or not self._sessions:
            return []
        size = len(self._sessions)
        totals = np.zeros(size, dtype=np.float32)
        found = np.zeros(size, dtype=np.int16)
        weight_sum = 0.0
        for word in query_words:
            word_hits = self._word_hits(word)
            weight_sum += word_hits.weight
            if word_hits.positions.size:
                # A word's positions are distinct, so fancy-indexed adds count each once.
                totals[word_hits.positions] += word_hits.strengths
                found[word_hits.positions] += 1
        if isinstance(among, range):
            totals[: among.start] = 0
            totals[among.stop :] = 0
        elif among is not None:
            allowed = np.zeros(size, dtype=bool)
            allowed[np.fromiter(among, dtype=np.int64, count=len(among))] = True
            totals[~allowed] = 0
        hits = np.flatnonzero(totals > 0)  # sums of positive strengths: several times faster
        if hits.size == 0:
            return []
        scores = 100.0 * totals[hits] / weight_sum
        levels = found[hits]
        coverage = levels / len(query_words)
        order = _best_first(hits, scores, levels, max(limit, 50) * 2)
        phrase = fold(query)
        if len(query_words) > 1 and len(phrase) >= 4:
            order = self._phrase_first(phrase, order, hits, scores, levels)
        chosen = order[:limit]
        # Whole arrays to Python lists at once, and tuples made in C (`map`, no Python-level
        # `Match.__new__`): a search may return hundreds of matches.
        return list(
            map(
                _new_match,
                zip(
                    map(self._sessions.__getitem__, hits[chosen].tolist()),
                    scores[chosen].tolist(),
                    coverage[chosen].tolist(),
                    strict=True,
                ),
            )
        )

    def _phrase_first(
        self,
        phrase: str,
        order: np.ndarray,
        hits: np.ndarray,
        scores: np.ndarray,
        levels: np.ndarray,
    ) -> np.ndarray:
        """A title holding the question's words as typed, in order, ranks first among the
        best: checked on those only, not on every hit. Raises those hits' `scores` in place."""
        titles = list(map(self._titles.__getitem__, hits[order].tolist()))
        holding = _holding(titles, phrase)
        if not holding:
            return order
        bonus = order[holding]
        scores[bonus] += 100.0 * TITLE_PHRASE_BONUS
        return order[np.lexsort((hits[order], -scores[order], -levels[order]))]

    def presented_by(self, who: str) -> list[Session]:
        """Sessions whose speakers' names or companies, or title, hold every word of `who`."""
        wanted = words(who)
        if not wanted:
            return []
        sets = [self._presenters.get(word, frozenset()) for word in wanted]
        return [self._sessions[i] for i in sorted(frozenset.intersection(*sets))]

    def _word_hits(self, word: str) -> _WordHits:
        """What `word` adds to a search. Remembered per catalogue version: attendees ask about
        the same few words. The cache is emptied when it holds too many words, or too many
        postings (a 50,000-session catalogue's common words are long arrays)."""
        cached = self._word_cache.get(word)
        if cached is None:
            cached = self._find_word_hits(word)
            if (
                len(self._word_cache) >= WORD_CACHE_SIZE
                or self._cached_postings + cached.positions.size > WORD_CACHE_POSTINGS
            ):
                self._word_cache.clear()
                self._cached_postings = 0
            self._word_cache[word] = cached
            self._cached_postings += cached.positions.size
        return cached

    def _find_word_hits(self, word: str) -> _WordHits:
        variants = self._find_variants(word)
        if not variants:
            return _WordHits(self._rarest, _NO_POSITIONS, _NO_STRENGTHS)
        # The word weighs as rare as what the attendee most likely meant (the closest
        # variant); other variants count by similarity, so a typo never beats the word.
        meant = max(variants, key=lambda v: (variants[v], -self._idf[v]))
        word_weight = self._idf[meant]
        best = np.zeros(len(self._sessions), dtype=np.float32)
        for variant, similarity in variants.items():
            positions, field_weights = self._postings[variant]
            strength = (similarity / 100.0) ** 2 * word_weight
            # A variant's positions are distinct (a word is posted once per session), so
            # fancy indexing does what `np.maximum.at` does, several times faster.
            best[positions] = np.maximum(best[positions], field_weights * strength)
        holding = np.flatnonzero(best > 0)
        return _WordHits(word_weight, holding, best[holding])

    def _find_variants(self, word: str) -> dict[str, float]:
        variants: dict[str, float] = {}
        if word in self._postings:
            variants[word] = 100.0
        if len(word) >= 4:  # a prefix typed in a hurry: "keynot", "secur", "azur"
            start = bisect.bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[start : start + 20]:
                if not candidate.startswith(word):
                    break
                # The more of the word was typed, the surer the match: keynot -> keynote 96,
                # life -> lifecycle 83.
                variants.setdefault(candidate, 70.0 + 30.0 * len(word) / len(candidate))
        cutoff = MIN_SIMILARITY.get(len(word), LONG_WORD_SIMILARITY)
        if len(word) >= 3 and cutoff < 100.0:
            # A typo changes a length by a letter or two: compare with those lengths only.
            nearby = [
                candidate
                for length in range(len(word) - 2, len(word) + 3)
                for candidate in self._by_length.get(length, ())
            ]
            for candidate, similarity, _ in process.extract(
                word,
                nearby,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                limit=FUZZY_CANDIDATES,
            ):
                if similarity > variants.get(candidate, 0.0):
                    variants[candidate] = similarity
        for synonym in SYNONYMS.get(word, ()):
            if synonym in self._postings and variants.get(synonym, 0.0) < SYNONYM_SIMILARITY:
                variants[synonym] = SYNONYM_SIMILARITY
        return variants


def _best_first(hits: np.ndarray, scores: np.ndarray, levels: np.ndarray, count: int) -> np.ndarray:
    """Indices into `hits` of the `count` best, best first: the most query words found
    (`levels`), then the highest score, then the earliest session (positions are in start
    order). Thousands of hits are first narrowed to those that can be among the best:
    sorting only those gives the same list, and costs less than sorting them all."""
    if hits.size <= max(NARROW_BEFORE_SORT, 3 * count):
        return np.lexsort((hits, -scores, -levels))[:count]
    candidates = _contenders(scores, levels, count)
    order = np.lexsort((hits[candidates], -scores[candidates], -levels[candidates]))
    return candidates[order[:count]]


def _contenders(scores: np.ndarray, levels: np.ndarray, count: int) -> np.ndarray:
    """Indices of every hit that may rank among the `count` best (`count` < number of hits):
    all on levels above the one where the count-th best sits, and on that level the ones
    scoring at least as high as the count-th best there. Ties on that score may make it a
    few more than `count`; the sort that follows settles them."""
    per_level = np.bincount(levels)
    at_or_above = np.cumsum(per_level[::-1])  # hits on each level or above, top level first
    cut = len(per_level) - 1 - int(np.searchsorted(at_or_above, count))
    above = levels > cut
    on_cut = levels == cut
    need = count - int(np.count_nonzero(above))
    cut_scores = scores[on_cut]
    threshold = np.partition(cut_scores, cut_scores.size - need)[cut_scores.size - need]
    return np.flatnonzero(above | (on_cut & (scores >= threshold)))


def _holding(titles: list[str], phrase: str) -> list[int]:
    """Indices of the titles that hold `phrase`. Most questions quote no title: one substring
    search over the titles joined settles that at C speed (folded text holds no newline, so
    no match spans two titles), where a test per title is a Python loop."""
    if phrase not in "\n".join(titles):
        return []
    return [index for index, title in enumerate(titles) if phrase in title]


def _people(session: Session) -> list[str]:
    return [part for p in session.speakers for part in (p.name, p.company)]
