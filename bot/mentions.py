"""What the attendee said to the bot, without the @mention that addressed it.

botbuilder-python's `TurnContext.remove_mention_text` deletes the bot's name everywhere in the
message ("@Hallway what is Hallway?" loses both), so only the exact text of the mention
entities addressed to this bot is removed here, once each. Mentions of other people stay.
"""

from __future__ import annotations

import html
from typing import Any

from botbuilder.schema import Activity
from msrest.serialization import Model

from bot.wire import to_wire


def text_for_bot(activity: Activity) -> str:
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or ():
        mention = _as_dict(entity)
        if mention.get("type") != "mention":
            continue
        mentioned = mention.get("mentioned") or {}
        if not bot_id or mentioned.get("id") != bot_id:
            continue
        mention_text = mention.get("text") or ""
        if mention_text and mention_text in text:
            text = text.replace(mention_text, " ", 1)
    return " ".join(html.unescape(text).split())


def _as_dict(entity: Any) -> dict[str, Any]:
    """Entities arrive as botbuilder `Entity` objects whose extra fields sit in a dict."""
    if isinstance(entity, dict):
        return entity
    if isinstance(entity, Model):
        # What msrest's `serialize()` gives for a schema model, without its serializer's cost.
        serialized: dict[str, Any] = to_wire(entity)
    else:
        serialized = entity.serialize() if hasattr(entity, "serialize") else {}
    extra = getattr(entity, "additional_properties", None) or {}
    return {**extra, **serialized}
