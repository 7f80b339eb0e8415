"""Where to reach each attendee: their conversation reference, stored durably per channel and user.

A reference is saved whenever the attendee talks to the bot (and when the bot is installed for
them), under ``reference/{channel}/{user}`` in the bot's storage, with the locale they wrote in.
A personal chat is where nudges belong: once the attendee has one, a reference from a group
conversation does not replace it.  `BotState` accessors only work inside a turn, so the
dispatcher reads these documents directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botbuilder.core import Storage, TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.shortlist_store import Owner
from bot.wire import to_wire

log = logging.getLogger(__name__)

GROUP_CONVERSATION_TYPES = frozenset({"channel", "groupChat"})


def reference_key(owner: Owner) -> str:
    return f"reference/{owner.channel_id}/{owner.user_id}"


def is_group(activity: Activity) -> bool:
    conversation = activity.conversation
    return bool(
        conversation
        and (conversation.is_group or conversation.conversation_type in GROUP_CONVERSATION_TYPES)
    )


@dataclass(frozen=True)
class StoredReference:
    reference: ConversationReference
    locale: str
    personal: bool
    unreachable: bool = False


class ReferenceStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def save(self, activity: Activity) -> bool:
        """Remember where the sender of `activity` can be reached; True when they had been
        marked unreachable (they are talking to the bot again: re-plan their nudges)."""
        sender = activity.from_property
        if sender is None or not sender.id or not activity.channel_id:
            return False
        if activity.conversation is None or not activity.service_url:
            return False
        owner = Owner(activity.channel_id, sender.id)
        key = reference_key(owner)
        existing = (await self._storage.read([key])).get(key)
        personal = not is_group(activity)
        was_unreachable = bool(existing and existing.get("unreachable"))
        if existing and existing.get("personal") and not personal and not was_unreachable:
            return False  # keep the personal chat
        reference = TurnContext.get_conversation_reference(activity)
        document: dict[str, Any] = {
            "reference": to_wire(reference),  # msrest's JSON form, without msrest's cost
            "locale": activity.locale or "",
            "personal": personal,
            "unreachable": False,
        }
        if existing and all(existing.get(name) == value for name, value in document.items()):
            return False  # nothing new: spare the write
        await self._storage.write({key: {**document, "e_tag": "*"}})
        return was_unreachable

    async def get(self, owner: Owner) -> StoredReference | None:
        key = reference_key(owner)
        document = (await self._storage.read([key])).get(key)
        if not document or not isinstance(document.get("reference"), dict):
            return None
        return StoredReference(
            reference=ConversationReference().deserialize(document["reference"]),
            locale=str(document.get("locale") or ""),
            personal=bool(document.get("personal")),
            unreachable=bool(document.get("unreachable")),
        )

    async def mark_unreachable(self, owner: Owner) -> None:
        """The channel refused a send with 403: note it, so the attendee's next message tells
        the bot they can be reached again."""
        key = reference_key(owner)
        existing = (await self._storage.read([key])).get(key)
        if not existing:
            return
        document = {k: v for k, v in existing.items() if k != "e_tag"}
        await self._storage.write({key: {**document, "unreachable": True, "e_tag": "*"}})
