"""The web chat's small parts on their own: tokens, bounded conversations, rate limit, access,
settings."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import make_mocked_request

from bot.settings import Settings, SettingsError
from bot.webchat import WebChatMode, webchat_mode
from bot.webchat.access import LocalOnly, OriginPolicy, is_loopback
from bot.webchat.conversations import ConversationStore, Limits
from bot.webchat.protocol import locale_or_default, user_id_or_new
from bot.webchat.ratelimit import RateLimiter
from bot.webchat.tokens import SCOPE_STREAM, TokenError, TokenSigner


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_token_is_bound_to_its_conversation_user_and_lifetime() -> None:
    clock = FakeClock()
    signer = TokenSigner(ttl_seconds=1800, clock=clock)
    token = signer.issue("conv-1", "dl_user-000000001")
    grant = signer.verify(token)
    assert (grant.conversation_id, grant.user_id) == ("conv-1", "dl_user-000000001")
    clock.now += 1799
    signer.verify(token)
    clock.now += 1
    with pytest.raises(TokenError) as expired:
        signer.verify(token)
    assert expired.value.expired


def test_tokens_of_another_process_scope_or_tampered_are_unknown() -> None:
    signer = TokenSigner(ttl_seconds=60)
    token = signer.issue("conv-1", "dl_user-000000001")
    with pytest.raises(TokenError):
        TokenSigner(ttl_seconds=60).verify(token)  # another key (a restart)
    with pytest.raises(TokenError):
        signer.verify(token, scope=SCOPE_STREAM)
    head, body, signature = token.split(".")
    with pytest.raises(TokenError):
        signer.verify(f"{head}.{body}x.{signature}")
    for garbage in ("", "a", "a.b", "a.b.c.d"):
        with pytest.raises(TokenError):
            signer.verify(garbage)


def test_web_chat_can_read_the_user_from_the_token() -> None:
    """Web Chat honours a `dl_` user id only when the token carries it (a JWT `user` claim)."""
    import base64
    import json

    token = TokenSigner(ttl_seconds=60).issue("conv-1", "dl_user-000000001")
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["user"] == "dl_user-000000001"


def test_a_conversation_keeps_its_newest_activities_within_its_limits() -> None:
    store = ConversationStore(Limits(max_activities=3, max_bytes=10_000))
    conversation = store.create("c", "dl_u", "en-US")
    for n in range(5):
        conversation.append({"type": "message", "text": str(n)})
    assert [a["text"] for a in conversation.since(None)] == ["2", "3", "4"]
    assert [a["id"] for a in conversation.since(3)] == ["c|0000004"]
    assert conversation.watermark == "4"

    small = ConversationStore(Limits(max_bytes=300)).create("d", "dl_u", "en-US")
    for n in range(5):
        small.append({"type": "message", "text": "x" * 100 + str(n)})
    kept = small.since(None)
    assert 1 <= len(kept) < 5 and kept[-1]["text"].endswith("4")


def test_the_idlest_conversation_nobody_listens_to_goes_first() -> None:
    clock = FakeClock()
    store = ConversationStore(Limits(max_conversations=2), clock=clock)
    listened = store.create("a", "dl_u", "en-US")
    listened.listen(None)
    clock.now += 1
    store.create("b", "dl_u", "en-US")
    clock.now += 1
    store.create("c", "dl_u", "en-US")
    assert len(store) == 2
    assert store.get("b") is None and store.get("a") is listened and store.get("c")


async def test_a_listener_that_falls_behind_is_closed_not_grown() -> None:
    conversation = ConversationStore(Limits(max_pending_frames=3)).create("c", "u", "en-US")
    listener = conversation.listen(None)
    for n in range(10):
        conversation.append({"type": "message", "text": str(n)})
    assert listener.closed
    received = [await listener.next(0.01) for _ in range(4)]
    assert received[-1] is None  # the socket closes; the client replays from its watermark
    assert await asyncio.wait_for(listener.next(0.01), 1) in (None, {})


def test_the_rate_limit_slides_per_client() -> None:
    clock = FakeClock()
    limiter = RateLimiter(limit=2, window_seconds=60, clock=clock, max_clients=3)
    assert limiter.retry_after("a") == 0 and limiter.retry_after("a") == 0
    clock.now += 10
    assert limiter.retry_after("a") == pytest.approx(50)
    assert limiter.retry_after("b") == 0
    clock.now += 51
    assert limiter.retry_after("a") == 0
    for client in "cdefg":
        limiter.retry_after(client)
    assert len(limiter._hits) <= 3


@pytest.mark.parametrize(
    ("remote", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("192.168.1.20", False),
        ("::ffff:10.0.0.1", False),
        ("2001:db8::1", False),
        ("", False),
        (None, False),
        ("not-an-address", False),
    ],
)
def test_loopback_addresses(remote: str | None, local: bool) -> None:
    assert is_loopback(remote) is local


def test_local_only_unless_public() -> None:
    class Transport:
        def get_extra_info(self, name: str, default: object = None) -> object:
            return ("10.1.2.3", 5555) if name == "peername" else default

    request = make_mocked_request("GET", "/", transport=Transport())
    assert not LocalOnly(public=False).allows(request)
    assert LocalOnly(public=True).allows(request)


def test_origins() -> None:
    policy = OriginPolicy(("https://conf.example",), public_url="https://bot.example/x")

    def request(origin: str | None, host: str = "bot.internal:3978") -> object:
        headers = {"Host": host} | ({"Origin": origin} if origin else {})
        return make_mocked_request("POST", "/api/directline/token", headers=headers)

    assert policy.allows(request(None))  # type: ignore[arg-type]
    assert policy.allows(request("http://bot.internal:3978"))  # type: ignore[arg-type]
    assert policy.allows(request("https://conf.example"))  # type: ignore[arg-type]
    assert policy.allows(request("https://bot.example"))  # type: ignore[arg-type]
    assert not policy.allows(request("https://conf.example.evil"))  # type: ignore[arg-type]
    assert not policy.allows(request("null"))  # type: ignore[arg-type]
    assert OriginPolicy(("*",)).allows(request("https://anyone.example"))  # type: ignore[arg-type]
    assert policy.embedders == ("https://bot.example", "https://conf.example")


def test_user_ids_and_locales() -> None:
    assert user_id_or_new("dl_abcdefgh") == "dl_abcdefgh"
    assert user_id_or_new("dl_abc") != "dl_abc"
    assert user_id_or_new(None) != user_id_or_new(None)
    assert locale_or_default("fr-FR") == "fr-FR"
    assert locale_or_default("fr-FR<script>") == "en-US"
    assert locale_or_default(None, "fr-FR") == "fr-FR"


def test_settings_from_the_environment() -> None:
    settings = Settings.from_sources(
        [],
        {
            "DIRECT_LINE_SECRET": "s",
            "DIRECT_LINE_ENDPOINT": "https://europe.directline.botframework.com/v3/directline/",
            "WEBCHAT_ALLOWED_ORIGINS": "https://Conf.example, https://kiosk.example:8443/",
            "WEBCHAT_PUBLIC": "true",
            "WEBCHAT_BUNDLE": "LOCAL",
        },
    )
    assert settings.direct_line_secret == "s"
    assert settings.direct_line_endpoint == (
        "https://europe.directline.botframework.com/v3/directline"
    )
    assert settings.webchat_allowed_origins == (
        "https://conf.example",
        "https://kiosk.example:8443",
    )
    assert settings.webchat_public is True
    assert settings.webchat_bundle == "local"
    defaults = Settings.from_sources([], {})
    assert defaults.webchat_bundle == "" and not defaults.webchat_public
    assert webchat_mode(defaults) is WebChatMode.LOCAL
    assert webchat_mode(settings) is WebChatMode.DIRECT_LINE
    with_app_id = Settings.from_sources([], {"MicrosoftAppId": "id"})
    assert webchat_mode(with_app_id) is WebChatMode.OFF


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBCHAT_BUNDLE", "unpkg"),
        ("WEBCHAT_PUBLIC", "maybe"),
        ("WEBCHAT_ALLOWED_ORIGINS", "conference.example"),
        ("WEBCHAT_ALLOWED_ORIGINS", "https://conference.example/chat"),
        ("DIRECT_LINE_ENDPOINT", "directline.botframework.com"),
    ],
)
def test_bad_web_chat_settings_are_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_sources([], {name: value})
