"""`SearchIndex.search` gives exactly what the plain algorithm gives: the same sessions in the
same order, the same scores to the bit, the same coverage.

The index takes shortcuts for speed (cached per-word hits, fancy indexing for `np.maximum.at`,
narrowing thousands of hits before sorting, one substring search for the title-phrase bonus).
`reference_search` below is the algorithm written plainly, as it stood before those shortcuts;
the two are compared on real and synthetic catalogues, with typos, French, `limit` and `among`.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pytest

import catalogue.search as search_module
from benchmarks.synthetic import write_synthetic
from catalogue.importers import load
from catalogue.model import Catalogue
from catalogue.search import TITLE_PHRASE_BONUS, SearchIndex, words
from catalogue.text import fold

DEMO = Path(search_module.__file__).parent / "data" / "wpc2016.json"
Result = list[tuple[str, float, float]]


def reference_search(
    index: SearchIndex, query: str, *, limit: int = 50, among: Collection[int] | None = None
) -> Result:
    """The search as first written: a dense array per word, `np.maximum.at`, a full sort."""
    query_words = list(dict.fromkeys(words(query)))[:12]
    sessions = index.catalogue.sessions
    if not query_words or not sessions:
        return []
    size = len(sessions)
    totals = np.zeros(size, dtype=np.float32)
    found = np.zeros(size, dtype=np.int16)
    weight_sum = 0.0
    for word in query_words:
        variants = index._find_variants(word)
        if not variants:
            weight_sum += index._rarest
            continue
        meant = max(variants, key=lambda v: (variants[v], -index._idf[v]))
        word_weight = index._idf[meant]
        weight_sum += word_weight
        best = np.zeros(size, dtype=np.float32)
        for variant, similarity in variants.items():
            positions, field_weights = index._postings[variant]
            strength = (similarity / 100.0) ** 2 * word_weight
            np.maximum.at(best, positions, field_weights * strength)
        totals += best
        found += best > 0
    if isinstance(among, range):
        totals[: among.start] = 0
        totals[among.stop :] = 0
    elif among is not None:
        allowed = np.zeros(size, dtype=bool)
        allowed[np.fromiter(among, dtype=np.int64, count=len(among))] = True
        totals[~allowed] = 0
    hits = np.flatnonzero(totals)
    if hits.size == 0:
        return []
    scores = 100.0 * totals[hits] / weight_sum
    coverage = found[hits] / len(query_words)
    order = np.lexsort((hits, -scores, -coverage))[: max(limit, 50) * 2]
    phrase = fold(query)
    if len(query_words) > 1 and len(phrase) >= 4:
        titles = index._titles  # fold(s.title) for each session
        bonus = [i for i in order.tolist() if phrase in titles[hits[i]]]
        if bonus:
            scores[bonus] += 100.0 * TITLE_PHRASE_BONUS
            order = order[np.lexsort((hits[order], -scores[order], -coverage[order]))]
    chosen = order[:limit]
    return [
        (sessions[p].id, s, c)
        for p, s, c in zip(
            hits[chosen].tolist(), scores[chosen].tolist(), coverage[chosen].tolist(), strict=True
        )
    ]


def results(
    index: SearchIndex, query: str, *, limit: int = 50, among: Collection[int] | None = None
) -> Result:
    matches = index.search(query, limit=limit, among=among)
    return [(m.session.id, m.score, m.coverage) for m in matches]


def queries(catalogue: Catalogue, seed: int) -> list[str]:
    """Titles, bits of titles, typos, prefixes, French and noise."""
    rng = random.Random(seed)
    sample = rng.sample(list(catalogue.sessions), min(40, len(catalogue.sessions)))
    vocabulary = sorted({w for s in sample for w in words(s.title) if len(w) >= 3})
    typed = []
    for _ in range(60):
        word = list(rng.choice(vocabulary))
        at = rng.randrange(len(word))
        match rng.randrange(4):
            case 0:
                del word[at]
            case 1:
                word.insert(at, rng.choice("aeiouéà"))
            case 2:
                word = word[: max(4, len(word) - 2)]
            case _:
                word[at] = rng.choice("aeioust")
        typed.append(
            f"{''.join(word)} {rng.choice(vocabulary)}" if rng.random() < 0.5 else "".join(word)
        )
    return [
        *(s.title for s in sample),
        *(" ".join(s.title.split()[:2]) for s in sample),
        *typed,
        "sécurité", "securite du cloud", "données partenaires", "ia générative", "nuage",
        "atelier", "soirée", "cérémonie de clôture", "remise des prix", "pme", "the", "",
        "cloud cloud cloud", "a b c d e f g h i j k l m n o p",
    ]  # fmt: skip


def compare(
    index: SearchIndex, catalogue: Catalogue, seed: int, limits: tuple[int, ...] = (1, 8, 50, 400)
) -> int:
    rng = random.Random(seed)
    size = len(catalogue.sessions)
    compared = 0
    for query in queries(catalogue, seed):
        start = rng.randrange(size)
        amongs: list[Collection[int] | None] = [
            None,
            range(start, min(size, start + rng.randrange(1, size))),
            sorted(rng.sample(range(size), rng.randrange(1, size))),
        ]
        if rng.random() < 0.1:
            amongs.append([])
        for limit in limits:
            for among in amongs:
                expected = reference_search(index, query, limit=limit, among=among)
                assert results(index, query, limit=limit, among=among) == expected, (query, limit)
                compared += bool(expected)
    return compared


@pytest.fixture(scope="module")
def demo() -> tuple[Catalogue, SearchIndex]:
    catalogue = load(DEMO)
    return catalogue, SearchIndex(catalogue)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, SearchIndex]:
    catalogue = load(write_synthetic(tmp_path_factory.mktemp("search") / "s.json", 3000, seed=2))
    return catalogue, SearchIndex(catalogue)


def test_the_demo_agenda_searches_as_the_plain_algorithm(
    demo: tuple[Catalogue, SearchIndex],
) -> None:
    catalogue, index = demo
    assert compare(index, catalogue, seed=1) > 300
    # Again, with every word's hits now cached.
    assert compare(index, catalogue, seed=1) > 300


def test_a_large_agenda_searches_as_the_plain_algorithm(
    synthetic: tuple[Catalogue, SearchIndex],
) -> None:
    catalogue, index = synthetic
    assert compare(index, catalogue, seed=3, limits=(8, 400)) > 300


def test_narrowing_before_the_sort_changes_nothing(
    synthetic: tuple[Catalogue, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the number of hits, narrowing them first gives the same list."""
    monkeypatch.setattr(search_module, "NARROW_BEFORE_SORT", 0)
    catalogue, index = synthetic
    assert compare(index, catalogue, seed=4, limits=(1, 50)) > 300


