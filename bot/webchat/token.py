"""`POST /api/directline/token`: the web page's one way to get a Direct Line token.

In production the bot exchanges `DIRECT_LINE_SECRET` with Azure's Direct Line, server-side, for
a token bound to the attendee's `dl_` user id; the secret never reaches a browser. Locally the
same endpoint hands out a token of the local Direct Line, so the page has a single code path.

Request body (optional): `{"userId": "dl_...", "locale": "fr-FR"}`; the page keeps the id it
was given in localStorage and sends it back, so an attendee keeps their shortlist between
visits. Answer: `{"token", "conversationId", "expires_in", "userId"}`.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from bot.webchat.access import LocalOnly, OriginPolicy
from bot.webchat.directline import IssuedToken, LocalDirectLine
from bot.webchat.protocol import (
    ProtocolError,
    error_response,
    locale_or_default,
    read_json_object,
    too_many_requests,
    user_id_or_new,
)
from bot.webchat.ratelimit import RateLimiter

log = logging.getLogger(__name__)

TOKEN_PATH = "/api/directline/token"


class TokenSource(Protocol):
    async def issue(self, user_id: str, locale: str) -> IssuedToken: ...


class LocalTokens:
    def __init__(self, directline: LocalDirectLine) -> None:
        self._directline = directline

    async def issue(self, user_id: str, locale: str) -> IssuedToken:
        return self._directline.issue(user_id, locale)


class DirectLineTokens:
    """Azure Bot Service's Direct Line: `POST {endpoint}/tokens/generate` with the secret."""

    def __init__(self, endpoint: str, secret: str, *, timeout_seconds: float = 10.0) -> None:
        self._url = f"{endpoint.rstrip('/')}/tokens/generate"
        self._secret = secret
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def issue(self, user_id: str, locale: str) -> IssuedToken:
        if self._session is None:
            # Made once and reused; trust_env so an egress proxy (HTTPS_PROXY) is honoured.
            self._session = aiohttp.ClientSession(timeout=self._timeout, trust_env=True)
        try:
            async with self._session.post(
                self._url,
                json={"user": {"id": user_id}},
                headers={"Authorization": f"Bearer {self._secret}"},
            ) as response:
                if response.status != 200:
                    # Never log the secret; the status says enough (403: wrong secret).
                    log.error("Direct Line refused a token: HTTP %d", response.status)
                    raise ProtocolError(502, "DirectLineError", "Direct Line refused a token")
                body: Any = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.error("Direct Line unreachable: %s", type(error).__name__)
            raise ProtocolError(
                502, "DirectLineUnreachable", "Direct Line cannot be reached"
            ) from error
        if not isinstance(body, dict) or not isinstance(body.get("token"), str):
            raise ProtocolError(502, "DirectLineError", "Direct Line answered without a token")
        return IssuedToken(
            conversation_id=str(body.get("conversationId", "")),
            token=body["token"],
            expires_in=int(body.get("expires_in", 1800)),
            user_id=user_id,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class TokenEndpoint:
    def __init__(
        self,
        source: TokenSource | None,
        *,
        origins: OriginPolicy,
        limiter: RateLimiter,
        local_only: LocalOnly | None = None,
        unavailable: str = "the web chat is not configured",
    ) -> None:
        self._source = source
        self._origins = origins
        self._limiter = limiter
        self._local_only = local_only
        self._unavailable = unavailable

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(TOKEN_PATH, self.handle)
        app.router.add_route("OPTIONS", TOKEN_PATH, self.preflight)

    async def handle(self, request: web.Request) -> web.Response:
        headers = {"Cache-Control": "no-store", **self._origins.cors_headers(request)}
        try:
            issued = await self._issue(request)
        except ProtocolError as error:
            response = error.response()
            response.headers.update(headers)
            return response
        body = {
            "token": issued.token,
            "conversationId": issued.conversation_id,
            "expires_in": issued.expires_in,
            "userId": issued.user_id,
        }
        return web.json_response(body, headers=headers)

    async def preflight(self, request: web.Request) -> web.Response:
        if not self._origins.allows(request):
            return error_response(403, "Forbidden", "this origin may not ask for tokens")
        return web.Response(status=204, headers=self._origins.cors_headers(request))

    async def _issue(self, request: web.Request) -> IssuedToken:
        if not self._origins.allows(request):
            raise ProtocolError(403, "Forbidden", "this origin may not ask for tokens")
        if self._local_only is not None and not self._local_only.allows(request):
            raise ProtocolError(
                403, "Forbidden", "the local web chat only serves this machine (WEBCHAT_PUBLIC)"
            )
        wait = self._limiter.retry_after(request.remote or "unknown")
        if wait > 0:
            raise too_many_requests(wait)
        body = await read_json_object(request, required=False)
        if self._source is None:
            raise ProtocolError(503, "NotConfigured", self._unavailable)
        user = body.get("user")
        candidate = body.get("userId") or (user.get("id") if isinstance(user, dict) else None)
        return await self._source.issue(
            user_id_or_new(candidate), locale_or_default(body.get("locale"))
        )
