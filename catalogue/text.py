"""Text normalisation shared by search and question understanding."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w']+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "Délégation  Française" -> "delegation francaise"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).split())


def fold_words(text: str) -> str:
    """`fold` with apostrophes as spaces, for matching phrases: "what's on" -> "what s on",
    "qu'est-ce qu'il y a" -> "qu est ce qu il y a"."""
    return " ".join(fold(text).replace("'", " ").split())
