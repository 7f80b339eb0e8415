"""Text normalisation shared by search and question understanding."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = ("’", "‘", "`", "´")
_NON_WORD = re.compile(r"[^\w']+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


# For ASCII text, one byte-table lookup lower-cases letters and turns punctuation (everything
# but letters, digits, "_" and "'") into spaces: far cheaper than str.translate or a regex.
_ASCII_FOLD = bytes(
    ord(c.lower()) if (c.isalnum() or c in "_'") else ord(" ") for c in map(chr, range(128))
) + bytes(range(128, 256))


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "Délégation  Française" -> "delegation francaise"."""
    if text.isascii():  # most agenda text: no Unicode work, no regular expression
        return " ".join(text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    for quote in _QUOTES:  # str.replace per quote is far cheaper than str.translate
        if quote in text:
            text = text.replace(quote, "'")
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():  # accents gone, curly quotes straightened: the fast path again
        return " ".join(text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def fold_words(text: str) -> str:
    """`fold` with apostrophes as spaces, for matching phrases: "what's on" -> "what s on",
    "qu'est-ce qu'il y a" -> "qu est ce qu il y a"."""
    return " ".join(fold(text).replace("'", " ").split())
