"""HTTP routes: the Bot Framework messaging endpoint and the health check.

The messaging endpoint checks the request before botbuilder sees it, so a malformed call gets a
short 4xx reason instead of a traceback, and logs one line per turn with its latency.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.auth import KeyServerUnavailable
from bot.inbound import read_activity
from bot.live_catalogue import LiveCatalogue
from bot.nudges.outbox import Outbox
from bot.storage import HallwayStorage

log = logging.getLogger("hallway.turns")


class MessagesEndpoint:
    def __init__(self, adapter: CloudAdapter, bot: Bot, *, require_token: bool) -> None:
        self._adapter = adapter
        self._bot = bot
        self._require_token = require_token

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        kind = "-"
        channel = "-"
        status = 500
        try:
            raw = await _read_activity(request)
            kind, channel = raw["type"], raw.get("channelId", "-")
            response = await self._process(request, raw)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            log.info(
                "turn type=%s channel=%s status=%d latency_ms=%.1f",
                kind,
                channel,
                status,
                (time.perf_counter() - started) * 1000,
            )

    async def _process(self, request: web.Request, raw: dict[str, Any]) -> web.Response:
        try:
            activity = read_activity(raw)
        except Exception as error:  # msrest raises several types for malformed fields
            raise _bad_request(f"the activity could not be read: {error}") from error
        authenticated = await self._authenticate(request, activity)
        try:
            invoke_response = await self._adapter.process_activity(
                authenticated, activity, self._bot.on_turn
            )
        except Exception as error:
            # Turn errors are handled by the adapter's on_turn_error; what reaches here failed
            # around the turn (connector set-up).
            log.exception("activity not processed")
            raise web.HTTPServiceUnavailable(
                text="the bot cannot process activities right now; try again shortly"
            ) from error
        if invoke_response is not None:
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=200)

    async def _authenticate(self, request: web.Request, activity: Activity) -> Any:
        """Check the caller before the turn: any token botbuilder refuses is a 401, whatever
        exception type it refuses it with (several are plain `Exception`s); only an unreachable
        key server is the bot's problem (503)."""
        auth_header = request.headers.get("Authorization", "")
        if self._require_token and not auth_header.startswith("Bearer "):
            # botbuilder fails on a missing header with an AttributeError instead.
            raise web.HTTPUnauthorized(text="a Bot Framework bearer token is required")
        try:
            return await self._adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except KeyServerUnavailable as error:
            raise web.HTTPServiceUnavailable(
                text="cannot verify the token right now; try again shortly",
                headers={"Retry-After": "5"},
            ) from error
        except Exception as error:
            log.info("refused an activity: %s: %s", type(error).__name__, error)
            raise web.HTTPUnauthorized(text="unauthorized") from error


async def _read_activity(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(
            text=f"expected Content-Type application/json, got {request.content_type or 'none'}"
        )
    body = await request.read()  # aiohttp answers 413 itself past client_max_size
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _bad_request("the body is not valid JSON") from error
    if not isinstance(document, dict):
        raise _bad_request("the body must be a JSON object (a Bot Framework activity)")
    problems = _activity_problems(document)
    if problems:
        raise _bad_request("invalid activity: " + "; ".join(problems))
    return document


def _activity_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(document.get("type"), str) or not document["type"]:
        problems.append("'type' must be a non-empty string")
    for name in ("channelId", "serviceUrl"):
        if not isinstance(document.get(name), str) or not document[name]:
            problems.append(f"'{name}' is required")
    service_url = document.get("serviceUrl")
    if isinstance(service_url, str) and not _http_url(service_url):
        problems.append("'serviceUrl' must be an http(s) URL with a host")
    conversation = document.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
        problems.append("'conversation.id' is required")
    sender = document.get("from")
    if sender is not None and not isinstance(sender, dict):
        problems.append("'from' must be an object")
    for name in ("text", "locale", "id", "timestamp"):
        if document.get(name) is not None and not isinstance(document[name], str):
            problems.append(f"'{name}' must be a string")
    return problems


def _http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed port or IPv6 address
        return False


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=reason[:300])


class HealthEndpoint:
    """`GET /healthz`: 200 with what is being served once the catalogue and storage are ready."""

    COUNTS_TTL = 10.0
    """Seconds the outbox counts are reused: counting a big table is not free."""

    def __init__(
        self,
        live: LiveCatalogue,
        storage: HallwayStorage,
        version: str,
        outbox: Outbox | None = None,
    ) -> None:
        self._live = live
        self._storage = storage
        self._version = version
        self._outbox = outbox
        self._counts: dict[str, int] | None = None
        self._counted_at = 0.0

    async def _nudge_counts(self) -> dict[str, int] | None:
        if self._outbox is None:
            return None
        if self._counts is None or time.monotonic() - self._counted_at > self.COUNTS_TTL:
            self._counts = await asyncio.wait_for(self._outbox.counts(), timeout=2)
            self._counted_at = time.monotonic()
        return self._counts

    async def handle(self, request: web.Request) -> web.Response:
        catalogue = self._live.catalogue
        report: dict[str, Any] = {
            "status": "ok",
            "catalogue": catalogue.conference.name,
            "sessions": len(catalogue.sessions),
            "timezone": catalogue.timezone.key,
            "storage": self._storage.kind,
            "version": self._version,
        }
        try:
            await asyncio.wait_for(self._storage.ping(), timeout=2)
        except Exception as error:
            log.warning("health check: storage unreachable: %s", error)
            report["status"] = "storage unreachable"
            return web.json_response(report, status=503)
        try:
            counts = await self._nudge_counts()
        except Exception as error:
            log.warning("health check: nudge outbox unreachable: %s", error)
            report["status"] = "nudge outbox unreachable"
            return web.json_response(report, status=503)
        if counts is not None:
            report["nudges"] = counts
        return web.json_response(report)
