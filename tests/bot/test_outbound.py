"""The aiohttp reply path against a real local HTTP server: URL, headers, body, retries, tokens."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.schema import Activity, ConversationAccount
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from bot.outbound import ChannelRejected, FastConversations, Outbound, use_outbound

TEAMS_CONVERSATION = "19:abc@thread.tacv2;messageid=1759881511856"


class Channel:
    """A connector that answers each POST with the next scripted status (then 200)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self.script: list[tuple[int, dict[str, str]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((request.raw_path, dict(request.headers), await request.json()))
        status, headers = self.script.pop(0) if self.script else (200, {})
        if status == 200:
            return web.json_response({"id": f"reply-{len(self.requests)}"})
        return web.json_response({"error": {"code": "x"}}, status=status, headers=headers)


class CountingCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """Real app credentials whose token fetch is counted instead of going to AAD."""

    def __init__(self, lifetime: float = 3600) -> None:
        super().__init__("app-id", "secret")
        self.app = object()  # its own token source: no MSAL client to build
        self.fetches = 0
        self.lifetime = lifetime
        self.threads: set[str] = set()

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.fetches += 1
        self.threads.add(threading.current_thread().name)
        claims = {"exp": time.time() + self.lifetime, "n": self.fetches}
        return jwt.encode(claims, "k" * 32, algorithm="HS256")


@pytest.fixture
async def channel() -> AsyncIterator[tuple[Channel, str]]:
    fake = Channel()
    app = web.Application()
    app.router.add_post("/{tail:.*}", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield fake, str(server.make_url("/amer/")).rstrip("/") + "/"
    finally:
        await server.close()


@pytest.fixture
async def outbound() -> AsyncIterator[Outbound]:
    sender = Outbound()
    try:
        yield sender
    finally:
        await sender.close()


def _client(base_url: str, outbound: Outbound, credentials: Any = None) -> ConnectorClient:
    client = ConnectorClient(credentials or MicrosoftAppCredentials.empty(), base_url=base_url)
    client.config.retry_policy.retries = 1
    client.config.retry_policy.backoff_factor = 0.01
    return use_outbound(client, outbound)


def _reply() -> Activity:
    return Activity(
        type="message",
        text="Up next: Café & Cloud",
        conversation=ConversationAccount(id=TEAMS_CONVERSATION),
        attachments=[],
    )


async def test_a_reply_goes_where_msrest_would_send_it(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    assert isinstance(client.conversations, FastConversations)
    response = await client.conversations.reply_to_activity(
        TEAMS_CONVERSATION, "1759881511856", _reply()
    )
    assert response.id == "reply-1"
    path, headers, body = fake.requests[0]
    assert path == (
        "/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1759881511856"
        "/activities/1759881511856"
    )
    assert headers["x-ms-conversation-id"] == TEAMS_CONVERSATION
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert "botframework-connector" in headers["User-Agent"]
    assert "Authorization" not in headers  # no app id: anonymous, as with msrest
    assert body == {
        "type": "message",
        "text": "Up next: Café & Cloud",
        "conversation": {"id": TEAMS_CONVERSATION},
        "attachments": [],
    }


async def test_send_to_conversation_posts_to_the_conversation(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    await client.conversations.send_to_conversation("a:personal", _reply())
    assert fake.requests[0][0] == "/amer/v3/conversations/a%3Apersonal/activities"


async def test_a_busy_channel_is_retried_once_then_refused_with_its_status(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    fake.script = [(503, {}), (200, {})]
    await client.conversations.send_to_conversation("c", _reply())
    assert len(fake.requests) == 2

    fake.script = [(502, {}), (504, {})]
    with pytest.raises(ChannelRejected) as refused:
        await client.conversations.send_to_conversation("c", _reply())
    assert refused.value.status == 504
    assert len(fake.requests) == 4


async def test_throttling_and_forbidden_are_not_retried_here(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    """429 and 403 are for the caller to decide (the nudge dispatcher honours Retry-After)."""
    fake, base_url = channel
    client = _client(base_url, outbound)
    fake.script = [(429, {"Retry-After": "7"})]
    with pytest.raises(ChannelRejected) as throttled:
        await client.conversations.send_to_conversation("c", _reply())
    assert throttled.value.status == 429
    assert throttled.value.headers["Retry-After"] == "7"
    fake.script = [(403, {})]
    with pytest.raises(ChannelRejected):
        await client.conversations.send_to_conversation("c", _reply())
    assert len(fake.requests) == 2


async def test_no_retries_when_the_client_asks_for_none(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    client.config.retry_policy.retries = 0
    fake.script = [(503, {})]
    with pytest.raises(ChannelRejected):
        await client.conversations.send_to_conversation("c", _reply())
    assert len(fake.requests) == 1


async def test_a_channel_that_is_gone_fails_fast(outbound: Outbound) -> None:
    client = _client("http://127.0.0.1:9/", outbound)  # discard port: nothing listens
    started = time.monotonic()
    with pytest.raises(OSError):
        await client.conversations.send_to_conversation("c", _reply())
    assert time.monotonic() - started < 5


async def test_the_bearer_token_is_fetched_once_off_the_loop_and_reused(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    credentials = CountingCredentials()
    client = _client(base_url, outbound, credentials)
    for _ in range(5):
        await client.conversations.send_to_conversation("c", _reply())
    assert credentials.fetches == 1
    assert threading.main_thread().name not in credentials.threads
    tokens = {headers["Authorization"] for _, headers, _ in fake.requests}
    assert len(tokens) == 1
    token = tokens.pop().removeprefix("Bearer ")
    assert jwt.decode(token, options={"verify_signature": False})["n"] == 1


async def test_a_token_near_expiry_is_renewed(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    _, base_url = channel
    credentials = CountingCredentials(lifetime=1.2)  # kept for half its life: 0.6 s
    client = _client(base_url, outbound, credentials)
    await client.conversations.send_to_conversation("c", _reply())
    await client.conversations.send_to_conversation("c", _reply())
    assert credentials.fetches == 1
    await asyncio.sleep(0.7)
    await client.conversations.send_to_conversation("c", _reply())
    assert credentials.fetches == 2


async def test_a_refused_token_is_dropped_and_fetched_again(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    credentials = CountingCredentials()
    client = _client(base_url, outbound, credentials)
    fake.script = [(401, {})]
    with pytest.raises(ChannelRejected):
        await client.conversations.send_to_conversation("c", _reply())
    await client.conversations.send_to_conversation("c", _reply())
    assert credentials.fetches == 2
    first, second = (headers["Authorization"] for _, headers, _ in fake.requests)
    assert first != second


async def test_the_body_is_plain_json_with_unicode_kept(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    activity = _reply()
    activity.text = "Qui parle de SMB demain ? 🚀 مرحبا"
    await client.conversations.send_to_conversation("c", activity)
    assert fake.requests[0][2]["text"] == activity.text
    assert json.dumps(fake.requests[0][2], ensure_ascii=False)


async def test_text_that_is_not_valid_unicode_still_goes_out_as_json(
    channel: tuple[Channel, str], outbound: Outbound
) -> None:
    fake, base_url = channel
    client = _client(base_url, outbound)
    activity = _reply()
    activity.text = "broken \ud800 surrogate"  # from a catalogue, say: valid JSON, bad UTF-8
    await client.conversations.send_to_conversation("c", activity)
    assert fake.requests[0][2]["text"] == activity.text
