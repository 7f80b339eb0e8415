"""The local Direct Line, spoken to over HTTP and WebSockets exactly as Web Chat does."""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import aiohttp
import pytest

from bot.settings import BotCredentials, Settings
from bot.webchat.conversations import Limits
from tests.webchat.conftest import (
    REHEARSAL,
    REMOTE_HEADER,
    Conversation,
    StartApp,
    WebChatClient,
    activities_in,
    auth,
    bot_messages,
    frames,
)

KEYNOTE_QUESTION = "what's on after the keynote?"


def session_ids(activity: dict[str, Any]) -> list[str]:
    """The `sessionId` of each session card, in order (from their first action's data)."""
    ids = []
    for attachment in activity.get("attachments") or []:
        actions = attachment["content"].get("actions") or []
        if actions:
            ids.append(actions[0]["data"]["sessionId"])
    return ids


async def test_a_conversation_starts_with_a_token_a_stream_url_and_a_welcome(
    webchat: WebChatClient,
) -> None:
    conversation = await webchat.start(locale="fr-FR")
    started = conversation.started
    assert started["conversationId"] == conversation.id
    assert started["token"] and 0 < started["expires_in"] <= 1800
    assert started["streamUrl"].startswith(f"ws://{webchat.base_url[len('http://') :]}/")
    # Direct Line tells the bot who joined: the bot welcomes the attendee in their language.
    [welcome] = bot_messages(await conversation.poll_until(bot_messages))
    assert "Hallway" in welcome["text"] and "Bonjour" in welcome["text"]
    assert welcome["id"] == f"{conversation.id}|0000000"
    assert welcome["from"] == {"id": "hallway", "name": "Hallway", "role": "bot"}


async def test_posting_echoes_the_activity_then_the_bot_answers_with_session_cards(
    webchat: WebChatClient,
) -> None:
    conversation = await webchat.start()
    await conversation.poll_until(bot_messages)  # the welcome
    posted = await conversation.post(KEYNOTE_QUESTION, channelData={"clientActivityID": "client-1"})
    assert posted["id"].startswith(f"{conversation.id}|")
    activities = (await conversation.poll())["activities"]
    [echo] = [a for a in activities if a["id"] == posted["id"]]
    assert echo["text"] == KEYNOTE_QUESTION
    assert echo["channelData"]["clientActivityID"] == "client-1"
    # The token says who the user is, not the activity's `from`.
    assert echo["from"] == {"id": conversation.user_id, "name": "Ada", "role": "user"}
    assert echo["channelId"] == "webchat" and "serviceUrl" not in echo
    answer = bot_messages(activities)[-1]
    # botbuilder sends to a Web Chat conversation without replyToId; order tells instead.
    assert activities.index(answer) > activities.index(echo)
    assert len(session_ids(answer)) >= 3
    ids = [a["id"] for a in activities]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


async def test_polling_with_a_watermark_returns_only_what_came_after_it(
    webchat: WebChatClient,
) -> None:
    conversation = await webchat.start()
    await conversation.poll_until(bot_messages)
    before = await conversation.poll()
    assert before["watermark"] == "0"
    await conversation.post("help")
    after = await conversation.poll(before["watermark"])
    assert [a["id"] for a in after["activities"]] == [
        f"{conversation.id}|0000001",
        f"{conversation.id}|0000002",
    ]
    assert after["watermark"] == "2"
    assert (await conversation.poll("2"))["activities"] == []


