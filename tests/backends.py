"""Fixtures shared by the storage and outbox suites: a private URL per test on each backend.

PostgreSQL comes from ``HALLWAY_TEST_POSTGRES_URL`` (default the local test server); when it
cannot be reached the PostgreSQL cases are skipped with the reason. Each PostgreSQL URL names its
own table prefix; every table made from it is dropped after the test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# Tables a prefix may have made: the state table itself and the outbox's three.
TABLE_SUFFIXES = ("", "_nudges", "_unreachable", "_placements")


async def _probe(url: str) -> str | None:
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("HALLWAY_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    # In a thread of its own: this fixture may be first requested from inside a running loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reason = pool.submit(asyncio.run, _probe(url)).result()
    if reason is not None:
        pytest.skip(f"PostgreSQL at {url.split('@')[-1]} is not reachable: {reason}")
    return url


async def _drop_tables(url: str, prefix: str) -> None:
    connection = await asyncpg.connect(url, timeout=5)
    try:
        for suffix in TABLE_SUFFIXES:
            await connection.execute(f'DROP TABLE IF EXISTS "{prefix}{suffix}"')
    finally:
        await connection.close()


@pytest.fixture
async def make_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Callable[[str], str]]:
    """``make_url(backend)`` -> a URL private to this test; several calls give separate stores
    (separate files, separate tables)."""
    dropped: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        if backend == "memory":
            return "memory://"
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex / 'state.sqlite3'}"
        if backend == "postgresql":
            base = request.getfixturevalue("postgres_url")
            prefix = f"hallway_test_{uuid.uuid4().hex[:16]}"
            dropped.append((base, prefix))
            separator = "&" if "?" in base else "?"
            return f"{base}{separator}table={prefix}"
        raise AssertionError(f"unknown backend {backend}")

    yield make
    for base, prefix in dropped:
        await _drop_tables(base, prefix)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value
