"""Fixtures shared by the whole suite: real activities, a channel, and the bot over HTTP."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from app import create_app
from bot.settings import Settings
from tests.connector import ConnectorServer
from tests.paths import ACTIVITIES, CATALOGUES, ROOT, SHARED

__all__ = ["CATALOGUES", "ROOT", "SHARED", "BotClient", "shared_activity", "shared_json"]


def shared_json(name: str) -> Any:
    """A file of ../shared/activities as parsed JSON (a fresh copy each time)."""
    path = ACTIVITIES / name
    if not path.exists():
        pytest.skip(f"shared activity {path} not found (set HALLWAY_SHARED)")
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def shared_activity(name: str) -> dict[str, Any]:
    activity = shared_json(name)
    assert isinstance(activity, dict), f"{name} is not a single activity"
    return activity


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorServer]:
    server = ConnectorServer()
    await server.start()
    yield server
    await server.close()
    assert server.card_problems == [], "the bot sent cards that do not validate"


class BotClient:
    """Posts activities to the bot's `/api/messages` over real HTTP, as a channel does."""

    def __init__(self, base_url: str, connector: ConnectorServer) -> None:
        self.base_url = base_url
        self.connector = connector
        self.session = aiohttp.ClientSession()

    def activity(
        self, name: str = "emulator-message-user-hello.json", **fields: Any
    ) -> dict[str, Any]:
        """A real shared activity, pointed at our connector, with a fresh id and overrides."""
        activity = shared_activity(name)
        activity["serviceUrl"] = self.connector.url
        activity["id"] = str(uuid.uuid4())
        activity.update(fields)
        return activity

    async def post(
        self, activity: dict[str, Any] | bytes | str, **kwargs: Any
    ) -> aiohttp.ClientResponse:
        headers = kwargs.pop("headers", {"Content-Type": "application/json"})
        data = activity if isinstance(activity, bytes | str) else json.dumps(activity)
        async with self.session.post(
            f"{self.base_url}/api/messages", data=data, headers=headers, **kwargs
        ) as response:
            await response.read()
            return response

    async def ask(self, text: str, **fields: Any) -> list[dict[str, Any]]:
        """Send a message and return the bot's replies to it."""
        before = len(self.connector.received)
        activity = self.activity(text=text, **fields)
        response = await self.post(activity)
        assert response.status == 200, response.status
        received = self.connector.received[before:]
        return [r.activity for r in received if r.activity.get("type") == "message"]

    async def close(self) -> None:
        await self.session.close()


MakeBot = Callable[..., Any]


@pytest.fixture
async def make_bot(connector: ConnectorServer) -> AsyncIterator[MakeBot]:
    """Start the app on a real port: `await make_bot(settings=..., catalogue=...)`."""
    started: list[tuple[TestServer, BotClient]] = []

    async def start(settings: Settings | None = None, **overrides: Any) -> BotClient:
        settings = settings or Settings(storage_url="memory://")
        app = create_app(settings, **overrides)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        client = BotClient(str(server.make_url("")).rstrip("/"), connector)
        started.append((server, client))
        return client

    yield start
    for server, client in started:
        await client.close()
        await server.close()


@pytest.fixture
async def bot(make_bot: MakeBot) -> BotClient:
    """The bot on its bundled demo agenda, with in-memory state."""
    client: BotClient = await make_bot()
    return client
