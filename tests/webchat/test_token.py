"""`POST /api/directline/token` in production: the secret is exchanged with a Direct Line
service (here a fake one on 127.0.0.1, never the internet) and never reaches the browser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.settings import Settings
from tests.webchat.conftest import (
    REHEARSAL,
    REMOTE_HEADER,
    Conversation,
    StartApp,
    WebChatClient,
    bot_messages,
)

SECRET = "the-direct-line-secret-0123456789"


@dataclass
class FakeDirectLine:
    """Azure's `POST /v3/directline/tokens/generate`, as documented."""

    status: int = 200
    calls: list[dict[str, Any]] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def endpoint(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/v3/directline"))

    async def generate(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append({"authorization": request.headers.get("Authorization"), "body": body})
        if request.headers.get("Authorization") != f"Bearer {SECRET}":
            return web.json_response({"error": {"code": "BadArgument"}}, status=403)
        if self.status != 200:
            return web.json_response({"error": {"code": "ServiceError"}}, status=self.status)
        return web.json_response(
            {"conversationId": "DL-conv-1", "token": "DL-token-for-browser", "expires_in": 3600}
        )


@pytest.fixture
async def fake_directline() -> AsyncIterator[FakeDirectLine]:
    fake = FakeDirectLine()
    app = web.Application()
    app.router.add_post("/v3/directline/tokens/generate", fake.generate)
    fake.server = TestServer(app, host="127.0.0.1")
    await fake.server.start_server()
    yield fake
    await fake.server.close()


def production(endpoint: str, **fields: Any) -> Settings:
    return Settings(
        storage_url="memory://",
        now=REHEARSAL,
        direct_line_secret=SECRET,
        direct_line_endpoint=endpoint,
        **fields,
    )


async def ask(client: WebChatClient, body: Any = None, **headers: str) -> tuple[int, Any, Any]:
    async with client.session.post(
        f"{client.base_url}/api/directline/token", json=body, headers=headers
    ) as response:
        return response.status, await response.json(), response.headers


async def test_the_secret_is_exchanged_server_side_for_a_user_bound_token(
    start_app: StartApp, fake_directline: FakeDirectLine
) -> None:
    client = await start_app(production(fake_directline.endpoint))
    status, body, headers = await ask(client, {"userId": "dl_browser-0123456789"})
    assert status == 200
    assert body == {
        "token": "DL-token-for-browser",
        "conversationId": "DL-conv-1",
        "expires_in": 3600,
        "userId": "dl_browser-0123456789",
    }
    assert headers["Cache-Control"] == "no-store"
    [call] = fake_directline.calls
    assert call["authorization"] == f"Bearer {SECRET}"
    assert call["body"] == {"user": {"id": "dl_browser-0123456789"}}


@pytest.mark.parametrize(
    "user_id", [None, "", "mallory", "dl_", "dl_<script>", 42, "dl_" + "x" * 80]
)
async def test_a_missing_or_malformed_user_id_gets_a_new_random_one(
    start_app: StartApp, fake_directline: FakeDirectLine, user_id: object
) -> None:
    client = await start_app(production(fake_directline.endpoint))
    status, body, _ = await ask(client, {"userId": user_id})
    assert status == 200
    assert body["userId"].startswith("dl_") and len(body["userId"]) >= 20
    assert fake_directline.calls[0]["body"] == {"user": {"id": body["userId"]}}


async def test_the_local_direct_line_is_not_mounted_with_a_secret(
    start_app: StartApp, fake_directline: FakeDirectLine
) -> None:
    client = await start_app(production(fake_directline.endpoint))
    async with client.session.post(f"{client.directline}/tokens/generate") as response:
        assert response.status == 404


async def test_a_refusal_or_an_outage_of_direct_line_is_a_502_without_the_secret(
    start_app: StartApp, fake_directline: FakeDirectLine
) -> None:
    fake_directline.status = 500
    client = await start_app(production(fake_directline.endpoint))
    status, body, _ = await ask(client)
    assert status == 502 and SECRET not in str(body)

    nowhere = await start_app(production("http://127.0.0.1:9/v3/directline"))
    status, body, _ = await ask(nowhere)
    assert status == 502 and body["error"]["code"] == "DirectLineUnreachable"


async def test_only_allowed_origins_get_tokens(
    start_app: StartApp, fake_directline: FakeDirectLine
) -> None:
    client = await start_app(
        production(
            fake_directline.endpoint,
            webchat_allowed_origins=("https://conference.example",),
        )
    )
    own_origin = client.base_url

    status, _, headers = await ask(client, Origin=own_origin)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers

    status, _, headers = await ask(client, Origin="https://conference.example")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "https://conference.example"

    status, body, _ = await ask(client, Origin="https://evil.example")
    assert status == 403 and body["error"]["code"] == "Forbidden"

    async with client.session.options(
        f"{client.base_url}/api/directline/token",
        headers={
            "Origin": "https://conference.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    ) as preflight:
        assert preflight.status == 204
        assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type"
    async with client.session.options(
        f"{client.base_url}/api/directline/token", headers={"Origin": "https://evil.example"}
    ) as preflight:
        assert preflight.status == 403
    assert len(fake_directline.calls) == 2  # refused origins never reach Direct Line


async def test_tokens_are_rate_limited_per_client(
    start_app: StartApp, fake_directline: FakeDirectLine
) -> None:
    client = await start_app(production(fake_directline.endpoint))
    for _ in range(10):
        status, _, _ = await ask(client)
        assert status == 200
    status, body, headers = await ask(client)
    assert status == 429 and body["error"]["code"] == "TooManyRequests"
    assert 1 <= int(headers["Retry-After"]) <= 60
    # Another client is not held back by the first one.
    status, _, _ = await ask(client, **{REMOTE_HEADER: "192.0.2.44"})
    assert status == 200
    assert len(fake_directline.calls) == 11


async def test_bad_json_is_400(start_app: StartApp, fake_directline: FakeDirectLine) -> None:
    client = await start_app(production(fake_directline.endpoint))
    async with client.session.post(
        f"{client.base_url}/api/directline/token",
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    ) as response:
        assert response.status == 400
    assert fake_directline.calls == []


async def test_locally_the_same_endpoint_gives_a_local_direct_line_token(
    webchat: WebChatClient,
) -> None:
    grant = await webchat.token(userId="dl_kiosk-browser-0001", locale="fr-FR")
    assert grant["userId"] == "dl_kiosk-browser-0001"
    assert grant["conversationId"] and grant["expires_in"] == 1800
    async with webchat.session.post(
        f"{webchat.directline}/conversations",
        headers={"Authorization": f"Bearer {grant['token']}"},
    ) as response:
        assert response.status == 201
        started = await response.json()
    assert started["conversationId"] == grant["conversationId"]
    conversation = Conversation(
        webchat, started["conversationId"], started["token"], started, grant["userId"]
    )
    # The locale asked for with the token is the conversation's: the welcome is in French.
    [welcome] = bot_messages(await conversation.poll_until(bot_messages))
    assert welcome["text"].startswith("Bonjour")
