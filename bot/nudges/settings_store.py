"""Each attendee's nudge settings, said in words ("remind me 15 minutes before")."""

from __future__ import annotations

from datetime import timedelta

from botbuilder.core import Storage

from bot.nudges.planner import NudgeSettings
from bot.shortlist_store import Owner


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
        )

    async def put(self, owner: Owner, settings: NudgeSettings) -> None:
        document = {
            "enabled": settings.enabled,
            "lead_minutes": settings.lead.total_seconds() / 60,
            "e_tag": "*",  # the attendee's latest word wins
        }
        await self._storage.write({self.key(owner): document})

    @property
    def _default_minutes(self) -> float:
        return self._default.lead.total_seconds() / 60