@pytest.mark.parametrize("seed", range(40))
def test_best_first_is_the_full_sort_cut_short(seed: int) -> None:
    """Heavy ties on levels and scores, at every cut."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(2, 3000))
    hits = np.sort(rng.choice(10 * size, size, replace=False))
    scores = rng.integers(0, 12, size).astype(np.float32) * np.float32(2.5)
    levels = rng.integers(1, int(rng.integers(2, 6)), size).astype(np.int16)
    full = np.lexsort((hits, -scores, -levels))
    for count in (1, 2, size // 3 + 1, size - 1, size):
        expected = full[:count]
        assert search_module._best_first(hits, scores, levels, count).tolist() == expected.tolist()
        if count < size:
            contenders = search_module._contenders(scores, levels, count)
            assert set(expected.tolist()) <= set(contenders.tolist())


def test_titles_holding_a_phrase() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        titles = ["".join(rng.choice("ab ") for _ in range(rng.randrange(8))) for _ in range(5)]
        phrase = "".join(rng.choice("ab ") for _ in range(rng.randrange(1, 4)))
        expected = [i for i, title in enumerate(titles) if phrase in title]
        assert search_module._holding(titles, phrase) == expected


def test_the_word_cache_stays_bounded(
    demo: tuple[Catalogue, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue, _ = demo
    index = SearchIndex(catalogue)
    monkeypatch.setattr(search_module, "WORD_CACHE_POSTINGS", 50)
    before = results(index, "cloud partner")
    for word in ("cloud", "partner", "azure", "security", "data", "sales"):
        index.search(word)
        assert index._cached_postings <= 50 or len(index._word_cache) == 1
    assert results(index, "cloud partner") == before
