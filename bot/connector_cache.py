"""Make the clients botbuilder sends replies with once, and reuse them.

botbuilder builds a new `ConnectorClient` and a new user-token client on every turn. Each
construction sets up msrest's retry policy, a quadratic list scan that costs milliseconds, and
a fresh client also means a fresh HTTP session, so every reply opens a new TCP connection.
Profiled under load, that set-up was most of a turn's CPU.

`ReusingAuthentication` wraps the configured `BotFrameworkAuthentication`: authentication is
unchanged, but the connector factory it hands each turn returns one client per (service URL,
audience), kept for the life of the app, and the user-token client is kept per app id. The
credentials inside a client renew their own tokens, so a long-lived client stays valid. Each
client sends its replies through `Outbound` (aiohttp, pooled connections), not msrest.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
)

from bot.outbound import Outbound, use_outbound

MAX_CLIENTS = 1024
REPLY_RETRIES = 1
REPLY_BACKOFF = 0.2


class ReusingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    def __init__(self, inner: BotFrameworkAuthentication, outbound: Outbound) -> None:
        self._inner = inner
        self._outbound = outbound
        self._clients: dict[tuple[str, str | None], ConnectorClient] = {}
        self._token_clients: dict[str | None, Any] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _ReusingFactory(
                result.connector_factory, self._clients, self._outbound
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id: str) -> Any:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingFactory(
            self._inner.create_connector_factory(claims_identity), self._clients, self._outbound
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        app_id = JwtTokenValidation.get_app_id_from_claims(claims_identity.claims)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class _ReusingFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(
        self,
        inner: ConnectorFactory,
        clients: dict[tuple[str, str | None], ConnectorClient],
        outbound: Outbound,
    ) -> None:
        self._inner = inner
        self._clients = clients
        self._outbound = outbound

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:  # service URLs are few; never grow unbounded
                self._clients.clear()
            client = use_outbound(await self._inner.create(service_url, audience), self._outbound)
            # msrest's default is 3 retries with 0.8 s backoff: a turn then holds its request
            # ~10 s for a channel that is gone. One quick retry is enough (Outbound reads these).
            client.config.retry_policy.retries = REPLY_RETRIES
            client.config.retry_policy.backoff_factor = REPLY_BACKOFF
            self._clients[key] = client
        return client
