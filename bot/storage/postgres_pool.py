"""One asyncpg connection pool, opened on first use, shared in shape by the PostgreSQL state
storage and the PostgreSQL nudge outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import asyncpg

from bot.storage import DEFAULT_TABLE, _redact, table_name


def split_table(url: str) -> tuple[str, str]:
    """A ``postgresql://`` URL as (the DSN for asyncpg, the ``?table=`` name or the default);
    every other query parameter stays in the DSN."""
    parts = urlsplit(url)
    table = DEFAULT_TABLE
    rest: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name == "table":
            table = table_name(value)
        else:
            rest.append((name, value))
    return parts._replace(query=urlencode(rest)).geturl(), table


class PostgresPool:
    def __init__(
        self,
        dsn: str,
        *,
        min_size: int,
        max_size: int,
        timeout: float,
        setup: Callable[[Any], Awaitable[None]],
        check_open: Callable[[], None],
    ) -> None:
        self.dsn = dsn
        self.timeout = timeout
        self._min_size = min_size
        self._max_size = max_size
        self._setup = setup
        self._check_open = check_open
        self._pool: Any = None
        self._lock = asyncio.Lock()

    @property
    def redacted(self) -> str:
        return _redact(self.dsn)

    async def get(self) -> Any:
        """The pool, created (and the owner's tables set up) on first use."""
        if self._pool is not None:
            return self._pool
        async with self._lock:
            self._check_open()
            if self._pool is None:
                pool = await asyncpg.create_pool(
                    self.dsn,
                    min_size=self._min_size,
                    max_size=self._max_size,
                    timeout=self.timeout,
                    command_timeout=self.timeout,
                )
                try:
                    await self._setup(pool)
                except BaseException:
                    await pool.close()
                    raise
                self._pool = pool
        return self._pool

    async def ping(self) -> None:
        pool = await self.get()
        await pool.fetchval("SELECT 1", timeout=self.timeout)

    async def close(self) -> None:
        async with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), timeout=self.timeout)
        except TimeoutError:
            pool.terminate()
