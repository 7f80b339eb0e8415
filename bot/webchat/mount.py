"""Builds the web chat's objects and adds its routes to the app (all state lives in here)."""

from __future__ import annotations

import enum
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter

from bot.live_catalogue import LiveCatalogue
from bot.settings import Settings
from bot.webchat.access import LocalOnly, OriginPolicy
from bot.webchat.connector import LocalConnector
from bot.webchat.conversations import ConversationStore, Limits
from bot.webchat.directline import BOT_ACCOUNT, LocalDirectLine
from bot.webchat.page import WebChatPage
from bot.webchat.ratelimit import RateLimiter
from bot.webchat.token import DirectLineTokens, LocalTokens, TokenEndpoint, TokenSource
from bot.webchat.tokens import TokenSigner
from bot.webchat.turns import InProcessChannel

log = logging.getLogger(__name__)

TOKENS_PER_MINUTE = 10


class WebChatMode(enum.Enum):
    LOCAL = "local"
    """No credentials at all: the bot serves its own Direct Line."""
    DIRECT_LINE = "directline"
    """DIRECT_LINE_SECRET: tokens from Azure's Direct Line."""
    OFF = "off"
    """MicrosoftAppId without a Direct Line secret: no way to hand out tokens; or several
    workers without credentials: the local Direct Line lives in one process."""


def webchat_mode(settings: Settings, workers: int = 1) -> WebChatMode:
    if settings.direct_line_secret:
        return WebChatMode.DIRECT_LINE
    if settings.credentials.enabled:
        return WebChatMode.OFF  # a local Direct Line would bypass the bot's authentication
    if workers > 1:
        # Its conversations, sockets and token key are in one process's memory, and the next
        # request of the same browser may reach another worker.
        return WebChatMode.OFF
    return WebChatMode.LOCAL


def mount_webchat(
    app: web.Application,
    *,
    settings: Settings,
    adapter: CloudAdapter,
    bot: Bot,
    live: LiveCatalogue,
    limits: Limits | None = None,
    workers: int = 1,
) -> WebChatMode:
    mode = webchat_mode(settings, workers)
    bundle = settings.webchat_bundle or ("local" if mode is WebChatMode.LOCAL else "cdn")
    origins = OriginPolicy(settings.webchat_allowed_origins, public_url=settings.public_url)
    limiter = RateLimiter(limit=TOKENS_PER_MINUTE, window_seconds=60)
    local_only: LocalOnly | None = None
    source: TokenSource | None = None
    domain: str | None = settings.direct_line_endpoint

    if mode is WebChatMode.LOCAL:
        limits = limits or Limits()
        local_only = LocalOnly(public=settings.webchat_public)
        store = ConversationStore(limits)
        channel = InProcessChannel(adapter, bot)
        connector = LocalConnector(store, bot_account=BOT_ACCOUNT)
        directline = LocalDirectLine(
            store=store,
            signer=TokenSigner(ttl_seconds=limits.token_ttl_seconds),
            channel=channel,
            access=local_only,
            connector_path=connector.path,
            limiter=limiter,  # the same budget as the token endpoint: 10 a minute
        )
        connector.add_routes(app)
        directline.add_routes(app)
        source = LocalTokens(directline)
        domain = None  # the page's own origin
        app.on_shutdown.append(_closing(store.close, channel))
        log.info(
            "web chat: open %s/ (local Direct Line, %s)",
            settings.base_url,
            "open to the network" if settings.webchat_public else "this machine only",
        )
    elif mode is WebChatMode.DIRECT_LINE:
        tokens = DirectLineTokens(settings.direct_line_endpoint, settings.direct_line_secret)
        source = tokens
        app.cleanup_ctx.append(_session(tokens))
        log.info("web chat: tokens from Direct Line at %s", settings.direct_line_endpoint)
    elif settings.credentials.enabled:
        log.warning("web chat: off (MicrosoftAppId is set but DIRECT_LINE_SECRET is not)")
    else:
        log.warning(
            "web chat: off (the local Direct Line needs WORKERS=1; with several workers, "
            "use Azure's Direct Line: MicrosoftAppId and DIRECT_LINE_SECRET)"
        )

    TokenEndpoint(
        source,
        origins=origins,
        limiter=limiter,
        local_only=local_only,
        unavailable=(
            "set DIRECT_LINE_SECRET (the Azure Bot's Direct Line channel secret)"
            if settings.credentials.enabled
            else "the local web chat needs WORKERS=1"
        ),
    ).add_routes(app)
    WebChatPage(
        live,
        available=source is not None,
        bundle=bundle,
        directline_domain=domain,
        local_only=local_only,
        frame_ancestors=origins.embedders,
    ).add_routes(app)
    return mode


def _closing(
    close_store: Callable[[], None], channel: InProcessChannel
) -> Callable[[web.Application], Awaitable[None]]:
    async def on_shutdown(app: web.Application) -> None:
        # Open WebSockets would hold the server's graceful shutdown for a minute.
        close_store()
        await channel.close()

    return on_shutdown


def _session(
    tokens: DirectLineTokens,
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        yield
        await tokens.close()

    return lifetime
