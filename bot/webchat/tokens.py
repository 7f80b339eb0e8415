"""Tokens of the local Direct Line: short-lived, signed, bound to one conversation and one user.

They are shaped like Direct Line's own tokens (a JWT whose payload names the `user`) because Web
Chat reads the user id out of the token: an id starting with `dl_` is only honoured when the
token carries it, which is what keeps one browser's id stable across visits. The signing key
is random per process, so a restart invalidates every token, as it does every conversation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ISSUER = "hallway-local-directline"
SCOPE_CONVERSATION = "conversation"
SCOPE_STREAM = "stream"


class TokenError(Exception):
    """The token cannot be used: `expired` tells a client to get a new one."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: this user, in this conversation, until `expires_at`."""

    conversation_id: str
    user_id: str
    scope: str
    expires_at: float


class TokenSigner:
    def __init__(
        self,
        *,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
        key: bytes | None = None,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._key = key or secrets.token_bytes(32)

    def now(self) -> float:
        return self._clock()

    def issue(
        self,
        conversation_id: str,
        user_id: str,
        *,
        scope: str = SCOPE_CONVERSATION,
        ttl_seconds: float | None = None,
    ) -> str:
        now = int(self._clock())
        claims = {
            "iss": ISSUER,
            "conv": conversation_id,
            "user": user_id,
            "scope": scope,
            "iat": now,
            "nbf": now,
            "exp": now + int(ttl_seconds or self.ttl_seconds),
            "jti": secrets.token_urlsafe(12),
        }
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{head}.{body}.{self._sign(head, body)}"

    def verify(self, token: str, *, scope: str = SCOPE_CONVERSATION) -> Grant:
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenError("not a token")
        head, body, signature = parts
        if not hmac.compare_digest(signature, self._sign(head, body)):
            raise TokenError("unknown token")
        claims = _claims(body)
        if claims.get("iss") != ISSUER or claims.get("scope") != scope:
            raise TokenError("token not valid here")
        expires_at = float(claims["exp"])
        if self._clock() >= expires_at:
            raise TokenError("token expired", expired=True)
        return Grant(str(claims["conv"]), str(claims["user"]), scope, expires_at)

    def _sign(self, head: str, body: str) -> str:
        digest = hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return _b64(digest)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _claims(body: str) -> dict[str, Any]:
    # Only reached once the signature matched, so the payload is ours; still read it carefully.
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError as error:
        raise TokenError("unreadable token") from error
    if not isinstance(claims, dict) or not {"conv", "user", "exp"} <= claims.keys():
        raise TokenError("unreadable token")
    return claims
