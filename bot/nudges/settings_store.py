"""Each attendee's nudge settings, said in words ("remind me 15 minutes before", "mute until
3pm", "send me a morning summary"), as one document in the bot's storage."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from botbuilder.core import Storage

from bot.nudges.planner import NudgeSettings
from bot.shortlist_store import Owner

log = logging.getLogger(__name__)


def _instant(value: Any) -> datetime | None:
    """A stored ISO instant; anything else (absent, unreadable, without offset) is no mute."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        log.warning("nudge settings: ignoring an unreadable muted_until %r", value)
        return None
    return moment if moment.tzinfo is not None and moment.utcoffset() is not None else None


class NudgeSettingsStore:
    def __init__(self, storage: Storage, default_lead: timedelta) -> None:
        self._storage = storage
        self._default = NudgeSettings(lead=default_lead)

    @staticmethod
    def key(owner: Owner) -> str:
        return f"nudge-settings/{owner.channel_id}/{owner.user_id}"

    async def get(self, owner: Owner) -> NudgeSettings:
        document = (await self._storage.read([self.key(owner)])).get(self.key(owner))
        if not document:
            return self._default
        return NudgeSettings(
            enabled=bool(document.get("enabled", True)),
            lead=timedelta(minutes=float(document.get("lead_minutes", self._default_minutes))),
            muted_until=_instant(document.get("muted_until")),
            digest=bool(document.get("digest", False)),
        )

    async def put(self, owner: Owner, settings: NudgeSettings) -> None:
        muted = settings.muted_until
        document = {
            "enabled": settings.enabled,
            "lead_minutes": settings.lead.total_seconds() / 60,
            # In UTC: one spelling per instant, whatever zone the attendee's words were read in.
            "muted_until": muted.astimezone(UTC).isoformat() if muted else None,
            "digest": settings.digest,
            "e_tag": "*",  # the attendee's latest word wins
        }
        await self._storage.write({self.key(owner): document})

    @property
    def _default_minutes(self) -> float:
        return self._default.lead.total_seconds() / 60
