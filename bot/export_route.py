"""`GET /shortlist/{token}.ics`: an attendee's shortlist as a calendar file.

The token is unguessable and per attendee, so the link can be pasted into a calendar app's
"subscribe" box; the file is built from the current agenda on every request, so a session
that moved shows its new time at the calendar's next refresh.
"""

from __future__ import annotations

from aiohttp import web

from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.shortlist_store import ShortlistStore
from catalogue.ical_export import shortlist_calendar


class ShortlistExportEndpoint:
    def __init__(self, store: ShortlistStore, live: LiveCatalogue, clock: Clock) -> None:
        self._store = store
        self._live = live
        self._clock = clock

    async def handle(self, request: web.Request) -> web.Response:
        owner = await self._store.owner_of_token(request.match_info["token"])
        if owner is None:
            raise web.HTTPNotFound(text="no shortlist at this address")
        shortlist = await self._store.get(owner)
        catalogue = self._live.catalogue
        sessions = [s for e in shortlist.entries if (s := catalogue.get(e.session_id))]
        body = shortlist_calendar(catalogue.conference, sessions, stamped=self._clock.now())
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="my-shortlist.ics"',
                "Cache-Control": "private, no-store",
            },
        )
