"""Every Adaptive Card the bot sends must validate against the 1.5 schema Teams renders."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from tests.paths import SCHEMAS

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@cache
def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads((SCHEMAS / "adaptive-card-1.5.0.schema.json").read_text())
    return jsonschema.Draft6Validator(schema)


def card_problems(card: dict[str, Any]) -> list[str]:
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(card)]
    if card.get("version") != "1.5":
        problems.append(f"version {card.get('version')!r}, Teams renders up to 1.5")
    return problems


def activity_card_problems(activity: dict[str, Any]) -> list[str]:
    """Problems of every Adaptive Card attached to an activity the bot sent."""
    problems = []
    for attachment in activity.get("attachments") or ():
        if attachment.get("contentType") == ADAPTIVE_CARD:
            problems += card_problems(attachment["content"])
    return problems
