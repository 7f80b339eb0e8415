"""The shortlist across real bot processes: durable through kill -9, shared by instances."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from tests.conftest import BotClient
from tests.e2e.test_shortlist import rows
from tests.processes import running_bot

pytestmark = pytest.mark.slow

POSTGRES_URL = os.environ.get(
    "HALLWAY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def talk_ids(count: int) -> list[str]:
    return [s.id for s in load(DEMO_CATALOGUE).sessions if s.kind.value == "talk"][:count]


def tap(client: BotClient, session_id: str) -> dict[str, Any]:
    return client.activity(value={"action": "shortlist_add", "sessionId": session_id}, text=None)


async def test_an_acknowledged_add_survives_kill_9(connector, tmp_path: Path) -> None:
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    [session_id] = talk_ids(1)
    async with running_bot("--storage", storage) as bot:
        client = BotClient(bot.url, connector)
        try:
            response = await client.post(tap(client, session_id))
            assert response.status == 200
            assert "Added" in connector.messages()[-1]["text"]  # acknowledged to the user
            bot.process.send_signal(signal.SIGKILL)
            await bot.process.wait()
        finally:
            await client.close()

    async with running_bot("--storage", storage) as bot:
        client = BotClient(bot.url, connector)
        try:
            [shown] = await client.ask("show my shortlist")
        finally:
            await client.close()
    assert rows(shown) == [session_id]


async def _postgres_reachable() -> bool:
    try:
        import asyncpg

        connection = await asyncio.wait_for(asyncpg.connect(POSTGRES_URL), 3)
        await connection.close()
        return True
    except Exception:
        return False


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_two_instances_on_one_database_keep_all_fifty_adds(
    engine: str, connector, tmp_path: Path
) -> None:
    if engine == "postgresql":
        if not await _postgres_reachable():
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
        table = f"hallway_test_{uuid.uuid4().hex[:12]}"
        storage = f"{POSTGRES_URL}?table={table}"
    else:
        storage = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    ids = talk_ids(50)
    async with (
        running_bot("--storage", storage) as first,
        running_bot("--storage", storage) as second,
    ):
        clients = [BotClient(first.url, connector), BotClient(second.url, connector)]
        try:
            responses = await asyncio.gather(
                *(clients[i % 2].post(tap(clients[i % 2], sid)) for i, sid in enumerate(ids))
            )
            assert all(r.status == 200 for r in responses)
            [shown] = await clients[0].ask("show my shortlist")
        finally:
            for client in clients:
                await client.close()
    assert sorted(rows(shown)) == sorted(ids)
    if engine == "postgresql":
        await _drop(table)


async def _drop(table: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        await connection.execute(f'DROP TABLE IF EXISTS "{table}"')
    finally:
        await connection.close()


async def test_a_redelivery_to_another_instance_is_dropped(connector, tmp_path: Path) -> None:
    storage = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    async with (
        running_bot("--storage", storage) as first,
        running_bot("--storage", storage) as second,
    ):
        clients = [BotClient(first.url, connector), BotClient(second.url, connector)]
        try:
            activity = clients[0].activity(text="what's next?")
            statuses = [(await c.post(activity)).status for c in clients]
        finally:
            for client in clients:
                await client.close()
    assert statuses == [200, 200]
    assert len(connector.messages()) == 1
