"""A per-client sliding-window rate limit, small and bounded in memory.

Each token costs a call to Azure's Direct Line (and opens a conversation), so one client must
not mint them in a loop. Clients are told when to come back (`Retry-After`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        *,
        limit: int,
        window_seconds: float,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._max_clients = max_clients
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> float:
        """Record a request from `client`; 0 when it may go ahead, else seconds to wait."""
        now = self._clock()
        hits = self._hits.pop(client, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        self._hits[client] = hits  # re-inserted: the dict's order is least recently seen first
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > self._max_clients:
            self._forget_oldest()
        return 0.0

    def _forget_oldest(self) -> None:
        # The least recently seen clients go first; their windows have mostly run out anyway.
        for client in list(self._hits)[: len(self._hits) - self._max_clients]:
            del self._hits[client]
