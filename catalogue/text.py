"""Text normalisation shared by search and question understanding."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NON_WORD = re.compile(r"[^\w']+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "Délégation  Française" -> "delegation francaise"."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():  # most agenda text is ASCII: skip the Unicode work for it
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def fold_words(text: str) -> str:
    """`fold` with apostrophes as spaces, for matching phrases: "what's on" -> "what s on",
    "qu'est-ce qu'il y a" -> "qu est ce qu il y a"."""
    return " ".join(fold(text).replace("'", " ").split())
