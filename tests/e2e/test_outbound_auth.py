"""Outbound authentication, tested for real: with credentials set, every reply the bot sends
to the channel carries a bearer token it got from the identity platform's token endpoint.

Everything is on 127.0.0.1: the channel (`tests/connector.py`), the channel's OpenID metadata
and signing keys for the inbound token (`KeyServer` of test_auth.py), and the identity
platform's discovery and token endpoints over TLS with a test CA (`tests/login.py`). The bot
is `python app.py` in its own process, configured only through the environment an operator
would set, so the test holds whichever HTTP client the product sends replies with: it checks
what arrives over HTTP. The process trusts the test CA through `SSL_CERT_FILE` and
`REQUESTS_CA_BUNDLE`, which must be in place before the process imports aiohttp (aiohttp makes
its default TLS context at import): one reason this is a subprocess and not `create_app`.

Never the real Microsoft login: the process gets `HTTPS_PROXY` pointing at a closed local port
with only 127.0.0.1 exempt, so any request to another host (MSAL's instance discovery at
login.microsoftonline.com, say) fails at once instead of leaving the machine.

Which authority: botbuilder builds MSAL's `ConfidentialClientApplication` with the configured
`TO_CHANNEL_FROM_BOT_LOGIN_URL` as authority and no `instance_discovery`/`validate_authority`
argument, so for any authority on a host MSAL does not know it first asks
login.microsoftonline.com whether the host is a Microsoft cloud. MSAL skips that question for
ADFS authorities (`https://host/adfs`, as on Azure Stack Hub), so the passing tests use that
shape; `test_a_tenant_authority_on_a_private_host_needs_no_instance_discovery` is the
`https://host/botframework.com` shape and fails until the product turns instance discovery off
for a configured login URL.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jwt
import pytest

from benchmarks.load.bots import BotCommand, RunningBot, running
from tests.conftest import BotClient
from tests.connector import ConnectorServer
from tests.e2e.test_auth import APP_ID, ISSUER, KeyServer, token
from tests.login import LoginServer, TestAuthority
from tests.paths import ACTIVITIES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (ACTIVITIES / "emulator-message-user-hello.json").exists(),
        reason=f"no shared activities at {ACTIVITIES}",
    ),
]

PASSWORD = "hallway-test-secret"
SCOPE = "https://api.botframework.com/.default"
NOWHERE = "http://127.0.0.1:9"
"""A closed port: the proxy for every host but 127.0.0.1, so nothing leaves the machine."""
TEAMS_RESENDS_AFTER = 15.0
"""Teams re-sends a message the bot has not answered within 15 s: the bound for any turn."""


@pytest.fixture
def authority(tmp_path: Path) -> TestAuthority:
    return TestAuthority(tmp_path)


@pytest.fixture
async def login(authority: TestAuthority) -> AsyncIterator[LoginServer]:
    server = LoginServer(authority, client_id=APP_ID, secret=PASSWORD)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def channel_keys() -> AsyncIterator[KeyServer]:
    server = KeyServer()
    await server.start()
    yield server
    await server.close()


def bot_environment(
    authority: TestAuthority,
    login: LoginServer,
    keys: KeyServer,
    *,
    tenant: str,
    password: str = PASSWORD,
) -> dict[str, str]:
    """What an operator sets for a bot on a private cloud: the standard credential names and
    botbuilder's endpoint settings, plus trust in the test CA and the no-escape proxy."""
    return {
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": password,
        "MicrosoftAppType": "MultiTenant",
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": keys.metadata_url,
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        "TO_CHANNEL_FROM_BOT_LOGIN_URL": login.login_url(tenant),
        **authority.trust_environment(),
        "HTTPS_PROXY": NOWHERE,
        "HTTP_PROXY": NOWHERE,
        "NO_PROXY": "127.0.0.1,localhost",
        "LOG_LEVEL": "INFO",
        "NUDGE_TICK_SECONDS": "0",
        "CATALOGUE_POLL_SECONDS": "0",
    }


@asynccontextmanager
async def credentialed_bot(
    env: Mapping[str, str], connector: ConnectorServer
) -> AsyncIterator[tuple[RunningBot, BotClient]]:
    """`python app.py` with `env`; its output is read from a file, so a failing turn's logged
    traceback never blocks it (tests/processes.py refuses any traceback, which the failure
    tests here expect)."""
    command = BotCommand("hallway", ("app.py", "--storage", "memory://"), env, "/healthz")
    async with running(command) as bot:
        client = BotClient(bot.url, connector)
        try:
            yield bot, client
        finally:
            await client.close()


async def say(client: BotClient, text: str, **fields: Any) -> int:
    """Post a message as the channel does, with a valid inbound token; the HTTP status."""
    url = client.connector.url
    activity = client.activity(text=text, channelId="msteams", **fields)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token(url)}"}
    response = await client.post(activity, headers=headers)
    return response.status


def audience(bearer: str) -> str:
    claims = jwt.decode(bearer, options={"verify_signature": False})
    return str(claims["aud"])


