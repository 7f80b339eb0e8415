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
from dataclasses import dataclass

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
EXTRA_FIELD_BONUS = 0.15


@dataclass(frozen=True, slots=True)
class Match:
    session: Session
    score: float
    """How well the session covers the query's words: 100 for all of them in its title, more
    when the title holds the query as a phrase."""
    coverage: float
    """The share of the query's words found in the session."""


def words(text: str) -> list[str]:
    """Content words of a text, folded: no accents, no case, no stop words."""
    return [w for w in fold(text).replace("'", " ").split() if w not in STOPWORDS]


class SearchIndex:
    """An inverted index of the catalogue's words, with where each word occurs."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._sessions = catalogue.sessions
        self._titles = [fold(s.title) for s in self._sessions]
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for index, session in enumerate(self._sessions):
            labels = (session.subtitle, session.track, *session.tags, session.room)
            fields = (
                (TITLE, session.title),
                (LABEL, " ".join((*labels, *_people(session)))),
                (BODY, session.abstract),
            )
            for weight, text in fields:
                for word in set(words(text)):
                    seen = postings[word]
                    previous = seen.get(index, 0.0)
                    # A word in the title and the track ("Rust" talk in the Rust devroom)
                    # weighs a little more than in the title alone.
                    high, low = max(previous, weight), min(previous, weight)
                    seen[index] = high + EXTRA_FIELD_BONUS * low
        self._postings = dict(postings)
        self._vocabulary = sorted(self._postings)
        total = max(len(self._sessions), 1)
        self._idf = {w: math.log(1 + total / len(p)) for w, p in self._postings.items()}

    def search(self, query: str, *, limit: int = 50) -> list[Match]:
        """Sessions about `query`, best first. Noise or stop words alone find nothing."""
        query_words = list(dict.fromkeys(words(query)))[:12]
        if not query_words:
            return []
        phrase = fold(query)
        totals: dict[int, float] = defaultdict(float)
        found: dict[int, int] = defaultdict(int)
        weight_sum = 0.0
        for word in query_words:
            variants = self._variants(word)
            if not variants:
                weight_sum += max(self._idf.values(), default=1.0)
                continue
            # The word weighs as rare as what the attendee most likely meant (the closest
            # variant); other variants count by similarity, so a typo never beats the word.
            meant = max(variants, key=lambda v: (variants[v], -self._idf[v]))
            word_weight = self._idf[meant]
            weight_sum += word_weight
            best: dict[int, float] = {}
            for variant, similarity in variants.items():
                strength = (similarity / 100.0) ** 2 * word_weight
                for index, field_weight in self._postings[variant].items():
                    value = strength * field_weight
                    if value > best.get(index, 0.0):
                        best[index] = value
            for index, value in best.items():
                totals[index] += value
                found[index] += 1
        if not totals:
            return []
        matches = []
        for index, total in totals.items():
            score = 100.0 * total / weight_sum
            if len(phrase) >= 4 and phrase in self._titles[index]:
                score += 100.0 * TITLE_PHRASE_BONUS
            coverage = found[index] / len(query_words)
            matches.append(Match(self._sessions[index], score, coverage))
        matches.sort(key=lambda m: (-m.coverage, -m.score, m.session.start))
        return matches[:limit]

    def _variants(self, word: str) -> dict[str, float]:
        """Vocabulary words that `word` may stand for, with their similarity (0–100)."""
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
            for candidate, similarity, _ in process.extract(
                word,
                self._vocabulary,
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


def _people(session: Session) -> list[str]:
    return [part for p in session.speakers for part in (p.name, p.company)]
