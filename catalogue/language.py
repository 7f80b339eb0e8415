"""Which language a question is written in, told by its function words.

Attendees write in English or French whatever their client's locale says: a French speaker on
an English Teams asks "qui parle de SMB demain ?". The words that carry no topic (articles,
question words, prepositions, days) say which language a question is in; a bare title, a name
or "keynote" says nothing, and the caller keeps the locale.
"""

from __future__ import annotations

import re

from catalogue.text import fold

FRENCH_WORDS = frozenset(
    "le la les des du de qui que quoi quel quelle quels quelles est sur dans pour avec et il y "
    "je tu nous vous ce cet cette demain aujourd'hui hier apres avant pendant matin soir midi "
    "prochain prochaine suite ensuite salle parle quand juillet aout mercredi jeudi vendredi "
    "lundi mardi samedi dimanche".split()
)
ENGLISH_WORDS = frozenset(
    "the what what's whats is are on at in about who where when and of for with anything any "
    "today tomorrow yesterday morning afternoon evening tonight next after before during room "
    "july august monday tuesday wednesday thursday friday saturday sunday".split()
)
FRENCH_ELISIONS = ("l'", "d'", "qu'", "c'", "j'", "n'", "s'")
_WORDS = re.compile(r"[\w']+")
CLEAR = 2
"""Function words a question needs, more than the other language has, to be told apart."""


def function_words(folded: str) -> tuple[int, int]:
    """How many French and English function words a folded text holds."""
    words = _WORDS.findall(folded)
    french = sum(w in FRENCH_WORDS or w.startswith(FRENCH_ELISIONS) for w in words)
    english = sum(w in ENGLISH_WORDS for w in words)
    return french, english


def written_in(text: str) -> str | None:
    """ "fr" or "en" when the text clearly reads as one of them, else None."""
    french, english = function_words(fold(text))
    if french >= CLEAR and french > english:
        return "fr"
    if english >= CLEAR and english > french:
        return "en"
    return None
