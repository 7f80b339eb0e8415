"""Fixtures for the web chat: the whole app on a real port, spoken to as Web Chat would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app import create_app
from bot.settings import Settings

TORONTO = ZoneInfo("America/Toronto")
# During the first keynote of the demo agenda (Monday 11 July 2016, 09:30 in Toronto).
REHEARSAL = datetime(2016, 7, 11, 9, 30, tzinfo=TORONTO)
REMOTE_HEADER = "X-Test-Remote"


@web.middleware
async def pretend_remote(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Tests run on loopback; this lets one play a visitor from another machine."""
    remote = request.headers.get(REMOTE_HEADER)
    return await handler(request.clone(remote=remote) if remote else request)


class WebChatClient:
    """A Direct Line client over real HTTP and WebSockets, as DirectLineJS behaves."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.directline = f"{base_url}/v3/directline"
        self.session = aiohttp.ClientSession()

    async def token(self, **body: Any) -> dict[str, Any]:
        async with self.session.post(f"{self.base_url}/api/directline/token", json=body) as r:
            assert r.status == 200, await r.text()
            return dict(await r.json())

    async def start(self, **body: Any) -> Conversation:
        """A started conversation, its welcome received."""
        grant = await self.token(**body)
        async with self.session.post(
            f"{self.directline}/conversations",
            headers=auth(grant["token"]),
            json={"user": {}},
        ) as response:
            assert response.status == 201, await response.text()
            started = await response.json()
        conversation = Conversation(
            self, started["conversationId"], started["token"], started, grant["userId"]
        )
        # The welcome turn runs in the background: wait for it, so every test starts from the
        # same place and none ends with a turn still in flight.
        await conversation.poll_until(bot_messages)
        return conversation

    async def close(self) -> None:
        await self.session.close()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Conversation:
    def __init__(
        self,
        client: WebChatClient,
        conversation_id: str,
        token: str,
        started: dict[str, Any],
        user_id: str,
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.id = conversation_id
        self.token = token
        self.started = started
        self.url = f"{client.directline}/conversations/{conversation_id}"

    async def post(self, text: str | None = None, **fields: Any) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "type": "message",
            "from": {"id": "someone-else", "name": "Ada"},
            "locale": "en-US",
            "textFormat": "plain",
            "timestamp": "2026-11-28T10:00:00.000Z",
            "channelData": {"clientActivityID": f"client-{id(fields)}-{text}"},
            "entities": [{"type": "ClientCapabilities", "requiresBotState": True}],
            **fields,
        }
        if text is not None:
            activity["text"] = text
        async with self.client.session.post(
            f"{self.url}/activities", headers=auth(self.token), json=activity
        ) as response:
            assert response.status == 200, await response.text()
            return dict(await response.json())

    async def poll(self, watermark: str | None = None) -> dict[str, Any]:
        query = f"?watermark={watermark}" if watermark is not None else ""
        async with self.client.session.get(
            f"{self.url}/activities{query}", headers=auth(self.token)
        ) as response:
            assert response.status == 200, await response.text()
            return dict(await response.json())

    async def poll_until(
        self, ready: Callable[[list[dict[str, Any]]], object], within: float = 10.0
    ) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            activities: list[dict[str, Any]] = (await self.poll())["activities"]
            if ready(activities):
                return activities
            if asyncio.get_running_loop().time() > deadline:
                pytest.fail(f"not seen in {within}s: {[a.get('text') for a in activities]}")
            await asyncio.sleep(0.05)

    async def reconnect(self, watermark: str | None) -> dict[str, Any]:
        query = f"?watermark={watermark}" if watermark is not None else ""
        async with self.client.session.get(
            f"{self.url}{query}", headers=auth(self.token)
        ) as response:
            assert response.status == 200, await response.text()
            return dict(await response.json())


async def frames(
    socket: aiohttp.ClientWebSocketResponse, *, until: Callable[[list[Any]], bool], within: float
) -> list[Any]:
    """Frames from a stream (`""` for keep-alives) until `until` says enough."""
    received: list[Any] = []
    deadline = asyncio.get_running_loop().time() + within
    while not until(received):
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            pytest.fail(f"stream: not enough in {within}s: {received}")
        message = await socket.receive(timeout=left)
        if message.type is not aiohttp.WSMsgType.TEXT:
            pytest.fail(f"stream closed: {message}")
        received.append(json.loads(message.data) if message.data else "")
    return received


def activities_in(received: list[Any]) -> list[dict[str, Any]]:
    return [a for frame in received if frame for a in frame["activities"]]


def bot_messages(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in activities if a["type"] == "message" and a["from"].get("role") == "bot"]


StartApp = Callable[..., Awaitable[WebChatClient]]


@pytest.fixture
async def start_app() -> AsyncIterator[StartApp]:
    """`await start_app(settings)`: the whole bot on 127.0.0.1 with the web chat mounted."""
    running: list[tuple[TestServer, WebChatClient]] = []

    async def start(settings: Settings | None = None, **overrides: Any) -> WebChatClient:
        settings = settings or Settings(storage_url="memory://", now=REHEARSAL)
        app = create_app(settings, **overrides)
        app.middlewares.append(pretend_remote)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        client = WebChatClient(str(server.make_url("")).rstrip("/"))
        running.append((server, client))
        return client

    yield start
    for server, client in running:
        await client.close()
        await server.close()


@pytest.fixture
async def webchat(start_app: StartApp) -> WebChatClient:
    """The bot on the demo agenda at the rehearsal time, with its local Direct Line."""
    return await start_app()