async def test_the_stream_replays_from_its_watermark_and_carries_replies(
    webchat: WebChatClient,
) -> None:
    conversation = await webchat.start()
    await conversation.poll_until(bot_messages)
    async with webchat.session.ws_connect(conversation.started["streamUrl"]) as socket:
        [replay] = await frames(socket, until=lambda f: len(f) >= 1, within=5)
        assert replay["watermark"] == "0" and len(replay["activities"]) == 1  # the welcome
        await conversation.post(KEYNOTE_QUESTION)
        received = await frames(
            socket, until=lambda f: len(bot_messages(activities_in(f))) >= 1, within=10
        )
    streamed = activities_in(received)
    assert streamed[0]["text"] == KEYNOTE_QUESTION
    assert session_ids(bot_messages(streamed)[0])
    assert received[-1]["watermark"] == "2"

    # Reconnecting (Web Chat does after a network drop) replays only what it has not seen.
    reconnected = await conversation.reconnect(watermark="1")
    assert reconnected["conversationId"] == conversation.id
    assert "watermark=1" in reconnected["streamUrl"]
    async with webchat.session.ws_connect(reconnected["streamUrl"]) as socket:
        [replay] = await frames(socket, until=lambda f: len(f) >= 1, within=5)
    assert [a["id"] for a in replay["activities"]] == [f"{conversation.id}|0000002"]


async def test_an_idle_stream_gets_empty_keep_alive_frames(
    start_app: StartApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "bot.webchat.mount.Limits", functools.partial(Limits, keepalive_seconds=0.2)
    )
    webchat = await start_app()
    conversation = await webchat.start()
    await conversation.poll_until(bot_messages)
    async with webchat.session.ws_connect(conversation.started["streamUrl"]) as socket:
        await socket.send_str("")  # DirectLineJS pings with empty messages; they are ignored
        received = await frames(socket, until=lambda f: f.count("") >= 2, within=5)
    assert received[0]["activities"] and received[1:] == ["", ""]


async def test_a_stream_needs_its_own_token(webchat: WebChatClient) -> None:
    conversation = await webchat.start()
    stream = conversation.started["streamUrl"]
    bad = stream.split("t=")[0] + "t=" + conversation.token  # a REST token is not a stream token
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await webchat.session.ws_connect(bad)
    assert refused.value.status == 403


async def test_the_token_refreshes_for_the_same_conversation(webchat: WebChatClient) -> None:
    conversation = await webchat.start()
    async with webchat.session.post(
        f"{webchat.directline}/tokens/refresh", headers=auth(conversation.token)
    ) as response:
        assert response.status == 200
        refreshed = await response.json()
    assert refreshed["conversationId"] == conversation.id
    assert refreshed["token"] != conversation.token and refreshed["expires_in"] == 1800
    conversation.token = refreshed["token"]
    await conversation.post("help")


async def test_an_expired_token_is_refused_like_direct_line_does(
    start_app: StartApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.webchat.mount.Limits", functools.partial(Limits, token_ttl_seconds=1))
    webchat = await start_app()
    conversation = await webchat.start()
    await asyncio.sleep(1.1)
    for method, url in (
        ("GET", f"{conversation.url}/activities"),
        ("POST", f"{webchat.directline}/tokens/refresh"),
    ):
        async with webchat.session.request(method, url, headers=auth(conversation.token)) as r:
            assert r.status == 403
            assert (await r.json())["error"]["code"] == "TokenExpired"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Basic abc"}, 401),
        ({"Authorization": "Bearer not-a-token"}, 403),
        ({"Authorization": "Bearer a.b.c"}, 403),
    ],
)
async def test_unknown_or_missing_tokens_are_refused(
    webchat: WebChatClient, headers: dict[str, str], status: int
) -> None:
    conversation = await webchat.start()
    async with webchat.session.get(f"{conversation.url}/activities", headers=headers) as r:
        assert r.status == status
        assert "error" in await r.json()


async def test_a_token_opens_its_own_conversation_only(webchat: WebChatClient) -> None:
    mine = await webchat.start()
    theirs = await webchat.start()
    async with webchat.session.get(
        f"{theirs.url}/activities", headers=auth(mine.token)
    ) as response:
        assert response.status == 403


