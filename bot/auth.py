"""Inbound token checks that never block the event loop.

botbuilder fetches the channel's OpenID metadata and signing keys with `requests.get`, with no
timeout, inside the event loop: while the key server is slow or unreachable every request of
every attendee waits, and then fails with an error that surfaces as a 500. An unknown key id
raises an IndexError the same way.

`SigningKeys` replaces that fetcher for the app's lifetime: keys come over aiohttp with a
timeout, are cached and refreshed in the background of a request (at most one refresh at a
time), stale keys keep serving when the server is down, and the outcomes are explicit:
`PermissionError` for a token no key can verify (401), `KeyServerUnavailable` when no key is
known at all and the server cannot be reached (503).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

KEYS_MAX_AGE = 24 * 3600.0
UNKNOWN_KEY_REFRESH_INTERVAL = 300.0
FETCH_TIMEOUT = 5.0


class KeyServerUnavailable(ConnectionError):
    """No signing key is known and the key server could not be reached."""


@dataclass(frozen=True)
class SigningKey:
    """What botbuilder's token extractor reads from a key: the key and its endorsements."""

    public_key: Any
    endorsements: list[str]


class OpenIdKeys:
    """The signing keys published behind one OpenID metadata URL."""

    def __init__(self, url: str, keys: SigningKeys) -> None:
        self.url = url
        self._owner = keys
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self, key_id: str | None) -> SigningKey:
        if not key_id:
            raise PermissionError("the token names no signing key")
        if time.monotonic() - self._fetched_at > KEYS_MAX_AGE:
            await self._refresh()
        key = self._keys.get(key_id)
        if key is None and time.monotonic() - self._fetched_at > UNKNOWN_KEY_REFRESH_INTERVAL:
            await self._refresh()  # keys rotate: look again, but not on every forged token
            key = self._keys.get(key_id)
        if key is None:
            raise PermissionError("the token is signed with an unknown key")
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(key))
        except Exception as error:
            raise PermissionError("the signing key cannot be used") from error
        return SigningKey(public_key, list(key.get("endorsements") or ()))

    async def _refresh(self) -> None:
        started = self._fetched_at
        async with self._lock:
            if self._fetched_at != started:
                return  # another request refreshed while this one waited
            try:
                metadata = await self._owner.fetch_json(self.url)
                keys = await self._owner.fetch_json(str(metadata["jwks_uri"]))
                self._keys = {str(k["kid"]): k for k in keys["keys"] if "kid" in k}
                self._fetched_at = time.monotonic()
            except (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError) as error:
                if not self._keys:
                    log.error("signing keys unavailable from %s: %s", self.url, error)
                    raise KeyServerUnavailable(f"cannot fetch signing keys: {error}") from error
                # Keep serving with the keys we have; try again in a while, not every request.
                log.warning("signing keys not refreshed from %s, using cached: %s", self.url, error)
                self._fetched_at = time.monotonic() - KEYS_MAX_AGE + UNKNOWN_KEY_REFRESH_INTERVAL


class SigningKeys:
    """Owns the key caches and the HTTP session; installed into botbuilder for the app's life."""

    def __init__(self, timeout: float = FETCH_TIMEOUT) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._by_url: dict[str, OpenIdKeys] = {}
        self._session: aiohttp.ClientSession | None = None
        self._original: Any = None

    def for_url(self, url: str) -> OpenIdKeys:
        keys = self._by_url.get(url)
        if keys is None:
            keys = self._by_url[url] = OpenIdKeys(url, self)
        return keys

    async def fetch_json(self, url: str) -> Any:
        if self._session is None:
            raise KeyServerUnavailable("the key fetcher is not running")
        async with self._session.get(url) as response:
            response.raise_for_status()
            return await response.json(content_type=None)

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        # botbuilder builds a token extractor per request and asks this static factory for the
        # metadata of its URL; answering it here is the one seam that covers every channel.
        self._original = JwtTokenExtractor.__dict__["get_open_id_metadata"]
        JwtTokenExtractor.get_open_id_metadata = staticmethod(self.for_url)

    async def close(self) -> None:
        if self._original is not None:
            JwtTokenExtractor.get_open_id_metadata = self._original
            self._original = None
        if self._session is not None:
            await self._session.close()
            self._session = None
