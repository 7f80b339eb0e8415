"""Read an agenda file in whatever format the organiser exported it.

The format is detected from the content (not the file name), and can be forced. Each format
lives in its own module exposing `parse(text, *, source, options) -> Catalogue`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.importers import csvfile, frab_json, frab_xml, ical, native, sessionize
from catalogue.importers.common import CatalogueError, ImportOptions, decode_text
from catalogue.model import Catalogue

Parser = Callable[..., Catalogue]

PARSERS: dict[str, Parser] = {
    "native": native.parse,
    "sessionize": sessionize.parse,
    "frab-xml": frab_xml.parse,
    "frab-json": frab_json.parse,
    "ical": ical.parse,
    "csv": csvfile.parse,
}
FORMATS = tuple(PARSERS)

__all__ = ["FORMATS", "CatalogueError", "ImportOptions", "detect_format", "load", "parse_text"]


def detect_format(text: str, source: str = "catalogue") -> str:
    """Name the format of an agenda from its content."""
    head = text.lstrip()
    if head[:1] == "{" and '"hallway"' in head[:200]:
        return "native"  # Hallway's own format says so up front: no need to parse it twice
    if head[:1] in ("{", "["):
        try:
            document: Any = json.loads(text)
        except json.JSONDecodeError as error:
            raise CatalogueError(
                f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from error
        return _json_shape(document, source)
    if head.startswith("<"):
        return "frab-xml"
    if head[:15].upper().startswith("BEGIN:VCALENDAR"):
        return "ical"
    first_line = head.split("\n", 1)[0]
    if any(sep in first_line for sep in (",", ";", "\t")):
        return "csv"
    raise CatalogueError(
        f"{source}: not a known agenda format (expected JSON, frab XML, iCalendar or CSV)"
    )


def _json_shape(document: Any, source: str) -> str:
    if isinstance(document, dict):
        if "hallway" in document or (
            isinstance(document.get("conference"), dict) and "sessions" in document
        ):
            return "native"
        if isinstance(document.get("schedule"), dict):
            return "frab-json"
        if isinstance(document.get("sessions"), list) and "speakers" in document:
            return "sessionize"
    raise CatalogueError(
        f"{source}: JSON of an unknown shape (expected Hallway, Sessionize 'All', "
        "frab or pretalx schedule JSON)"
    )


def parse_text(
    text: str, *, source: str, format: str | None = None, options: ImportOptions | None = None
) -> Catalogue:
    chosen = format or detect_format(text, source)
    parser = PARSERS.get(chosen)
    if parser is None:
        raise CatalogueError(f"unknown format {chosen!r}; choose one of {', '.join(FORMATS)}")
    return parser(text, source=source, options=options or ImportOptions())


def load(
    path: str | Path, *, format: str | None = None, options: ImportOptions | None = None
) -> Catalogue:
    """Load an agenda file; raise `CatalogueError` with a one-line reason if it is unusable."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as error:
        raise CatalogueError(f"{source}: no such file") from error
    except IsADirectoryError as error:
        raise CatalogueError(f"{source}: is a directory, not a file") from error
    except OSError as error:
        raise CatalogueError(f"{source}: cannot be read ({error.strerror})") from error
    return parse_text(decode_text(data, source), source=source, format=format, options=options)
