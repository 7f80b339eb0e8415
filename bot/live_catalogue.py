"""The catalogue version the bot answers from, swappable atomically on reload.

A turn takes `current` once and uses that version throughout, so a reload in the middle of a
turn never mixes two versions of the agenda in one answer.
"""

from __future__ import annotations

from catalogue.ask import Answerer
from catalogue.diff import CatalogueDiff, diff
from catalogue.model import Catalogue


class LiveCatalogue:
    def __init__(self, catalogue: Catalogue) -> None:
        self._current = Answerer.for_catalogue(catalogue)
        self.version = 1

    @property
    def current(self) -> Answerer:
        return self._current

    @property
    def catalogue(self) -> Catalogue:
        return self._current.catalogue

    def swap(self, answerer: Answerer) -> CatalogueDiff:
        """Serve a fully indexed new version from now on; say what changed."""
        changes = diff(self._current.catalogue, answerer.catalogue)
        self._current = answerer
        self.version += 1
        return changes
