"""`python -m catalogue check FILE`: what an organiser needs to trust an agenda file.

Loads the file as the bot would and reports the format, the conference, sessions per day,
rooms, speakers, the keynote-like sessions, and every record skipped or repaired with where it
was and why. Exit status 0 when the catalogue is usable (even with warnings), 2 when it is not.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogue.importers import FORMATS, CatalogueError, ImportOptions, load
from catalogue.model import Catalogue

USABLE = 0
UNUSABLE = 2


def report(catalogue: Catalogue) -> dict[str, Any]:
    """The check's findings as plain data (the `--json` output)."""
    zone = catalogue.timezone
    per_day = Counter(catalogue.local(s.start).date().isoformat() for s in catalogue.sessions)
    return {
        "file": catalogue.source,
        "format": catalogue.format,
        "conference": catalogue.conference.name,
        "timezone": zone.key,
        "sessions": len(catalogue.sessions),
        "first": _brief(catalogue, 0),
        "last": _brief(catalogue, -1),
        "days": dict(sorted(per_day.items())),
        "rooms": list(catalogue.rooms),
        "tracks": list(catalogue.tracks),
        "speakers": len(catalogue.speakers),
        "keynotes": [
            {"id": s.id, "title": s.title, "start": catalogue.local(s.start).isoformat()}
            for s in catalogue.keynotes
        ],
        "skipped": [{"where": p.location, "reason": p.reason} for p in catalogue.skipped],
        "warnings": [{"where": p.location, "reason": p.reason} for p in catalogue.warnings],
    }


def _brief(catalogue: Catalogue, index: int) -> dict[str, str]:
    session = catalogue.sessions[index]
    return {
        "id": session.id,
        "title": session.title,
        "start": catalogue.local(session.start).isoformat(),
    }


def render_text(found: dict[str, Any]) -> str:
    lines = [
        f"{found['file']}: {found['format']} agenda, usable",
        f"  conference  {found['conference']}",
        f"  time zone   {found['timezone']}",
        f"  sessions    {found['sessions']} "
        f"(first {found['first']['start']} {found['first']['title']!r}, "
        f"last {found['last']['start']} {found['last']['title']!r})",
        "  per day     "
        + ", ".join(f"{day} {date.fromisoformat(day):%a}: {n}" for day, n in found["days"].items()),
        f"  rooms       {len(found['rooms'])}: " + _few(found["rooms"]),
        f"  tracks      {len(found['tracks'])}: " + _few(found["tracks"]),
        f"  speakers    {found['speakers']}",
        f"  keynotes    {len(found['keynotes'])}",
    ]
    lines += [f"    {k['start']}  {k['title']}  [{k['id']}]" for k in found["keynotes"]]
    lines.append(f"  skipped     {len(found['skipped'])}")
    lines += [f"    {p['where']}: {p['reason']}" for p in found["skipped"]]
    lines.append(f"  warnings    {len(found['warnings'])}")
    lines += [f"    {p['where']}: {p['reason']}" for p in found["warnings"]]
    return "\n".join(lines)


def _few(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … (+{len(names) - limit})" if len(names) > limit else "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the agenda file to check")
    parser.add_argument("--timezone", help="IANA time zone for agendas that state none")
    parser.add_argument("--format", choices=FORMATS, help="force the format")
    parser.add_argument(
        "--first-day", help="date of the first day (YYYY-MM-DD) for agendas naming only weekdays"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        options = ImportOptions(
            timezone=_zone(args.timezone) if args.timezone else None,
            first_day=_day(args.first_day) if args.first_day else None,
        )
        catalogue = load(args.file, format=args.format, options=options)
    except CatalogueError as error:
        if args.json:
            json.dump({"file": args.file, "usable": False, "error": str(error)}, out)
            out.write("\n")
        else:
            out.write(f"{error}\n")
        return UNUSABLE
    found = report(catalogue)
    if args.json:
        json.dump({"usable": True, **found}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(render_text(found) + "\n")
    return USABLE


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CatalogueError(f"--timezone: unknown time zone {name!r}") from error


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CatalogueError(f"--first-day: {text!r} is not a date like 1999-08-06") from error
