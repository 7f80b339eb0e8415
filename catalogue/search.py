"""Fuzzy topic and title search over a catalogue, with an index built once per version.

Titles weigh most, then tracks, tags and speakers, then abstracts. Matching tolerates typos and
accents ("azur", "securite") through RapidFuzz on accent-folded text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from catalogue.model import Catalogue, Session
from catalogue.text import fold

Scorer = Callable[..., float]

TITLE_CUTOFF = 80.0
BODY_CUTOFF = 85.0


@dataclass(frozen=True, slots=True)
class Match:
    session: Session
    score: float


class SearchIndex:
    """Folded texts of every session, keyed by session id, ready for RapidFuzz."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._titles = {s.id: fold(f"{s.title} {s.subtitle}") for s in catalogue.sessions}
        self._labels = {
            s.id: fold(
                " ".join(
                    (
                        s.track,
                        *s.tags,
                        *(p.name for p in s.speakers),
                        *(p.company for p in s.speakers),
                    )
                )
            )
            for s in catalogue.sessions
        }
        self._abstracts = {s.id: fold(s.abstract) for s in catalogue.sessions}

    def search(self, query: str, *, limit: int = 50) -> list[Match]:
        """Sessions about `query`, best first. An empty or noise-only query finds nothing."""
        folded = fold(query)
        if len(folded) < 2:
            return []
        scores: dict[str, float] = {}
        for scorer in (fuzz.partial_ratio, fuzz.WRatio):
            self._collect(scores, folded, self._titles, scorer, TITLE_CUTOFF, 1.0, limit)
            self._collect(scores, folded, self._labels, scorer, BODY_CUTOFF, 0.9, limit)
        self._collect(scores, folded, self._abstracts, fuzz.partial_ratio, BODY_CUTOFF, 0.8, limit)
        ranked = sorted(scores.items(), key=lambda item: -item[1])[:limit]
        found = (self.catalogue.get(session_id) for session_id, _ in ranked)
        return [Match(s, score) for s, (_, score) in zip(found, ranked, strict=True) if s]

    @staticmethod
    def _collect(
        scores: dict[str, float],
        query: str,
        choices: dict[str, str],
        scorer: Scorer,
        cutoff: float,
        weight: float,
        limit: int,
    ) -> None:
        # partial_ratio finds the query inside a longer text, WRatio the query's words spread
        # over it; short queries need a whole-word hit, or two letters would match everything.
        results = process.extract(
            query,
            choices,
            scorer=scorer,
            processor=utils.default_process,
            score_cutoff=cutoff,
            limit=limit,
        )
        for _text, score, session_id in results:
            if len(query) < 4 and query not in choices[session_id].split():
                continue
            weighted = score * weight
            if weighted > scores.get(session_id, 0.0):
                scores[session_id] = weighted
