"""Fixtures giving each storage test a fresh store on every backend (see tests/backends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.storage import HallwayStorage, open_storage
from tests.backends import backend, make_url, postgres_url

__all__ = ["backend", "make_url", "postgres_url"]


@pytest.fixture
def storage_url(backend: str, make_url: Callable[[str], str]) -> str:
    """One URL per test for the parametrised `backend`; open it again to simulate a restart."""
    return make_url(backend)


@pytest.fixture
async def storage(storage_url: str) -> AsyncIterator[HallwayStorage]:
    store = open_storage(storage_url)
    try:
        yield store
    finally:
        await store.close()
