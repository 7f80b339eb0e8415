"""Process each incoming message once, even when the channel delivers it twice.

Teams re-sends a message when the bot has not answered within 15 seconds, and a client may
retry a POST. The first delivery claims the activity id in the shared storage (a create that
fails if the key exists), so a re-delivery is dropped on whichever instance it lands.
"""

from __future__ import annotations

import logging

from botbuilder.core import Storage
from botbuilder.schema import Activity

from bot.storage import StorageConflictError

log = logging.getLogger(__name__)

# An eTag no stored document has: the write only succeeds when the key does not exist yet.
CLAIM = "hallway:claim"


class Deduplicator:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def first_delivery(self, activity: Activity) -> bool:
        """True the first time this activity is seen; False for a re-delivery."""
        if not activity.id:
            return True
        conversation = activity.conversation.id if activity.conversation else ""
        key = f"seen/{activity.channel_id}/{conversation}/{activity.id}"
        try:
            await self._storage.write({key: {"e_tag": CLAIM}})
        except StorageConflictError:
            log.info("dropped a re-delivered activity %s on %s", activity.id, activity.channel_id)
            return False
        return True
