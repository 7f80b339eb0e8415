"""Start `python app.py` exactly as a user would and talk to it over HTTP."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, BotClient
from tests.processes import running_bot

pytestmark = pytest.mark.slow


async def test_app_py_serves_the_demo_agenda(connector, tmp_path: Path) -> None:
    database = tmp_path / "state" / "hallway.sqlite3"
    async with running_bot("--storage", f"sqlite:///{database}") as bot:
        assert bot.health["catalogue"] == "Microsoft Worldwide Partner Conference 2016"
        assert bot.health["storage"] == "sqlite"
        assert database.exists()
        client = BotClient(bot.url, connector)
        try:
            replies = await client.ask(
                "what's on after the keynote?", timestamp="2016-07-12T13:45:00Z"
            )
        finally:
            await client.close()
    [reply] = replies
    assert "Reinventing productivity for the digital workplace" in reply["text"]
    assert reply["attachments"]
    assert "turn type=message channel=emulator status=200 latency_ms=" in bot.output


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


async def test_app_py_refuses_a_bad_flag() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "--timezone", "Mars/Olympus", "--storage", "memory://",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "--timezone" in output.decode()
