"""A small Bot Framework channel for tests: it receives what the bot sends, as a channel does.

The bot replies by POSTing to `{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]`;
this server records every such call and answers with a resource id like the real connector.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.card_schema import activity_card_problems


@dataclass
class Received:
    method: str
    path: str
    conversation_id: str
    activity: dict[str, Any]
    authorization: str | None
    at: float = field(default_factory=time.monotonic)
    status: int = 200


@dataclass
class ConnectorServer:
    received: list[Received] = field(default_factory=list)
    card_problems: list[str] = field(default_factory=list)
    """Schema violations of the Adaptive Cards received; the fixture fails the test on any."""
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Statuses (and headers) to answer the next calls with, in order, instead of 200: a
    throttling (429) or blocked (403) channel. Refused calls are recorded in `refused`."""
    refused: list[Received] = field(default_factory=list)
    _server: TestServer | None = None
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        assert self._server is not None, "connector not started"
        return str(self._server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._record)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._record)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._record)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.answers:
            status, headers = self.answers.pop(0)
            if status >= 300:
                self.refused.append(
                    Received(
                        method=request.method,
                        path=request.path,
                        conversation_id=request.match_info["conversation"],
                        activity=body,
                        authorization=request.headers.get("Authorization"),
                        status=status,
                    )
                )
                error = {"error": {"code": f"HTTP{status}", "message": "refused by the test"}}
                return web.json_response(error, status=status, headers=headers)
        self.card_problems += activity_card_problems(body)
        async with self._arrived:
            self.received.append(
                Received(
                    method=request.method,
                    path=request.path,
                    conversation_id=request.match_info["conversation"],
                    activity=body,
                    authorization=request.headers.get("Authorization"),
                )
            )
            self._arrived.notify_all()
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    def messages(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        return [
            r.activity
            for r in self.received
            if r.activity.get("type") == "message"
            and (conversation_id is None or r.conversation_id == conversation_id)
        ]

    async def wait_for(self, count: int, within: float = 10.0) -> list[Received]:
        """Wait until at least `count` calls have arrived in all."""
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.received) >= count), within
            )
        return list(self.received)
