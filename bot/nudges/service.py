"""Keeping the outbox in step with shortlists and the agenda.

Every shortlist change re-plans that attendee.  A catalogue reload first notes its schedule
changes (`bot.nudges.changes`): the attendees holding a nudge for a moved, re-roomed or
cancelled session -- found through the outbox's session index, then checked against their
shortlist -- get a debounced notice.  Then every attendee with a nudge still pending, and
every attendee told, is re-planned (a moved session gets a nudge for its new time, also when
the nudge for the old time has gone out already; a cancelled one none).  The planner is pure;
this is the small piece of I/O around it.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from botbuilder.schema import Activity

from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.nudges.changes import DEFAULT_DEBOUNCE, schedule_changes
from bot.nudges.outbox import Outbox
from bot.nudges.planner import DEFAULT_LEAD, NudgeSettings, plan_digests, plan_for
from bot.nudges.references import ReferenceStore
from bot.nudges.settings_store import NudgeSettingsStore
from bot.shortlist_store import Owner, Shortlist, ShortlistStore
from catalogue.diff import CatalogueDiff

log = logging.getLogger(__name__)

DEFAULT_DIGEST_AT = time(8, 0)


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
        notice_window: timedelta = DEFAULT_DEBOUNCE,
        digest_at: time = DEFAULT_DIGEST_AT,
    ) -> None:
        self.outbox = outbox
        self.references = references
        self._shortlists = shortlists
        self._live = live
        self._clock = clock
        self._default = NudgeSettings(lead=lead)
        self._settings = settings
        self.notice_window = notice_window
        """How long a burst of agenda edits is gathered into one notice per attendee."""
        self.digest_at = digest_at
        """The local time of the morning summary, for those who asked for it."""

    async def replan(self, owner: Owner, shortlist: Shortlist | None = None) -> None:
        """Make the attendee's pending nudges (and morning summaries) match their shortlist
        and today's agenda."""
        if shortlist is None:
            shortlist = await self._shortlists.get(owner)
        catalogue = self._live.catalogue
        settings = await self.settings_for(owner)
        now = self._clock.now()
        channel, user, entries = owner.channel_id, owner.user_id, shortlist.entries
        planned = [
            *plan_for(channel, user, entries, catalogue, settings, now),
            *plan_digests(channel, user, entries, catalogue, settings, now, self.digest_at),
        ]
        await self.outbox.replan(owner.channel_id, owner.user_id, planned)

    async def settings_for(self, owner: Owner) -> NudgeSettings:
        return await self._settings.get(owner) if self._settings else self._default

    async def change_settings(
        self,
        owner: Owner,
        *,
        minutes: int | None = None,
        enabled: bool | None = None,
        muted_until: datetime | None = None,
        unmute: bool = False,
        digest: bool | None = None,
    ) -> NudgeSettings:
        """The attendee said how they want their nudges; their pending ones follow at once.

        `muted_until` starts (or moves) a mute, `unmute` ends it; what is not given is kept."""
        current = await self.settings_for(owner)
        mute = None if unmute else current.muted_until
        changed = NudgeSettings(
            enabled=current.enabled if enabled is None else enabled,
            lead=current.lead if minutes is None else timedelta(minutes=minutes),
            muted_until=muted_until if muted_until is not None else mute,
            digest=current.digest if digest is None else digest,
        )
        if self._settings is not None:
            await self._settings.put(owner, changed)
        await self.replan(owner)
        return changed

    async def catalogue_changed(self, changes: CatalogueDiff) -> int:
        """After a reload: note the schedule changes (notices for the attendees concerned, see
        the module docs), then re-plan.  How many attendees were re-planned."""
        noted = schedule_changes(changes)
        shortlists: dict[Owner, Shortlist] = {}
        recipients: dict[str, set[tuple[str, str]]] = {}
        news = [change.session_id for change in noted if change.is_news]
        for session_id, owners in (await self.outbox.holders(news)).items():
            for channel_id, user_id in sorted(owners):
                owner = Owner(channel_id, user_id)
                if owner not in shortlists:
                    shortlists[owner] = await self._shortlists.get(owner)
                # A sent nudge stays in the outbox after its session leaves the shortlist.
                if shortlists[owner].has(session_id):
                    recipients.setdefault(session_id, set()).add((channel_id, user_id))
        if noted:
            touched = await self.outbox.note_changes(
                noted, recipients, self._clock.now(), self.notice_window
            )
            if touched:
                log.info("nudges: %d schedule-change notices made or updated", touched)
        told = {Owner(c, u): shortlists[Owner(c, u)] for who in recipients.values() for c, u in who}
        return await self.replan_pending(told)

    async def replan_pending(self, also: dict[Owner, Shortlist] | None = None) -> int:
        """Re-plan every attendee who has a nudge pending (after a catalogue reload), and the
        attendees in `also` (with their shortlist, already read)."""
        known = also or {}
        pending = [Owner(c, u) for c, u in await self.outbox.pending_owners()]
        owners = list(dict.fromkeys([*pending, *known]))
        for owner in owners:
            await self.replan(owner, known.get(owner))
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