async def test_an_unknown_conversation_is_404(webchat: WebChatClient) -> None:
    conversation = await webchat.start()
    missing = f"{webchat.directline}/conversations/no-such-conversation"
    async with webchat.session.get(f"{missing}/activities", headers=auth(conversation.token)) as r:
        assert r.status == 404
    async with webchat.session.get(missing, headers=auth(conversation.token)) as r:
        assert r.status == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"", "body is required"),
        (b'{"text": "no type"}', "'type'"),
        (b'{"type": "message", "text": 42}', "'text'"),
        (b'{"type": "message", "attachments": "x"}', "'attachments'"),
        (b'{"type": "message", "channelData": []}', "'channelData'"),
    ],
)
async def test_a_bad_activity_is_400_with_a_reason(
    webchat: WebChatClient, body: bytes, reason: str
) -> None:
    conversation = await webchat.start()
    async with webchat.session.post(
        f"{conversation.url}/activities",
        data=body,
        headers={**auth(conversation.token), "Content-Type": "application/json"},
    ) as response:
        assert response.status == 400
        assert reason in (await response.json())["error"]["message"]


async def test_odd_requests_never_get_a_500(webchat: WebChatClient) -> None:
    conversation = await webchat.start()
    token = auth(conversation.token)
    odd: list[tuple[str, str, dict[str, str], bytes | None]] = [
        ("GET", f"{conversation.url}/activities?watermark=abc", token, None),
        ("GET", f"{conversation.url}/activities?watermark=-5", token, None),
        ("GET", f"{conversation.url}?watermark=%00", token, None),
        ("GET", f"{conversation.url}/stream?t=", {}, None),
        ("GET", f"{conversation.url}/stream?t=x.y.z&watermark=nope", {}, None),
        ("POST", f"{webchat.directline}/tokens/generate", {}, b"\xff\xfe"),
        ("POST", f"{webchat.directline}/tokens/generate", {}, b'{"user": "nobody"}'),
        ("POST", f"{webchat.directline}/conversations", token, b"{oops"),
        ("POST", f"{webchat.directline}/conversations", {"Authorization": "Bearer"}, None),
        ("POST", f"{conversation.url}/activities", token, b'{"type": "message", "value": 1e999}'),
        ("POST", f"{conversation.url}/activities", token, b'{"type": "message", "from": 3}'),
        ("POST", f"{conversation.url}/activities", token, b'{"type": "invoke", "name": "x"}'),
        ("POST", f"{conversation.url}/activities", token, b'{"type": "typing"}'),
        ("POST", f"{conversation.url}/activities", token, b'{"type": "message", "locale": 5}'),
        ("POST", f"{webchat.base_url}/api/directline/token", {}, b"{bad"),
        ("POST", f"{webchat.base_url}/api/directline/token", {}, b'{"userId": ["x"]}'),
        ("POST", f"{webchat.base_url}/webchat/connector/guess/v3/conversations/x/activities",
         {}, b"{}"),
    ]  # fmt: skip
    for method, url, headers, body in odd:
        async with webchat.session.request(method, url, headers=headers, data=body) as response:
            assert response.status < 500, (method, url, body, response.status)


async def test_generate_accepts_the_browsers_own_user_id(webchat: WebChatClient) -> None:
    async with webchat.session.post(
        f"{webchat.directline}/tokens/generate", json={"user": {"id": "dl_my-own-browser-id"}}
    ) as response:
        assert response.status == 200
        generated = await response.json()
    async with webchat.session.post(
        f"{webchat.directline}/conversations", headers=auth(generated["token"])
    ) as response:
        started = await response.json()
    assert started["conversationId"] == generated["conversationId"]
    conversation = Conversation(
        webchat, started["conversationId"], started["token"], started, "dl_my-own-browser-id"
    )
    [welcome] = bot_messages(await conversation.poll_until(bot_messages))
    assert welcome["recipient"]["id"] == "dl_my-own-browser-id"
    # Starting again is harmless: the same conversation, no second welcome.
    async with webchat.session.post(
        f"{webchat.directline}/conversations", headers=auth(generated["token"])
    ) as response:
        assert response.status == 200
        assert (await response.json())["conversationId"] == conversation.id


