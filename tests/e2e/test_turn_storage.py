"""Storage traffic per turn over the real protocol: one read and one write for a question, and
exactly one answer when a message is delivered twice at the same moment."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.storage import open_storage
from tests.bot.storage.test_turn_scope import CountingStorage
from tests.conftest import MakeBot


async def test_a_question_costs_one_read_and_one_write(make_bot: MakeBot) -> None:
    storage = CountingStorage()
    bot = await make_bot(storage=storage)
    await bot.ask("help")  # the attendee's first turn stores where to reach them
    storage.loads.clear()
    storage.saves.clear()
    [reply] = await bot.ask("what's on after the keynote?")
    assert reply.get("attachments"), "an answer with session cards"
    assert len(storage.loads) == 1
    assert len(storage.saves) == 1
    # The write holds the conversation memory and the message's claim, together.
    [keys] = storage.saves
    assert any(k.startswith("memory/") for k in keys)
    assert any(k.startswith("seen/") for k in keys)


async def test_more_reads_once_and_writes_once(make_bot: MakeBot) -> None:
    storage = CountingStorage()
    bot = await make_bot(storage=storage)
    await bot.ask("what's on tomorrow?")
    storage.loads.clear()
    storage.saves.clear()
    replies = await bot.ask("more")
    assert replies
    assert (len(storage.loads), len(storage.saves)) == (1, 1)


async def test_two_deliveries_at_once_get_one_answer(make_bot: MakeBot, tmp_path: Path) -> None:
    # On SQLite every storage call waits for its thread, so the deliveries really interleave.
    bot = await make_bot(storage=open_storage(f"sqlite:///{tmp_path / 'state.sqlite3'}"))
    activity = bot.activity(text="what's on after the keynote?")
    responses = await asyncio.gather(*(bot.post(activity) for _ in range(4)))
    assert [r.status for r in responses] == [200] * 4
    assert len(bot.connector.messages()) == 1
