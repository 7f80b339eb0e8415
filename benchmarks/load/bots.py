"""The bots under load, each started as its own process on a free port of 127.0.0.1.

`floor` is a bare aiohttp handler (`floor_bot.py`), `echo` botbuilder's canonical echo bot
(`echo_bot.py`), and `hallway` is `python app.py` with the scenario's flags. A bot is stopped
with Ctrl-C (SIGINT), then killed if it has not exited within a few seconds; its output goes
to a file so a chatty bot never blocks on a full pipe.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.load.generator import ROOT


class BotFailed(RuntimeError):
    """The bot process exited, or never became ready."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class BotCommand:
    """How to start a bot: the arguments after `python`, extra environment, readiness check."""

    name: str
    args: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    health_path: str | None = None
    """GET this path until 200; None: until the port accepts connections."""
    start_within: float = 60.0


def floor_bot() -> BotCommand:
    return BotCommand("floor", ("-m", "benchmarks.load.floor_bot"))


def echo_bot() -> BotCommand:
    return BotCommand("echo", ("-m", "benchmarks.load.echo_bot"))


def hallway(*flags: str, log_level: str = "WARNING") -> BotCommand:
    """`python app.py` with `flags`; per-turn INFO lines are kept out of the measurement."""
    return BotCommand("hallway", ("app.py", *flags), {"LOG_LEVEL": log_level}, "/healthz")


@dataclass
class RunningBot:
    name: str
    url: str
    process: asyncio.subprocess.Process
    log_path: Path
    final_output: str = ""
    """Everything the bot printed, kept once it has stopped."""

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


async def _ready(bot: RunningBot, port: int, health_path: str | None, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while loop.time() < deadline:
            if bot.process.returncode is not None:
                raise BotFailed(
                    f"{bot.name} exited with {bot.process.returncode}:\n{bot.output()[-2000:]}"
                )
            try:
                if health_path is None:
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    await writer.wait_closed()
                    return
                async with session.get(f"{bot.url}{health_path}") as response:
                    if response.status == 200:
                        return
            except (OSError, aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise BotFailed(f"{bot.name} was not ready within {within:g} s:\n{bot.output()[-2000:]}")


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    # No credentials (they would make the bot check tokens), no agenda from the caller's shell.
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("Microsoft", "CATALOGUE", "STORAGE_URL", "CONFERENCE_"))
    }
    return {**base, "PYTHONUNBUFFERED": "1", **extra}


@asynccontextmanager
async def running(command: BotCommand, extra_args: Sequence[str] = ()) -> AsyncIterator[RunningBot]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"load-{command.name}-") as scratch:
        log_path = Path(scratch) / "output.log"
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, *command.args, "--port", str(port), "--host", "127.0.0.1",
                *extra_args,
                cwd=ROOT, env=_environment(command.env),
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        finally:
            os.close(log)
        bot = RunningBot(command.name, f"http://127.0.0.1:{port}", process, log_path)
        try:
            await _ready(bot, port, command.health_path, command.start_within)
            yield bot
        finally:
            await stop(bot)
            bot.final_output = bot.output()


async def stop(bot: RunningBot, within: float = 10.0) -> None:
    process = bot.process
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), within)
        except TimeoutError:
            process.kill()
            await process.wait()
