"""`GET /api/admin/nudges?within=30m`: what the bot is about to send (bearer `ADMIN_TOKEN`)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.admin import refused
from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.nudges.outbox import Outbox

MAX_ROWS = 1000
_DURATION = re.compile(r"^\s*(\d{1,5})\s*(s|m|h|d)?\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", None: "minutes"}


def parse_within(text: str) -> timedelta:
    """ "30m", "2h", "90s", "1d"; a bare number is minutes."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"'within' must look like 30m, 2h or 90s, not {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


class NudgesEndpoint:
    def __init__(self, outbox: Outbox, live: LiveCatalogue, clock: Clock, admin_token: str) -> None:
        self._outbox = outbox
        self._live = live
        self._clock = clock
        self._token = admin_token

    async def handle(self, request: web.Request) -> web.Response:
        refusal = refused(request, self._token)
        if refusal is not None:
            return refusal
        try:
            within = parse_within(request.query.get("within", "30m"))
        except ValueError as error:
            return web.json_response({"error": str(error)}, status=400)
        now = self._clock.now()
        records = await self._outbox.upcoming(now, within, limit=MAX_ROWS)
        catalogue = self._live.catalogue
        rows: list[dict[str, Any]] = []
        for record in records:
            session = catalogue.get(record.session_id)
            rows.append(
                {
                    "channel": record.channel_id,
                    "user": record.user_id,
                    "session": record.session_id,
                    "title": session.title if session else None,
                    "starts": catalogue.local(record.session_start).isoformat(),
                    "due": catalogue.local(record.due_at).isoformat(),
                    "status": record.status.value,
                    "attempts": record.attempts,
                }
            )
        return web.json_response(
            {"now": catalogue.local(now).isoformat(), "within_seconds": within.total_seconds(),
             "count": len(rows), "nudges": rows}
        )  # fmt: skip
