"""Inbound authentication against a local OpenID metadata and key server with a test RSA key."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.settings import BotCredentials, Settings
from tests.conftest import BotClient

APP_ID = "6a5b1f2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
ISSUER = "https://api.botframework.com"
KEY_ID = "hallway-test-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = new_key()
OTHER_KEY = new_key()


class KeyServer:
    """OpenID metadata and JWKS on 127.0.0.1, counting how often keys are fetched."""

    def __init__(self) -> None:
        self.fetches = 0
        self.delay = 0.0
        self._server: TestServer | None = None

    @property
    def metadata_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/v1/.well-known/openidconfiguration"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._keys)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _metadata(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        assert self._server is not None
        return web.json_response(
            {"issuer": ISSUER, "jwks_uri": str(self._server.make_url("/keys"))}
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.fetches += 1
        jwk = RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True)
        jwk.update(
            {"kid": KEY_ID, "use": "sig", "endorsements": ["msteams", "emulator", "webchat"]}
        )
        return web.json_response({"keys": [jwk]})


@pytest.fixture
async def keys() -> AsyncIterator[KeyServer]:
    server = KeyServer()
    await server.start()
    yield server
    await server.close()


def settings_for(metadata_url: str) -> Settings:
    return Settings(
        storage_url="memory://",
        credentials=BotCredentials(
            APP_ID=APP_ID,
            APP_PASSWORD="not-a-real-secret",
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=metadata_url,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER,
            # These tests are about inbound tokens; reply tokens must not be asked of the real
            # login.microsoftonline.com either: a closed local port (test_outbound_auth.py
            # serves a real token endpoint).
            TO_CHANNEL_FROM_BOT_LOGIN_URL="https://127.0.0.1:9/adfs",
        ),
    )


def token(
    service_url: str,
    *,
    key: Any = SIGNING_KEY,
    kid: str | None = KEY_ID,
    algorithm: str = "RS256",
    **claims: Any,
) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    headers = {"kid": kid} if kid else {}
    signing_key = key if algorithm != "none" else ""
    return jwt.encode(payload, signing_key, algorithm=algorithm, headers=headers)


async def post_with(bot: BotClient, authorization: str | None, **fields: Any) -> int:
    activity = bot.activity(text="help", channelId="msteams", **fields)
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = await bot.post(activity, headers=headers)
    return response.status


async def test_a_valid_token_is_accepted(make_bot, keys: KeyServer) -> None:
    bot = await make_bot(settings_for(keys.metadata_url))
    status = await post_with(bot, f"Bearer {token(bot.connector.url)}")
    assert status == 200


@pytest.mark.parametrize(
    "case",
    [
        "missing header",
        "not bearer",
        "garbage",
        "expired",
        "not yet valid",
        "wrong audience",
        "wrong issuer",
        "bad signature",
        "unknown key id",
        "no key id",
        "alg none",
        "service url differs",
    ],
)
async def test_bad_tokens_get_401(make_bot, keys: KeyServer, case: str) -> None:
    bot = await make_bot(settings_for(keys.metadata_url))
    url = bot.connector.url
    now = int(time.time())
    authorization: str | None = {
        "missing header": None,
        "not bearer": f"Basic {token(url)}",
        "garbage": "Bearer not.a.jwt",
        "expired": f"Bearer {token(url, exp=now - 3600, nbf=now - 7200, iat=now - 7200)}",
        "not yet valid": f"Bearer {token(url, nbf=now + 3600, iat=now + 3600)}",
        "wrong audience": f"Bearer {token(url, aud='someone-else')}",
        "wrong issuer": f"Bearer {token(url, iss='https://evil.example.org')}",
        "bad signature": f"Bearer {token(url, key=OTHER_KEY)}",
        "unknown key id": f"Bearer {token(url, kid='rotated-away')}",
        "no key id": f"Bearer {token(url, kid=None)}",
        "alg none": f"Bearer {token(url, algorithm='none')}",
        "service url differs": f"Bearer {token('https://smba.trafficmanager.net/emea/')}",
    }[case]
    assert await post_with(bot, authorization) == 401
    assert bot.connector.received == []


async def test_keys_are_cached_between_requests(make_bot, keys: KeyServer) -> None:
    bot = await make_bot(settings_for(keys.metadata_url))
    for _ in range(3):
        assert await post_with(bot, f"Bearer {token(bot.connector.url)}") == 200
    assert keys.fetches == 1


async def test_an_unreachable_key_server_gives_a_fast_503_and_the_loop_keeps_serving(
    make_bot,
) -> None:
    bot = await make_bot(settings_for("http://127.0.0.1:9/v1/.well-known/openidconfiguration"))
    started = time.monotonic()
    status = await post_with(bot, f"Bearer {token(bot.connector.url)}")
    assert status == 503
    assert time.monotonic() - started < 6
    async with bot.session.get(f"{bot.base_url}/healthz") as response:
        assert response.status == 200


async def test_a_slow_key_server_does_not_block_other_requests(make_bot, keys: KeyServer) -> None:
    keys.delay = 2.0
    bot = await make_bot(settings_for(keys.metadata_url))
    slow = asyncio.create_task(post_with(bot, f"Bearer {token(bot.connector.url)}"))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    async with bot.session.get(f"{bot.base_url}/healthz") as response:
        assert response.status == 200
    assert time.monotonic() - started < 1.0  # the loop was free while keys were fetched
    assert await slow == 200
