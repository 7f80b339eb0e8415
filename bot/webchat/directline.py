"""A local Direct Line 3.0: the subset Microsoft's Web Chat uses, served by the bot itself.

With no Azure account (no `DIRECT_LINE_SECRET`, no `MicrosoftAppId`), `python app.py` and a
browser are all it takes to chat: Web Chat talks Direct Line to these routes, which hand each
activity to the bot in process and carry the bot's replies (received on the local connector
routes, see `connector.py`) back over the WebSocket stream or polling.

    POST /v3/directline/tokens/generate                 a conversation and a token for it
    POST /v3/directline/tokens/refresh                  a fresh token for the same conversation
    POST /v3/directline/conversations                   start it: token, streamUrl
    GET  /v3/directline/conversations/{id}?watermark=   reconnect: a new streamUrl
    POST /v3/directline/conversations/{id}/activities   send; answers {"id": ...}
    GET  /v3/directline/conversations/{id}/activities?watermark=   poll: an ActivitySet
    GET  /v3/directline/conversations/{id}/stream?watermark=&t=    the WebSocket stream

Errors use Direct Line's codes and shape: 401 without a token, 403 with a token that is
unknown, expired or for another conversation, 404 for a conversation that does not exist (any
more), 400 for a body or watermark that cannot be read.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web
from botbuilder.schema import Activity

from bot.inbound import read_activity
from bot.webchat.access import LocalOnly
from bot.webchat.conversations import Conversation, ConversationStore, Limits, Listener
from bot.webchat.protocol import (
    ProtocolError,
    bearer_token,
    locale_or_default,
    parse_watermark,
    read_json_object,
    too_many_requests,
    user_id_or_new,
    utc_timestamp,
)
from bot.webchat.ratelimit import RateLimiter
from bot.webchat.tokens import SCOPE_CONVERSATION, SCOPE_STREAM, Grant, TokenError, TokenSigner
from bot.webchat.turns import InProcessChannel

log = logging.getLogger(__name__)

PREFIX = "/v3/directline"
CHANNEL_ID = "webchat"
BOT_ACCOUNT = {"id": "hallway", "name": "Hallway", "role": "bot"}

# What a client may set on an activity it sends; the channel sets the rest (ids, from,
# recipient, conversation, timestamp, serviceUrl), as Direct Line does.
CLIENT_FIELDS = (
    "type", "text", "textFormat", "value", "name", "attachments", "attachmentLayout",
    "entities", "channelData", "replyToId", "speak", "inputHint", "summary", "valueType",
)  # fmt: skip

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class IssuedToken:
    conversation_id: str
    token: str
    expires_in: int
    user_id: str


class LocalDirectLine:
    def __init__(
        self,
        *,
        store: ConversationStore,
        signer: TokenSigner,
        channel: InProcessChannel,
        access: LocalOnly,
        connector_path: str,
        limiter: RateLimiter | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`limiter` paces new conversations per client: each one may push out the idlest."""
        self._store = store
        self._limiter = limiter
        self._signer = signer
        self._channel = channel
        self._access = access
        self._connector_path = connector_path
        self._now = now
        self._limits: Limits = store.limits

    def add_routes(self, app: web.Application) -> None:
        routes = app.router
        routes.add_post(f"{PREFIX}/tokens/generate", self._guarded(self.generate))
        routes.add_post(f"{PREFIX}/tokens/refresh", self._guarded(self.refresh))
        routes.add_post(f"{PREFIX}/conversations", self._guarded(self.start))
        routes.add_get(f"{PREFIX}/conversations/{{id}}", self._guarded(self.reconnect))
        routes.add_get(f"{PREFIX}/conversations/{{id}}/activities", self._guarded(self.poll))
        routes.add_post(f"{PREFIX}/conversations/{{id}}/activities", self._guarded(self.post))
        routes.add_get(f"{PREFIX}/conversations/{{id}}/stream", self._guarded(self.stream))

    def issue(self, user_id: object = None, locale: object = None) -> IssuedToken:
        """A new conversation and a token for it, bound to the user (used by the page's token
        endpoint too, so the page has one code path locally and in production)."""
        user = user_id_or_new(user_id)
        conversation = self._store.create(
            secrets.token_urlsafe(16), user, locale_or_default(locale)
        )
        token = self._signer.issue(conversation.id, user)
        return IssuedToken(conversation.id, token, int(self._signer.ttl_seconds), user)

    # -- routes ----------------------------------------------------------------------------

    async def generate(self, request: web.Request) -> web.StreamResponse:
        if self._limiter is not None:
            wait = self._limiter.retry_after(request.remote or "unknown")
            if wait > 0:
                raise too_many_requests(wait)
        body = await read_json_object(request, required=False)
        user = body.get("user")
        issued = self.issue(user.get("id") if isinstance(user, dict) else None, body.get("locale"))
        return web.json_response(
            {
                "conversationId": issued.conversation_id,
                "token": issued.token,
                "expires_in": issued.expires_in,
            }
        )

    async def refresh(self, request: web.Request) -> web.StreamResponse:
        grant = self._grant(bearer_token(request), SCOPE_CONVERSATION)
        self._conversation(grant.conversation_id, grant)
        token = self._signer.issue(grant.conversation_id, grant.user_id)
        return web.json_response(
            {
                "conversationId": grant.conversation_id,
                "token": token,
                "expires_in": int(self._signer.ttl_seconds),
            }
        )

    async def start(self, request: web.Request) -> web.StreamResponse:
        token = bearer_token(request)
        grant = self._grant(token, SCOPE_CONVERSATION)
        # DirectLineJS sends {"user": {...}, "locale": ...}; the token decides the user.
        body = await read_json_object(request, required=False)
        conversation = self._conversation(grant.conversation_id, grant)
        created = not conversation.started
        if created:
            conversation.started = True
            conversation.locale = locale_or_default(body.get("locale"), conversation.locale)
            # Direct Line tells the bot who joined; the bot welcomes the attendee.
            self._channel.start(self._channel.deliver(self._joined(conversation, request)))
        return web.json_response(
            self._conversation_body(request, conversation, token, grant, None),
            status=201 if created else 200,
        )

    async def reconnect(self, request: web.Request) -> web.StreamResponse:
        token = bearer_token(request)
        grant = self._grant(token, SCOPE_CONVERSATION)
        conversation = self._conversation(request.match_info["id"], grant)
        watermark = parse_watermark(request.query.get("watermark"))
        return web.json_response(
            self._conversation_body(request, conversation, token, grant, watermark)
        )

    async def poll(self, request: web.Request) -> web.StreamResponse:
        grant = self._grant(bearer_token(request), SCOPE_CONVERSATION)
        conversation = self._conversation(request.match_info["id"], grant)
        watermark = parse_watermark(request.query.get("watermark"))
        return web.json_response(
            {"activities": conversation.since(watermark), "watermark": conversation.watermark}
        )

    async def post(self, request: web.Request) -> web.StreamResponse:
        grant = self._grant(bearer_token(request), SCOPE_CONVERSATION)
        conversation = self._conversation(request.match_info["id"], grant)
        body = await read_json_object(request, required=True)
        inbound = self._inbound(conversation, body, request)
        try:
            activity = read_activity(inbound)
        except Exception as error:  # msrest raises several types for malformed fields
            raise ProtocolError(
                400, "BadArgument", f"the activity could not be read: {error}"
            ) from error
        # Echo first, as Direct Line does: Web Chat marks the message sent when it sees its
        # own activity (same channelData.clientActivityID) come back with an id.
        echoed = conversation.append({k: v for k, v in inbound.items() if k != "serviceUrl"})
        activity.id = echoed["id"]
        turn = self._channel.start(self._channel.deliver(activity))
        try:
            await asyncio.wait_for(asyncio.shield(turn), self._limits.turn_wait_seconds)
        except TimeoutError:
            log.warning("turn for %s still running; answering the client now", echoed["id"])
        except Exception as error:  # logged by the channel; Direct Line answers BotError
            raise ProtocolError(
                502, "BotError", "the bot could not process the activity"
            ) from error
        return web.json_response({"id": echoed["id"]})

    async def stream(self, request: web.Request) -> web.StreamResponse:
        grant = self._grant(request.query.get("t", ""), SCOPE_STREAM)
        conversation = self._conversation(request.match_info["id"], grant)
        watermark = parse_watermark(request.query.get("watermark"))
        socket = web.WebSocketResponse(timeout=2.0, autoping=True)
        await socket.prepare(request)
        listener = conversation.listen(watermark)
        sender = asyncio.create_task(self._send(socket, listener))
        try:
            async for message in socket:  # the client's "" pings need no answer
                if message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                    break
        finally:
            conversation.forget(listener)
            listener.close()
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            await socket.close()
        return socket

    # -- helpers ---------------------------------------------------------------------------

    def _guarded(self, handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            if not self._access.allows(request):
                return ProtocolError(
                    403,
                    "Forbidden",
                    "the local Direct Line only serves this machine (set WEBCHAT_PUBLIC=true)",
                ).response()
            try:
                return await handler(request)
            except ProtocolError as error:
                return error.response()

        return guarded

    def _grant(self, token: str, scope: str) -> Grant:
        try:
            return self._signer.verify(token, scope=scope)
        except TokenError as error:
            code = "TokenExpired" if error.expired else "BadArgument"
            raise ProtocolError(403, code, str(error)) from error

    def _conversation(self, conversation_id: str, grant: Grant) -> Conversation:
        conversation = self._store.get(conversation_id)
        if conversation is None:
            raise ProtocolError(404, "BadArgument", "conversation not found")
        if grant.conversation_id != conversation_id or grant.user_id != conversation.user_id:
            raise ProtocolError(403, "BadArgument", "token not valid for this conversation")
        return conversation

    def _conversation_body(
        self,
        request: web.Request,
        conversation: Conversation,
        token: str,
        grant: Grant,
        watermark: int | None,
    ) -> dict[str, Any]:
        stream_token = self._signer.issue(
            conversation.id,
            conversation.user_id,
            scope=SCOPE_STREAM,
            ttl_seconds=self._limits.stream_token_ttl_seconds,
        )
        query: dict[str, Any] = {"t": stream_token}
        if watermark is not None:
            query = {"watermark": watermark, **query}
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
        stream_url = (
            f"{'wss' if secure else 'ws'}://{request.host}"
            f"{PREFIX}/conversations/{conversation.id}/stream?{urlencode(query)}"
        )
        remaining = max(0, int(grant.expires_at - self._signer.now()))
        return {
            "conversationId": conversation.id,
            "token": token,
            "expires_in": remaining,
            "streamUrl": stream_url,
            "referenceGrammarId": "",
        }

    def _service_url(self, request: web.Request) -> str:
        """Where the bot sends its replies: the address this request arrived on, which the
        server can always reach itself, whatever Host the browser used."""
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        if isinstance(sockname, tuple) and len(sockname) >= 2:
            host, port = str(sockname[0]), int(sockname[1])
            host = f"[{host}]" if ":" in host else host
            return f"http://{host}:{port}{self._connector_path}"
        return f"{request.scheme}://{request.host}{self._connector_path}"

    def _addressing(self, conversation: Conversation, request: web.Request) -> dict[str, Any]:
        return {
            "timestamp": utc_timestamp(self._now()),
            "channelId": CHANNEL_ID,
            "serviceUrl": self._service_url(request),
            "recipient": dict(BOT_ACCOUNT),
            "conversation": {"id": conversation.id},
        }

    def _inbound(
        self, conversation: Conversation, body: dict[str, Any], request: web.Request
    ) -> dict[str, Any]:
        kind = body.get("type")
        if not isinstance(kind, str) or not kind:
            raise ProtocolError(400, "BadArgument", "'type' must be a non-empty string")
        for name in ("text", "textFormat", "name", "replyToId", "speak", "inputHint"):
            if body.get(name) is not None and not isinstance(body[name], str):
                raise ProtocolError(400, "BadArgument", f"'{name}' must be a string")
        for name in ("attachments", "entities"):
            if body.get(name) is not None and not isinstance(body[name], list):
                raise ProtocolError(400, "BadArgument", f"'{name}' must be a list")
        if body.get("channelData") is not None and not isinstance(body["channelData"], dict):
            raise ProtocolError(400, "BadArgument", "'channelData' must be an object")
        sender = body.get("from")
        user: dict[str, Any] = {"id": conversation.user_id, "role": "user"}
        if isinstance(sender, dict) and isinstance(sender.get("name"), str):
            user["name"] = sender["name"]
        activity = {name: body[name] for name in CLIENT_FIELDS if body.get(name) is not None}
        activity.update(self._addressing(conversation, request))
        # The token says who the user is; what the client puts in `from.id` does not count.
        activity["from"] = user
        activity["locale"] = locale_or_default(body.get("locale"), conversation.locale)
        if isinstance(body.get("localTimestamp"), str):
            activity["localTimestamp"] = body["localTimestamp"]
        elif isinstance(body.get("timestamp"), str):
            activity["localTimestamp"] = body["timestamp"]
        return activity

    def _joined(self, conversation: Conversation, request: web.Request) -> Activity:
        user = {"id": conversation.user_id, "role": "user"}
        activity = {
            "type": "conversationUpdate",
            "id": f"{conversation.id}|joined",
            **self._addressing(conversation, request),
            "from": user,
            "membersAdded": [dict(BOT_ACCOUNT), user],
            "locale": conversation.locale,
        }
        return read_activity(activity)

    async def _send(self, socket: web.WebSocketResponse, listener: Listener) -> None:
        try:
            while not socket.closed:
                frame = await listener.next(self._limits.keepalive_seconds)
                if frame is None:  # conversation forgotten, server stopping, or too far behind
                    await socket.close()
                    return
                # An empty frame keeps an idle connection open through proxies, as Direct
                # Line's do; Web Chat ignores it.
                await socket.send_str(json.dumps(frame, separators=(",", ":")) if frame else "")
        except ConnectionError:
            return  # the browser went away; the receive loop ends too
