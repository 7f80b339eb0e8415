"""`as_text` escapes exactly what the two Markdown passes escape. It skips them when a cheap
check shows there is nothing to escape, and remembers texts: neither may change a character."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import catalogue
from bot.cards import as_text
from catalogue.importers import load

_MARKDOWN = re.compile(r"([\\*_\[\]`~])")
_LINE_MARKUP = re.compile(r"^(\s*)(?:([#>+-])|(\d+)\.)(\s)", re.MULTILINE)

# Markup, digits (ASCII and others), and every kind of blank and line break the regular
# expressions tell apart: only "\n" starts a line for `^`, but `\s` crosses them all.
TRICKY = list("ab1٣９.#>+-*_[]`~\\ \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u2029")


def reference(text: str) -> str:
    """`as_text` as first written: both substitutions on every text."""
    escaped = _MARKDOWN.sub(r"\\\1", text)
    return _LINE_MARKUP.sub(
        lambda m: f"{m[1]}\\{m[2]}{m[4]}" if m[2] else f"{m[1]}{m[3]}\\.{m[4]}", escaped
    )


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=24))
def test_escapes_as_both_passes_do(text: str) -> None:
    assert as_text(text) == reference(text)
    assert as_text(text) == reference(text)  # from the cache this time


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_escapes_any_text_as_both_passes_do(text: str) -> None:
    assert as_text(text) == reference(text)


def test_escapes_the_demo_agenda_as_both_passes_do() -> None:
    agenda = load(Path(catalogue.__file__).parent / "data" / "wpc2016.json")
    texts = [
        text
        for s in agenda.sessions
        for text in (s.title, s.subtitle, s.abstract, s.room, *(p.bio for p in s.speakers))
    ]
    assert [as_text(t) for t in texts] == [reference(t) for t in texts]


def test_examples() -> None:
    assert as_text("- item\n  12. twelve\n\n# title") == "\\- item\n  12\\. twelve\n\n\\# title"
    assert as_text("a*b [c]") == "a\\*b \\[c\\]"
    assert as_text("nothing to escape. 3 - 4") == "nothing to escape. 3 - 4"
