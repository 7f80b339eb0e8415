"""Benchmark: reading an incoming activity, msrest against `bot.inbound`.

    python -m benchmarks.inbound_read [--activity NAME] [--number N] [--repeat R]

Times, in microseconds per call (the best of ``--repeat`` rounds of ``--number`` calls, so that
a busy machine disturbs the figures less):

- ``Activity().deserialize(document)`` (msrest, what `bot.routes` did) against
  `bot.inbound.read_activity(document)`, on a real activity from ``$HALLWAY_SHARED/activities``
  (default: the Teams channel message that @mentions the bot);
- what `bot.mentions._as_dict` costs for each of that activity's entities: msrest's
  ``entity.serialize()`` (before) against `bot.wire.to_wire` (now).

No target: the figures go in the report of the change that made `bot.inbound`.
"""

from __future__ import annotations

import argparse
import json
import os
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from botbuilder.schema import Activity

from bot.inbound import read_activity
from bot.mentions import _as_dict

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HALLWAY_SHARED", ROOT.parent / "shared"))
DEFAULT_ACTIVITY = "teams-message-channel-atMention.json"


def _per_call_us(call: Callable[[], Any], number: int, repeat: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=repeat)) / number * 1e6


def _as_dict_with_msrest(entity: Any) -> dict[str, Any]:
    """`bot.mentions._as_dict` as it was: msrest's serializer for every entity."""
    return {**(entity.additional_properties or {}), **entity.serialize()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inbound_read")
    parser.add_argument("--activity", default=DEFAULT_ACTIVITY, help="a file of shared/activities")
    parser.add_argument("--number", type=int, default=2000, help="calls per round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (the best one counts)")
    args = parser.parse_args(argv)

    document = json.loads((SHARED / "activities" / args.activity).read_text(encoding="utf-8"))
    activity = read_activity(document)
    assert activity == Activity().deserialize(document), "the two readers disagree"
    entities = list(activity.entities or ())

    rows = [
        ("Activity().deserialize (msrest)", lambda: Activity().deserialize(document)),
        ("read_activity", lambda: read_activity(document)),
    ]
    if entities:
        rows += [
            (
                "_as_dict, all entities, msrest serialize()",
                lambda: [_as_dict_with_msrest(entity) for entity in entities],
            ),
            ("_as_dict, all entities, to_wire", lambda: [_as_dict(entity) for entity in entities]),
        ]
    print(f"{args.activity}: {len(entities)} entities")
    for label, call in rows:
        print(f"  {label:<45} {_per_call_us(call, args.number, args.repeat):8.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
