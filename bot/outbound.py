"""Replies to the channel over aiohttp, on pooled connections, with the card JSON as it is.

botbuilder sends each reply through msrest: the activity is validated and serialised model by
model (~5 ms of CPU for an answer with eight cards), then posted by `requests` on a thread pool.
Under load that was most of a turn. `FastConversations` replaces the two operations a turn uses
(`reply_to_activity`, `send_to_conversation`) on the connector clients botbuilder hands out; every
other connector operation still goes through msrest unchanged. The request is the one msrest
would make: same URL, headers and bearer token, the activity in the same JSON form.

Tokens come from the client's own credentials (see `bot.bearer_tokens`).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.aio import ConnectorClient
from botframework.connector.aio.operations_async import ConversationsOperations
from yarl import URL

from bot.bearer_tokens import BearerTokens
from bot.wire import to_json

ACCEPTED = frozenset({200, 201, 202})
RETRIED = frozenset({408, 500, 502, 503, 504})
TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=5)
CONNECTIONS = 100


class ChannelRejected(Exception):
    """The channel answered a send with a status other than 2xx."""

    def __init__(self, status: int, headers: Mapping[str, str], body: str) -> None:
        super().__init__(f"the channel answered {status}: {body[:200]}")
        self.status = status
        self.headers = dict(headers)
        self.body = body


class Outbound:
    """The HTTP side of replies: one connection pool for the app, one token cache."""

    def __init__(self, *, connections: int = CONNECTIONS) -> None:
        self.tokens = BearerTokens()
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running loop that will also close it.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=TIMEOUT,
                connector=aiohttp.TCPConnector(limit=self._connections),
            )
        return self._session

    async def post(
        self,
        url: str,
        activity: Activity,
        *,
        credentials: Any,
        headers: Mapping[str, str],
        retries: int,
        backoff: float,
    ) -> ResourceResponse:
        body = to_json(activity)
        attempt = 0
        while True:
            request_headers = {
                **headers,
                "Accept": "application/json",
                "Content-Type": "application/json; charset=utf-8",
            }
            authorization = await self.tokens.header(credentials)
            if authorization is not None:
                request_headers["Authorization"] = authorization
            try:
                async with self._client().post(
                    URL(url, encoded=True), data=body, headers=request_headers
                ) as response:
                    text = await response.text()
                    if response.status in ACCEPTED:
                        return _resource(text)
                    if response.status == 401:
                        self.tokens.forget(credentials)
                    failure: Exception = ChannelRejected(response.status, response.headers, text)
                    retry = response.status in RETRIED
            except (TimeoutError, aiohttp.ClientConnectionError) as error:
                failure, retry = error, True
            if not retry or attempt >= retries:
                raise failure
            attempt += 1
            await asyncio.sleep(backoff * 2 ** (attempt - 1) * (0.5 + random.random()))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _resource(text: str) -> ResourceResponse:
    try:
        document = json.loads(text) if text else {}
    except json.JSONDecodeError:
        document = {}
    identifier = document.get("id") if isinstance(document, dict) else None
    return ResourceResponse(id=identifier if isinstance(identifier, str) else None)


class FastConversations(ConversationsOperations):  # type: ignore[misc]
    """The connector's conversation operations, with the two a turn uses sent by `Outbound`."""

    def __init__(self, client: ConnectorClient, outbound: Outbound) -> None:
        conversations = client.conversations
        super().__init__(
            conversations._client,
            conversations.config,
            conversations._serialize,
            conversations._deserialize,
        )
        self._outbound = outbound

    async def reply_to_activity(
        self,
        conversation_id: str,
        activity_id: str,
        activity: Activity,
        *,
        custom_headers: Mapping[str, str] | None = None,
        **_: Any,
    ) -> ResourceResponse:
        path = f"v3/conversations/{_segment(conversation_id)}/activities/{_segment(activity_id)}"
        headers = {"x-ms-conversation-id": conversation_id, **(custom_headers or {})}
        return await self._post(path, activity, headers)

    async def send_to_conversation(
        self,
        conversation_id: str,
        activity: Activity,
        *,
        custom_headers: Mapping[str, str] | None = None,
        **_: Any,
    ) -> ResourceResponse:
        path = f"v3/conversations/{_segment(conversation_id)}/activities"
        return await self._post(path, activity, dict(custom_headers or {}))

    async def _post(
        self, path: str, activity: Activity, headers: dict[str, str]
    ) -> ResourceResponse:
        config = self.config
        policy = config.retry_policy
        return await self._outbound.post(
            f"{str(config.base_url).rstrip('/')}/{path}",
            activity,
            credentials=config.credentials,
            headers={"User-Agent": config.user_agent, **headers},
            retries=int(policy.retries),
            backoff=float(policy.backoff_factor),
        )


def _segment(value: str) -> str:
    """A URL path segment quoted as msrest quotes it (Teams conversation ids hold ``;``, ``:``)."""
    return quote(value, safe="")


def use_outbound(client: ConnectorClient, outbound: Outbound) -> ConnectorClient:
    """Make `client` send replies through `outbound`; its other operations are untouched."""
    if not isinstance(client.conversations, FastConversations):
        client.conversations = FastConversations(client, outbound)
    return client


class _Reply(Activity):  # type: ignore[misc]
    """An activity that botbuilder copies shallowly.

    `TurnContext.send_activities` deep-copies every activity before filling in the conversation
    fields, so that a caller's object is left untouched; with eight Adaptive Cards that copy
    took ~8% of a turn's CPU. A reply is built fresh for one send and never reused, and
    botbuilder only assigns top-level fields on its copy, so a shallow copy is enough.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> _Reply:
        duplicate = _Reply()
        duplicate.__dict__.update(self.__dict__)
        return duplicate


def as_reply(activity: Activity) -> Activity:
    """`activity` as one botbuilder may copy cheaply when it sends it (same fields, same JSON)."""
    reply = _Reply()
    reply.__dict__.update(activity.__dict__)
    return reply
