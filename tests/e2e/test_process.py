"""Start `python app.py` exactly as a user would and talk to it over HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import ROOT, BotClient

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_healthy(
    url: str, process: asyncio.subprocess.Process, within: float = 30
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + within
    async with aiohttp.ClientSession() as session:
        while asyncio.get_running_loop().time() < deadline:
            if process.returncode is not None:
                pytest.fail(f"app.py exited with {process.returncode}")
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return dict(await response.json())
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail("app.py did not become healthy in time")


async def test_app_py_serves_the_demo_agenda(connector, tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "state" / "hallway.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "CATALOGUE"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--port", str(port), "--host", "127.0.0.1",
        "--storage", f"sqlite:///{database}",
        cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        health = await wait_healthy(url, process)
        assert health["catalogue"] == "Microsoft Worldwide Partner Conference 2016"
        assert health["storage"] == "sqlite"
        assert database.exists()

        client = BotClient(url, connector)
        try:
            replies = await client.ask(
                "what's on after the keynote?", timestamp="2016-07-12T13:45:00Z"
            )
        finally:
            await client.close()
        [reply] = replies
        assert "Reinventing productivity for the digital workplace" in reply["text"]
        assert reply["attachments"]
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(process.communicate(), 20)
    log = output.decode()
    assert "Traceback" not in log
    assert "turn type=message channel=emulator status=200 latency_ms=" in log


async def test_app_py_refuses_a_broken_catalogue_with_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "agenda.json"
    broken.write_text('{"hallway": 1, "conference": {"name": "x"', encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--catalogue", str(broken), "--storage", "memory://",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    text = output.decode()
    assert str(broken) in text and "not valid JSON" in text
    assert "Traceback" not in text


async def test_app_py_refuses_a_bad_flag(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--timezone", "Mars/Olympus", "--storage", "memory://",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "--timezone" in output.decode()
