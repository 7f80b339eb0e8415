"""Keeping the outbox in step with shortlists and the agenda.

Every shortlist change re-plans that attendee; a catalogue reload re-plans every attendee with
a nudge still pending (a moved session gets a nudge for its new time, a cancelled one none).
The planner is pure; this is the small piece of I/O around it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from botbuilder.schema import Activity

from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.nudges.outbox import Outbox
from bot.nudges.planner import DEFAULT_LEAD, NudgeSettings, plan_for
from bot.nudges.references import ReferenceStore
from bot.nudges.settings_store import NudgeSettingsStore
from bot.shortlist_store import Owner, Shortlist, ShortlistStore

log = logging.getLogger(__name__)


class NudgeService:
    def __init__(
        self,
        outbox: Outbox,
        shortlists: ShortlistStore,
        references: ReferenceStore,
        live: LiveCatalogue,
        clock: Clock,
        *,
        lead: timedelta = DEFAULT_LEAD,
        settings: NudgeSettingsStore | None = None,
    ) -> None:
        self.outbox = outbox
        self.references = references
        self._shortlists = shortlists
        self._live = live
        self._clock = clock
        self._default = NudgeSettings(lead=lead)
        self._settings = settings

    async def replan(self, owner: Owner, shortlist: Shortlist | None = None) -> None:
        """Make the attendee's pending nudges match their shortlist and today's agenda."""
        if shortlist is None:
            shortlist = await self._shortlists.get(owner)
        planned = plan_for(
            owner.channel_id,
            owner.user_id,
            shortlist.entries,
            self._live.catalogue,
            await self.settings_for(owner),
            self._clock.now(),
        )
        await self.outbox.replan(owner.channel_id, owner.user_id, planned)

    async def settings_for(self, owner: Owner) -> NudgeSettings:
        return await self._settings.get(owner) if self._settings else self._default

    async def change_settings(
        self, owner: Owner, *, minutes: int | None, enabled: bool | None
    ) -> NudgeSettings:
        """The attendee said how they want their nudges; their pending ones follow at once."""
        current = await self.settings_for(owner)
        changed = NudgeSettings(
            enabled=current.enabled if enabled is None else enabled,
            lead=current.lead if minutes is None else timedelta(minutes=minutes),
            muted_until=current.muted_until,
        )
        if self._settings is not None:
            await self._settings.put(owner, changed)
        await self.replan(owner)
        return changed

    async def replan_pending(self) -> int:
        """Re-plan every attendee who has a nudge pending (after a catalogue reload)."""
        owners = await self.outbox.pending_owners()
        for channel_id, user_id in owners:
            await self.replan(Owner(channel_id, user_id))
        if owners:
            log.info("nudges: re-planned %d attendees", len(owners))
        return len(owners)

    async def seen(self, activity: Activity) -> None:
        """An attendee talked to the bot: remember where to reach them; if a 403 had made them
        unreachable, they are reachable again."""
        if await self.references.save(activity) and activity.from_property:
            owner = Owner(activity.channel_id, activity.from_property.id)
            await self.outbox.clear_unreachable(owner.channel_id, owner.user_id)
            await self.replan(owner)
