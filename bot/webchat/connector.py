"""The channel side of the local web chat: where the bot's replies arrive.

The bot sends to `{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]` like to any
channel. The serviceUrl handed to the bot carries a random key in its path, known only to this
process, so nobody else can post into a conversation as the bot (the routes answer 404 without
it). Replies are appended to the conversation with the next id and pushed to its sockets.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.webchat.conversations import Conversation, ConversationStore
from bot.webchat.protocol import ProtocolError, read_json_object, utc_timestamp


class LocalConnector:
    def __init__(
        self,
        store: ConversationStore,
        *,
        bot_account: dict[str, str],
        key: str | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._bot_account = bot_account
        self._now = now
        self.path = f"/webchat/connector/{key or secrets.token_urlsafe(24)}"

    def add_routes(self, app: web.Application) -> None:
        base = f"{self.path}/v3/conversations/{{conversation}}"
        app.router.add_post(f"{base}/activities", self.send)
        app.router.add_post(f"{base}/activities/{{reply_to}}", self.send)
        app.router.add_put(f"{base}/activities/{{activity}}", self.update)
        app.router.add_delete(f"{base}/activities/{{activity}}", self.delete)
        app.router.add_get(f"{base}/members", self.members)

    async def send(self, request: web.Request) -> web.Response:
        try:
            conversation = self._conversation(request)
            body = await read_json_object(request, required=True)
        except ProtocolError as error:
            return error.response()
        activity = self._outbound(body, conversation)
        reply_to = request.match_info.get("reply_to")
        if reply_to and not activity.get("replyToId"):
            activity["replyToId"] = reply_to  # Web Chat places a reply after what it answers
        stored = conversation.append(activity)
        return web.json_response({"id": stored["id"]})

    async def update(self, request: web.Request) -> web.Response:
        """An edited reply goes out again under its own id; Web Chat replaces it in place."""
        try:
            conversation = self._conversation(request)
            body = await read_json_object(request, required=True)
        except ProtocolError as error:
            return error.response()
        activity_id = request.match_info["activity"]
        conversation.append(self._outbound(body, conversation), activity_id=activity_id)
        return web.json_response({"id": activity_id})

    async def delete(self, request: web.Request) -> web.Response:
        # Direct Line cannot take back what a client has received; say done, as it does.
        try:
            self._conversation(request)
        except ProtocolError as error:
            return error.response()
        return web.Response(status=200)

    async def members(self, request: web.Request) -> web.Response:
        try:
            conversation = self._conversation(request)
        except ProtocolError as error:
            return error.response()
        return web.json_response([{"id": conversation.user_id}, dict(self._bot_account)])

    def _conversation(self, request: web.Request) -> Conversation:
        conversation = self._store.get(request.match_info["conversation"])
        if conversation is None:
            raise ProtocolError(404, "ConversationNotFound", "conversation not found")
        return conversation

    def _outbound(self, body: dict[str, Any], conversation: Conversation) -> dict[str, Any]:
        activity = {k: v for k, v in body.items() if k not in ("serviceUrl", "id")}
        activity["timestamp"] = utc_timestamp(self._now())
        activity["channelId"] = "webchat"
        activity["conversation"] = {"id": conversation.id}
        sender = body.get("from")
        activity["from"] = {
            **self._bot_account,
            **(sender if isinstance(sender, dict) else {}),
            "role": "bot",
        }
        activity["recipient"] = {"id": conversation.user_id, "role": "user"}
        return activity
