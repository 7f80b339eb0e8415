"""Small pieces of the Direct Line and connector protocols shared by the web chat routes."""

from __future__ import annotations

import json
import math
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from aiohttp import web


def error_response(status: int, code: str, message: str) -> web.Response:
    """The error body Direct Line and the Bot Connector both use."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


class ProtocolError(Exception):
    """A request the protocol refuses; becomes `error_response`."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> web.Response:
        response = error_response(self.status, self.code, self.message)
        response.headers.update(self.headers)
        return response


def too_many_requests(retry_after: float) -> ProtocolError:
    seconds = max(1, math.ceil(retry_after))
    return ProtocolError(
        429, "TooManyRequests", "too many requests", headers={"Retry-After": str(seconds)}
    )


async def read_json_object(request: web.Request, *, required: bool) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` unless one is required."""
    body = await request.read()  # aiohttp answers 413 itself past client_max_size
    if not body.strip():
        if required:
            raise ProtocolError(400, "BadArgument", "a JSON body is required")
        return {}
    try:
        document = json.loads(body, parse_float=_finite, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError is a ValueError
        raise ProtocolError(400, "BadArgument", "the body is not valid JSON") from error
    if not isinstance(document, dict):
        raise ProtocolError(400, "BadArgument", "the body must be a JSON object")
    return document


def _finite(text: str) -> float:
    # 1e999 would be stored as infinity and sent back as `Infinity`, which is not JSON.
    number = float(text)
    if math.isinf(number):
        raise ValueError("number out of range")
    return number


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def bearer_token(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProtocolError(401, "Unauthorized", "an Authorization: Bearer token is required")
    return token.strip()


def parse_watermark(text: str | None) -> int | None:
    if text is None or text == "" or text == "null":
        return None
    try:
        watermark = int(text)
    except ValueError as error:
        raise ProtocolError(400, "BadArgument", "the watermark is not valid") from error
    if watermark < -1:
        raise ProtocolError(400, "BadArgument", "the watermark is not valid")
    return watermark


def utc_timestamp(moment: datetime | None = None) -> str:
    """An activity timestamp as channels stamp them: UTC, milliseconds, `Z`."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


USER_ID = re.compile(r"dl_[A-Za-z0-9_-]{8,64}")
LOCALE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")
DEFAULT_LOCALE = "en-US"


def user_id_or_new(candidate: object) -> str:
    """The browser's own `dl_` id when it is well formed, else a new random one. `dl_` is the
    prefix Direct Line reserves for ids the server vouches for (embedded in the token)."""
    if isinstance(candidate, str) and USER_ID.fullmatch(candidate):
        return candidate
    return "dl_" + secrets.token_urlsafe(16)


def locale_or_default(candidate: object, default: str = DEFAULT_LOCALE) -> str:
    if isinstance(candidate, str) and LOCALE.fullmatch(candidate):
        return candidate
    return default
