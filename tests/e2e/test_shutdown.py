"""SIGTERM during load: stop accepting, finish the turns in flight, close storage; nothing
the bot acknowledged is lost."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from tests.conftest import BotClient
from tests.e2e.test_shortlist import rows
from tests.processes import running_bot

pytestmark = pytest.mark.slow


async def test_sigterm_under_load_loses_no_acknowledged_add(connector, tmp_path: Path) -> None:
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    talks = [s.id for s in load(DEMO_CATALOGUE).sessions if s.kind.value == "talk"][:40]
    async with running_bot("--storage", storage) as bot:
        client = BotClient(bot.url, connector)
        try:

            async def add(session_id: str) -> int:
                activity = client.activity(
                    text=None, value={"action": "shortlist_add", "sessionId": session_id}
                )
                try:
                    return (await client.post(activity)).status
                except Exception:  # refused once the server stopped accepting
                    return 0

            pending = [asyncio.create_task(add(sid)) for sid in talks]
            # SIGTERM once the first adds are acknowledged, with the rest still in flight.
            for _ in range(500):
                if any(m.get("text", "").startswith("Added") for m in connector.messages()):
                    break
                await asyncio.sleep(0.01)
            bot.process.send_signal(signal.SIGTERM)
            statuses = await asyncio.gather(*pending)
            await asyncio.wait_for(bot.process.wait(), 30)
        finally:
            await client.close()
    assert bot.process.returncode == 0, bot.output
    acknowledged = {
        m["text"].split("“")[1].split("”")[0]
        for m in connector.messages()
        if m.get("text", "").startswith("Added")
    }
    assert statuses.count(200) >= len(acknowledged) > 0, (statuses, acknowledged)

    async with running_bot("--storage", storage) as again:
        client = BotClient(again.url, connector)
        try:
            [shown] = await client.ask("show my shortlist")
        finally:
            await client.close()
    catalogue = load(DEMO_CATALOGUE)
    kept = (
        {s.title for i in rows(shown) if (s := catalogue.get(i))}
        if shown.get("attachments")
        else set()
    )
    assert acknowledged <= kept
