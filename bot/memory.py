"""What the bot last showed each attendee in a conversation, for follow-ups.

"more" pages through the rest of the last answer; "add the second one" picks from the sessions
last offered. It is per user within a conversation, so in a group chat each attendee's "more"
follows their own question. Last write wins: it is a convenience, not a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import Storage

MAX_PENDING = 200


@dataclass(frozen=True, slots=True)
class Recall:
    offered: tuple[str, ...] = ()
    """Session ids last shown, in order."""
    pending: tuple[str, ...] = ()
    """Session ids of the last answer not shown yet, in order."""
    lead: str = ""
    question: str = ""
    """The last question answered, for follow-ups such as "et demain ?"."""


class ConversationMemory:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @staticmethod
    def key(channel_id: str, conversation_id: str, user_id: str) -> str:
        return f"memory/{channel_id}/{conversation_id}/{user_id}"

    async def recall(self, key: str) -> Recall:
        document = (await self._storage.read([key])).get(key)
        if not document:
            return Recall()
        return Recall(
            offered=tuple(document.get("offered", ())),
            pending=tuple(document.get("pending", ())),
            lead=str(document.get("lead", "")),
            question=str(document.get("question", "")),
        )

    async def remember(self, key: str, recall: Recall) -> None:
        document: dict[str, Any] = {
            "offered": list(recall.offered),
            "pending": list(recall.pending[:MAX_PENDING]),
            "lead": recall.lead,
            "question": recall.question,
            "e_tag": "*",
        }
        await self._storage.write({key: document})
