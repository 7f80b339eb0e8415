"""The operators' bearer token (`ADMIN_TOKEN`), checked the same way by every admin route."""

from __future__ import annotations

import hmac

from aiohttp import web


def refused(request: web.Request, admin_token: str) -> web.Response | None:
    """The answer to give when the request may not use the admin API, else None."""
    if not admin_token:
        return web.json_response(
            {"error": "the admin API is disabled; set ADMIN_TOKEN to enable it"}, status=403
        )
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), admin_token.encode()):
        return web.json_response({"error": "a valid admin bearer token is required"}, status=401)
    return None
