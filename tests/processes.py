"""Start `python app.py` as a separate process, exactly as an operator would."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    url: str
    health: dict[str, Any]
    output: str = ""


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


@asynccontextmanager
async def running_bot(*args: str, env: dict[str, str] | None = None) -> AsyncIterator[BotProcess]:
    """app.py on a free port with the given flags; stopped with Ctrl-C at the end (unless the
    test already killed it). Its output is checked for tracebacks."""
    port = free_port()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "CATALOGUE"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--port", str(port), "--host", "127.0.0.1", *args,
        cwd=ROOT, env={**base_env, **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    bot = BotProcess(process, url, {})
    try:
        bot.health = await wait_healthy(url, process)
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(process.communicate(), 20)
        bot.output = output.decode()
    assert "Traceback" not in bot.output


async def kill_9(bot: BotProcess) -> None:
    """SIGKILL the bot, as a crash or an OOM kill would: no shutdown code runs at all."""
    bot.process.send_signal(signal.SIGKILL)
    await bot.process.wait()
