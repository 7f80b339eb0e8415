"""Bearer tokens for replies: from the bot's own credentials, off the event loop, bounded.

botbuilder's `MicrosoftAppCredentials` fetch tokens through MSAL, with a blocking HTTP call and
no timeout, and MSAL first asks login.microsoftonline.com about any login host it does not
know (a private or test cloud). `BearerTokens` fetches on a worker thread, builds the MSAL client
botbuilder would build but with a timeout and without that discovery call, keeps each token
until shortly before it expires, and after a failed fetch fails at once for a few seconds, so
the apology that follows a failed reply does not wait for the login endpoint a second time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import jwt
from botframework.connector.auth import (
    AppCredentials,
    AuthenticationConstants,
    MicrosoftAppCredentials,
)
from msal import ConfidentialClientApplication
from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS

TOKEN_MARGIN = 300.0
"""Seconds before its expiry that a token is renewed."""
TOKEN_TIMEOUT = 6.0
"""Seconds a token fetch may take (MSAL's connect and read timeout, and the wait for it). Two in
a row (the reply, then the apology) stay under the 15 s after which Teams re-sends."""
RETRY_PAUSE = 5.0
"""Seconds after a failed fetch during which sends fail at once instead of fetching again."""
UNKNOWN_LIFETIME = 600.0
"""How long to keep a token whose expiry cannot be read (AAD's shortest lifetime is 10 min)."""


class TokenUnavailable(Exception):
    """No token could be had from the login endpoint just now."""


class BearerTokens:
    """Outbound tokens per set of credentials: fetched off the loop, kept until near expiry,
    and fetched once when many turns need a new one at the same moment."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._failed: dict[tuple[str, str], tuple[float, str]] = {}

    async def header(self, credentials: Any) -> str | None:
        """``Bearer …`` for these credentials, or None when they are anonymous (no app id)."""
        if not isinstance(credentials, AppCredentials) or not _signs(credentials):
            return None
        key = _token_key(credentials)
        cached = self._tokens.get(key)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._tokens.get(key)
            if cached is not None and cached[1] > time.time():
                return cached[0]
            failed = self._failed.get(key)
            if failed is not None and failed[0] > time.monotonic():
                raise TokenUnavailable(f"no token (retrying shortly): {failed[1]}")
            try:
                token = await asyncio.wait_for(
                    asyncio.to_thread(_fetch, credentials), TOKEN_TIMEOUT + 1
                )
            except Exception as error:
                reason = f"{type(error).__name__}: {error}"[:300]
                self._failed[key] = (time.monotonic() + RETRY_PAUSE, reason)
                raise TokenUnavailable(f"no token from the login endpoint: {reason}") from error
            self._failed.pop(key, None)
            header = f"Bearer {token}"
            self._tokens[key] = (header, _renew_at(token))
            return header

    def forget(self, credentials: Any) -> None:
        """Drop a token the channel refused (401), so the next send fetches a new one."""
        if isinstance(credentials, AppCredentials):
            self._tokens.pop(_token_key(credentials), None)


def _fetch(credentials: AppCredentials) -> str:
    """On a worker thread: the token, through the credentials' own MSAL client."""
    if isinstance(credentials, MicrosoftAppCredentials) and getattr(credentials, "app", 1) is None:
        # The client botbuilder builds on first use (same id, secret and authority), with a
        # timeout, and without instance discovery for a login host MSAL does not know.
        # Building it may fetch the authority's metadata: another reason to be on this thread.
        host = urlsplit(credentials.oauth_endpoint).hostname or ""
        credentials.app = ConfidentialClientApplication(
            client_id=credentials.microsoft_app_id,
            client_credential=credentials.microsoft_app_password,
            authority=credentials.oauth_endpoint,
            timeout=TOKEN_TIMEOUT,
            instance_discovery=host in WELL_KNOWN_AUTHORITY_HOSTS,
        )
    return str(credentials.get_access_token())


def _token_key(credentials: AppCredentials) -> tuple[str, str]:
    return (str(credentials.microsoft_app_id), str(credentials.oauth_scope))


def _signs(credentials: AppCredentials) -> bool:
    app_id = credentials.microsoft_app_id
    return bool(app_id) and app_id != AuthenticationConstants.ANONYMOUS_SKILL_APP_ID


def _renew_at(token: str) -> float:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        expires = float(claims["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return time.time() + UNKNOWN_LIFETIME
    remaining = expires - time.time()
    # A short-lived token is kept for half its life rather than fetched on every send.
    return expires - min(TOKEN_MARGIN, max(remaining, 0) / 2)
