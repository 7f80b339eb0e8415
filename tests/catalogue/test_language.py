"""A question's language from its function words; no signal means no verdict."""

from __future__ import annotations

import pytest

from catalogue.language import written_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("qui parle de SMB demain ?", "fr"),
        ("Qu'est-ce qu'il y a après la keynote ?", "fr"),
        ("et demain ?", "fr"),
        ("quoi de neuf cet après-midi", "fr"),
        ("what's on now?", "en"),
        ("anything about cloud this afternoon?", "en"),
        ("when is the kubernetes security talk?", "en"),
        # A title, a name, a word shared by both, a command: the locale decides.
        ("keynote", None),
        ("SMB", None),
        ("help", None),
        ("more", None),
        ("Satya Nadella", None),
        ("la keynote", None),  # one function word is not enough
        ("la keynote on Monday", "en"),  # more English than French
    ],
)
def test_written_in(text: str, expected: str | None) -> None:
    assert written_in(text) == expected