async def test_replies_carry_the_token_from_the_login_endpoint_fetched_once(
    authority: TestAuthority,
    login: LoginServer,
    channel_keys: KeyServer,
    connector: ConnectorServer,
) -> None:
    env = bot_environment(authority, login, channel_keys, tenant="adfs")
    async with credentialed_bot(env, connector) as (bot, client):
        statuses = [
            await say(client, "help", conversation={"id": f"conversation-{turn % 2}"})
            for turn in range(4)
        ]
        output = bot.output()
    assert statuses == [200] * 4

    [request] = login.token_requests  # one token for four turns in two conversations
    assert request.tenant == "adfs"
    assert request.form["grant_type"] == "client_credentials"
    assert request.form["client_id"] == APP_ID
    assert request.form["client_secret"] == PASSWORD
    assert request.form["scope"].split() == [SCOPE]
    [issued] = login.issued
    assert audience(issued) == "https://api.botframework.com"

    replies = [r for r in connector.received if r.activity.get("type") == "message"]
    assert len(replies) >= 4
    assert {r.authorization for r in connector.received} == {f"Bearer {issued}"}
    assert {r.conversation_id for r in replies} == {"conversation-0", "conversation-1"}
    assert "Traceback" not in output
    assert "login.microsoftonline.com" not in output


@pytest.mark.parametrize(
    ("failure", "logged"),
    [("wrong secret", "AADSTS7000215"), ("unavailable", "503")],
)
async def test_a_failing_login_endpoint_is_logged_not_a_500_nor_a_hang(
    authority: TestAuthority,
    login: LoginServer,
    channel_keys: KeyServer,
    connector: ConnectorServer,
    failure: str,
    logged: str,
) -> None:
    password = "not-the-secret" if failure == "wrong secret" else PASSWORD
    login.failure = "unavailable" if failure == "unavailable" else None
    env = bot_environment(authority, login, channel_keys, tenant="adfs", password=password)
    async with credentialed_bot(env, connector) as (bot, client):
        started = time.monotonic()
        status = await say(client, "help")
        elapsed = time.monotonic() - started
        async with client.session.get(f"{bot.url}/healthz") as health:
            healthy = health.status
        await asyncio.sleep(0.2)  # let the log line reach the file
        output = bot.output()
    assert status < 500 or status == 503, status  # never a 500
    assert elapsed < TEAMS_RESENDS_AFTER
    assert healthy == 200
    assert login.token_requests, "the bot never asked the login endpoint"
    assert connector.received == []  # nothing reached the channel without a token
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert errors, output[-2000:]
    assert logged in output, output[-2000:]  # the operator can read why
    assert PASSWORD not in output and password not in output  # never the secret


async def test_a_hanging_login_endpoint_leaves_the_bot_serving(
    authority: TestAuthority,
    login: LoginServer,
    channel_keys: KeyServer,
    connector: ConnectorServer,
) -> None:
    login.failure = "hang"
    env = bot_environment(authority, login, channel_keys, tenant="adfs")
    async with credentialed_bot(env, connector) as (bot, client):
        turn = asyncio.create_task(say(client, "help"))
        for _ in range(100):  # until the bot is inside its token request
            if login.token_requests:
                break
            await asyncio.sleep(0.05)
        assert login.token_requests
        started = time.monotonic()
        async with client.session.get(f"{bot.url}/healthz") as health:
            assert health.status == 200
        assert time.monotonic() - started < 1.0  # the event loop is not the one waiting
        login.release()  # the turn then completes, and the bot stops without waiting on it
        assert await turn == 200


async def test_a_hanging_login_endpoint_does_not_hang_the_turn(
    authority: TestAuthority,
    login: LoginServer,
    channel_keys: KeyServer,
    connector: ConnectorServer,
) -> None:
    login.failure = "hang"
    env = bot_environment(authority, login, channel_keys, tenant="adfs")
    async with credentialed_bot(env, connector) as (_, client):
        try:
            status = await asyncio.wait_for(say(client, "help"), TEAMS_RESENDS_AFTER)
        finally:
            login.release()
    assert status != 500


async def test_a_tenant_authority_on_a_private_host_needs_no_instance_discovery(
    authority: TestAuthority,
    login: LoginServer,
    channel_keys: KeyServer,
    connector: ConnectorServer,
) -> None:
    env = bot_environment(authority, login, channel_keys, tenant="botframework.com")
    async with credentialed_bot(env, connector) as (bot, client):
        status = await say(client, "help")
        output = bot.output()
    assert status == 200
    assert "login.microsoftonline.com" not in output
    [issued] = login.issued
    assert [r.authorization for r in connector.received][:1] == [f"Bearer {issued}"]


async def test_the_environment_trusts_the_login_server_and_nothing_leaves(
    authority: TestAuthority, login: LoginServer, channel_keys: KeyServer
) -> None:
    """The guard the tests above rely on, checked with requests (which MSAL uses) in a child
    process with exactly the bot's environment: the login server on 127.0.0.1 is reached
    directly and trusted through the test CA; a real host goes to the closed proxy port."""
    env = bot_environment(authority, login, channel_keys, tenant="adfs")
    script = (
        "import sys, requests\n"
        "print(requests.get(sys.argv[1], timeout=5).status_code)\n"
        "try:\n"
        "    requests.get('https://login.microsoftonline.com/common/discovery/instance', "
        "timeout=5)\n"
        "except requests.exceptions.ProxyError:\n"
        "    print('refused')\n"
    )
    discovery = f"{login.login_url('adfs')}/.well-known/openid-configuration"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, discovery,
        env={**os.environ, **env}, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 20)
    assert out.decode().split() == ["200", "refused"]
    assert login.discoveries == 1