async def test_the_local_direct_line_only_serves_this_machine(webchat: WebChatClient) -> None:
    stranger = {REMOTE_HEADER: "192.0.2.7"}
    for method, path in (
        ("POST", "/v3/directline/tokens/generate"),
        ("POST", "/v3/directline/conversations"),
        ("POST", "/api/directline/token"),
        ("GET", "/"),
    ):
        async with webchat.session.request(
            method, f"{webchat.base_url}{path}", headers=stranger
        ) as response:
            assert response.status == 403, path
    async with webchat.session.post(
        f"{webchat.directline}/tokens/generate", headers={REMOTE_HEADER: "::1"}
    ) as response:
        assert response.status == 200


async def test_webchat_public_opens_it_to_the_network(start_app: StartApp) -> None:
    webchat = await start_app(Settings(storage_url="memory://", now=REHEARSAL, webchat_public=True))
    async with webchat.session.post(
        f"{webchat.base_url}/api/directline/token", headers={REMOTE_HEADER: "192.0.2.7"}
    ) as response:
        assert response.status == 200


async def test_not_mounted_when_the_bot_has_credentials(start_app: StartApp) -> None:
    settings = Settings(
        storage_url="memory://",
        credentials=BotCredentials(APP_ID="00000000-0000-0000-0000-000000000001", APP_PASSWORD="x"),
    )
    webchat = await start_app(settings)
    async with webchat.session.post(f"{webchat.directline}/tokens/generate") as response:
        assert response.status == 404
    async with webchat.session.post(f"{webchat.directline}/conversations") as response:
        assert response.status == 404
    async with webchat.session.post(f"{webchat.base_url}/api/directline/token") as response:
        assert response.status == 503
        assert "DIRECT_LINE_SECRET" in (await response.json())["error"]["message"]
    async with webchat.session.get(f"{webchat.base_url}/") as response:
        assert response.status == 503


async def test_the_connector_refuses_unknown_conversations_and_paths(
    webchat: WebChatClient,
) -> None:
    conversation = await webchat.start()
    async with webchat.session.post(
        f"{webchat.base_url}/webchat/connector/not-the-key/v3/conversations/"
        f"{conversation.id}/activities",
        json={"type": "message", "text": "I am the bot, honestly"},
    ) as response:
        assert response.status == 404
    activities = (await conversation.poll())["activities"]
    assert all("honestly" not in (a.get("text") or "") for a in activities)


async def test_the_locale_given_at_start_is_the_welcomes(webchat: WebChatClient) -> None:
    """DirectLineJS sends `conversationStartProperties.locale` when it starts a conversation."""
    grant = await webchat.token()  # no locale asked for the token
    async with webchat.session.post(
        f"{webchat.directline}/conversations",
        headers=auth(grant["token"]),
        json={"user": {}, "locale": "fr-FR"},
    ) as response:
        started = await response.json()
    conversation = Conversation(
        webchat, started["conversationId"], started["token"], started, grant["userId"]
    )
    [welcome] = bot_messages(await conversation.poll_until(bot_messages))
    assert welcome["text"].startswith("Bonjour") and welcome["locale"] == "fr-FR"


async def test_new_conversations_are_paced_per_client(webchat: WebChatClient) -> None:
    """Each new conversation may push out the idlest one: a client cannot churn them."""
    statuses = []
    for _ in range(11):
        async with webchat.session.post(f"{webchat.directline}/tokens/generate") as response:
            statuses.append(response.status)
            retry_after = response.headers.get("Retry-After")
    assert statuses == [200] * 10 + [429]
    assert retry_after is not None and 1 <= int(retry_after) <= 60
