"""Who may use the web chat: loopback-only for the local Direct Line, allowed origins for tokens."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web


def is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class LocalOnly:
    """The local Direct Line has no secret to protect it, so by default it serves only this
    machine (`request.remote` on loopback). `WEBCHAT_PUBLIC=true` opens it to the network,
    for a kiosk or a demo on a LAN. A reverse proxy on the same machine makes every request
    look local: use Azure's Direct Line in production."""

    def __init__(self, *, public: bool) -> None:
        self.public = public

    def allows(self, request: web.Request) -> bool:
        return self.public or is_loopback(request.remote)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class OriginPolicy:
    """Which web pages may ask for a token. The bot's own page always may (same host); so may
    `PUBLIC_URL` and the origins in `WEBCHAT_ALLOWED_ORIGINS` (`*` for any). A request without
    an `Origin` header does not come from a browser page (a server, curl) and is let through;
    the rate limit still applies."""

    def __init__(self, allowed: tuple[str, ...], *, public_url: str = "") -> None:
        self._any = "*" in allowed
        self._allowed = frozenset(a for a in allowed if a != "*") | (
            {origin_of(public_url)} if public_url else set()
        )

    @property
    def embedders(self) -> tuple[str, ...]:
        """Origins that may frame the page (CSP frame-ancestors)."""
        return ("*",) if self._any else tuple(sorted(self._allowed))

    def allows(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        origin = origin.strip().lower()
        return self._any or self._same_host(origin, request) or origin in self._allowed

    def cors_headers(self, request: web.Request) -> dict[str, str]:
        """CORS answer for a page on another origin that is allowed to ask."""
        origin = request.headers.get("Origin")
        if origin is None or self._same_host(origin.lower(), request):
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        }

    @staticmethod
    def _same_host(origin: str, request: web.Request) -> bool:
        # Compare host and port only: behind a TLS-terminating proxy the request arrives as
        # http while the page's origin is https.
        return urlsplit(origin).netloc == request.host.lower()
