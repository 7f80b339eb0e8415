"""`GET /`: the web chat page, branded with the conference's name, in the browser's language.

The page is a small HTML shell around Microsoft's Web Chat bundle and `hallway-webchat.js`.
Its Content-Security-Policy allows scripts, styles, images and connections from the bot's own
origin only (plus, in production, Microsoft's CDN for the bundle and Direct Line), so served
locally it cannot reach anything else: no CDN, no web fonts, no telemetry.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import html
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from string import Template

from aiohttp import web

from bot.live_catalogue import LiveCatalogue
from bot.webchat.access import LocalOnly, origin_of
from bot.webchat.token import TOKEN_PATH

STATIC = Path(__file__).resolve().parent / "static"
WEBCHAT_VERSION = "4.18.1"
WEBCHAT_SHA256 = "0a68ad0a64fc04d621197da10c3eec0f843e16f7d03f6bcbed29b47517cf9bff"
EMPTY_STYLE_HASH = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
CDN_BUNDLE = f"https://cdn.botframework.com/botframework-webchat/{WEBCHAT_VERSION}/webchat.js"


@dataclass(frozen=True)
class PageText:
    locale: str
    """What Web Chat is given: it has its own strings for `en-US` and `fr-FR`."""
    tagline: str
    chat_label: str
    connecting: str
    retrying: str
    unavailable: str
    not_configured: str
    noscript: str
    local_only: str


TEXTS = {
    "en": PageText(
        locale="en-US",
        tagline="Ask Hallway what's on, and keep your shortlist.",
        chat_label="Chat with Hallway",
        connecting="Connecting…",
        retrying="Still connecting…",
        unavailable="The chat is not available right now. Please try again in a moment.",
        not_configured="The web chat is not set up on this server yet.",
        noscript="This chat needs JavaScript.",
        local_only="This web chat only answers on the machine it runs on.",
    ),
    "fr": PageText(
        locale="fr-FR",
        tagline="Demandez à Hallway ce qui se passe, et gardez votre sélection.",
        chat_label="Discuter avec Hallway",
        connecting="Connexion…",
        retrying="Connexion en cours…",
        unavailable="Le chat n'est pas disponible pour le moment. Réessayez dans un instant.",
        not_configured="Le chat web n'est pas encore configuré sur ce serveur.",
        noscript="Ce chat a besoin de JavaScript.",
        local_only="Ce chat web ne répond que sur la machine où il tourne.",
    ),
}


def page_language(request: web.Request) -> str:
    """`fr` or `en`: `?lang=` when given (kiosks), else the best of Accept-Language."""
    asked = request.query.get("lang", "").lower()
    if asked in TEXTS:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in TEXTS and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


class Asset:
    """A static file kept in memory with its gzip form (the bundle is 3.9 MB, 0.9 MB gzipped),
    served with a strong ETag and cached for a long time: its URL carries the content hash."""

    def __init__(self, path: Path, content_type: str) -> None:
        self.path = path
        self.content_type = content_type
        self.body = path.read_bytes()
        self.digest = hashlib.sha256(self.body).hexdigest()
        self._gzipped: bytes | None = None

    @property
    def version(self) -> str:
        return self.digest[:12]

    async def handle(self, request: web.Request) -> web.Response:
        headers = {
            "ETag": f'"{self.version}"',
            "Cache-Control": "public, max-age=31536000, immutable"
            if request.query.get("v") == self.version
            else "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Vary": "Accept-Encoding",
        }
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return web.Response(status=304, headers=headers)
        body = self.body
        if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 1024:
            if self._gzipped is None:  # compressed once, off the event loop
                self._gzipped = await asyncio.to_thread(gzip.compress, body, 6)
            body = self._gzipped
            headers["Content-Encoding"] = "gzip"
        return web.Response(body=body, content_type=self.content_type, headers=headers)


class WebChatPage:
    def __init__(
        self,
        live: LiveCatalogue,
        *,
        available: bool,
        bundle: str,
        directline_domain: str | None,
        local_only: LocalOnly | None,
        frame_ancestors: tuple[str, ...] = (),
    ) -> None:
        """`directline_domain` None means the local Direct Line on the page's own origin;
        `local_only` is set when the page serves the local Direct Line."""
        self._live = live
        self._available = available
        self._bundle = bundle
        self._domain = directline_domain
        self._local_only = local_only
        self._frame_ancestors = frame_ancestors
        self._template = Template((STATIC / "index.html").read_text(encoding="utf-8"))
        self.assets = {
            "hallway-webchat.js": Asset(STATIC / "hallway-webchat.js", "text/javascript"),
            "hallway-webchat.css": Asset(STATIC / "hallway-webchat.css", "text/css"),
        }
        if bundle == "local":
            self.assets["webchat.js"] = Asset(STATIC / "webchat.js", "text/javascript")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.handle)
        for name, asset in self.assets.items():
            app.router.add_get(f"/static/{name}", asset.handle)

    def _url(self, name: str) -> str:
        return f"/static/{name}?v={self.assets[name].version}"

    async def handle(self, request: web.Request) -> web.Response:
        language = page_language(request)
        text = TEXTS[language]
        if self._local_only is not None and not self._local_only.allows(request):
            return web.Response(status=403, text=text.local_only)
        nonce = secrets.token_urlsafe(16)
        conference = self._live.catalogue.conference.name
        config = {
            "available": self._available,
            "locale": text.locale,
            "tokenUrl": TOKEN_PATH,
            "domain": self._domain,
            "nonce": nonce,
            "strings": {
                "connecting": text.connecting,
                "retrying": text.retrying,
                "unavailable": text.unavailable,
                "notConfigured": text.not_configured,
            },
        }
        page = self._template.substitute(
            lang=language,
            title=html.escape(f"{conference} · Hallway"),
            conference=html.escape(conference),
            tagline=html.escape(text.tagline),
            chat_label=html.escape(text.chat_label),
            connecting=html.escape(text.connecting),
            noscript=html.escape(text.noscript),
            css_url=self._url("hallway-webchat.css"),
            page_script_url=self._url("hallway-webchat.js"),
            bundle_url=self._url("webchat.js") if self._bundle == "local" else CDN_BUNDLE,
            config=_script_json(config),
        )
        headers = {
            "Content-Security-Policy": self._policy(request, nonce),
            "Cache-Control": "no-store",  # the nonce must be new on every load
            "Content-Language": language,
            "Vary": "Accept-Language",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
        return web.Response(
            text=page,
            content_type="text/html",
            status=200 if self._available else 503,
            headers=headers,
        )

    def _policy(self, request: web.Request, nonce: str) -> str:
        scripts = ["'self'"]
        if self._bundle == "cdn":
            scripts.append(origin_of(CDN_BUNDLE))
        if self._domain is None:
            # 'self' covers ws: of the same host in current browsers; named for older ones.
            connect = ["'self'", f"ws://{request.host}", f"wss://{request.host}"]
        else:
            directline = origin_of(self._domain)
            connect = ["'self'", directline, directline.replace("https://", "wss://", 1)]
        ancestors = " ".join(("'self'", *self._frame_ancestors))
        return "; ".join(
            (
                "default-src 'none'",
                f"script-src {' '.join(scripts)}",
                # Web Chat writes its styles into <style> elements carrying this nonce; one of
                # its style sheets is created empty without it and filled through the CSSOM,
                # hence the hash of the empty string (no content can match it).
                f"style-src 'self' 'nonce-{nonce}' '{EMPTY_STYLE_HASH}'",
                "img-src 'self' data: blob:",
                "font-src 'self'",
                "media-src 'self' blob:",
                f"connect-src {' '.join(connect)}",
                "base-uri 'none'",
                "form-action 'none'",
                "object-src 'none'",
                f"frame-ancestors {ancestors}",
            )
        )


def _script_json(value: object) -> str:
    """JSON that is safe inside <script>: a conference name cannot close the element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
