"""Fixtures giving each outbox test a private outbox on every backend (see tests/backends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.nudges import Outbox, open_outbox
from tests.backends import BACKENDS, backend, make_url, postgres_url

__all__ = ["BACKENDS", "backend", "make_url", "postgres_url"]


@pytest.fixture
def outbox_url(backend: str, make_url: Callable[[str], str]) -> str:
    """One URL per test for the parametrised `backend`; open it again to simulate a restart
    or a second instance (memory: a separate, empty outbox)."""
    return make_url(backend)


@pytest.fixture
async def outbox(outbox_url: str) -> AsyncIterator[Outbox]:
    box = open_outbox(outbox_url)
    try:
        yield box
    finally:
        await box.close()
