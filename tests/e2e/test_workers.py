"""`python app.py --workers 2`: one port, two processes, one bot to the channel."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import ROOT, BotClient
from tests.connector import ConnectorServer
from tests.e2e.test_reload import TOKEN, agenda, titles_after_keynote, write
from tests.e2e.test_shortlist import rows
from tests.e2e.test_shortlist_processes import talk_ids, tap
from tests.processes import running_bot

pytestmark = pytest.mark.slow


def workers_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_two_workers_serve_one_port_and_share_the_shortlist(
    connector: ConnectorServer, tmp_path: Path
) -> None:
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    ids = talk_ids(24)
    async with running_bot("--workers", "2", "--storage", storage) as bot:
        workers = workers_of(bot.process.pid)
        assert len(workers) == 2
        # A client per tap: a connection each, spread over both workers by the kernel.
        clients = [BotClient(bot.url, connector) for _ in ids]
        try:
            taps = [tap(clients[0], sid) for sid in ids]
            responses = await asyncio.gather(
                *(client.post(one) for client, one in zip(clients, taps, strict=True))
            )
            assert [r.status for r in responses] == [200] * len(ids)
            [shown] = await clients[0].ask("show my shortlist")
        finally:
            for client in clients:
                await client.close()
    assert sorted(rows(shown)) == sorted(ids)
    assert bot.process.returncode == 0
    assert not any(alive(pid) for pid in workers)
    turns = [line for line in bot.output.splitlines() if "turn type=message" in line]
    assert any("worker 1/2" in line for line in turns), bot.output[-2000:]
    assert any("worker 2/2" in line for line in turns), bot.output[-2000:]
    # Nudge pacing is for the whole bot: one dispatcher.
    assert bot.output.count("nudges: dispatcher") == 1
    assert "web chat: off (the local Direct Line needs WORKERS=1" in bot.output


async def test_a_killed_worker_is_replaced_while_the_other_answers(
    connector: ConnectorServer, tmp_path: Path
) -> None:
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    async with running_bot("--workers", "2", "--storage", storage) as bot:
        first, second = workers_of(bot.process.pid)
        os.kill(second, signal.SIGKILL)
        client = BotClient(bot.url, connector)
        try:
            replies = await client.ask("what's next?")  # answered all the same
            assert replies and replies[0]["type"] == "message"
            for _ in range(100):
                now = workers_of(bot.process.pid)
                if len(now) == 2 and second not in now:
                    break
                await asyncio.sleep(0.1)
            assert first in now and len(now) == 2
            # The replacement serves too: fresh connections reach both sockets again.
            for _ in range(12):
                fresh = BotClient(bot.url, connector)
                try:
                    assert await fresh.ask("help")
                finally:
                    await fresh.close()
        finally:
            await client.close()
    assert "worker 2/2 died (signal SIGKILL); starting it again" in bot.output
    assert bot.process.returncode == 0


async def test_a_reload_reaches_every_worker(connector: ConnectorServer, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    write(path, agenda("Rust for beginners"))
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    env = {"ADMIN_TOKEN": TOKEN, "CATALOGUE_POLL_SECONDS": "0"}
    async with running_bot(
        "--workers", "2", "--storage", storage, "--catalogue", str(path), env=env
    ) as bot:

        async def everyone_sees(title: str) -> bool:
            """Twelve fresh connections (both workers, with near certainty) see `title`."""
            for _ in range(12):
                client = BotClient(bot.url, connector)
                try:
                    if await titles_after_keynote(client) != title:
                        return False
                finally:
                    await client.close()
            return True

        async def eventually(title: str) -> None:
            for _ in range(50):
                if await everyone_sees(title):
                    return
                await asyncio.sleep(0.1)
            pytest.fail(f"not every worker serves {title!r}")

        assert await everyone_sees("Rust for beginners")
        write(path, agenda("Rust for everyone"))
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{bot.url}/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
            ) as response,
        ):
            assert response.status == 200
        await eventually("Rust for everyone")

        write(path, agenda("Rust for experts"))
        bot.process.send_signal(signal.SIGHUP)  # the operator's way
        await eventually("Rust for experts")
    assert bot.output.count("reload (SIGHUP)") == 3  # the admin's sibling, then both workers


async def test_memory_storage_cannot_have_workers() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--workers", "2", "--storage", "memory://",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert b"2 workers cannot share memory:// storage" in output
