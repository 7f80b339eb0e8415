"""Hands web chat activities to the bot in process, through the adapter, as a channel's POST to
`/api/messages` would: same deserialisation, same adapter call, same turn log line.

The bot answers over HTTP to the activity's `serviceUrl` (the local connector routes), exactly as
it answers Teams or the Emulator, so nothing in the bot knows the web chat is local.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

log = logging.getLogger("hallway.turns")


class InProcessChannel:
    def __init__(self, adapter: CloudAdapter, bot: Bot) -> None:
        self._adapter = adapter
        self._bot = bot
        self._running: set[asyncio.Task[None]] = set()

    async def deliver(self, activity: Activity) -> None:
        """Run the bot's turn for this activity. Raises when the turn could not run at all
        (turn errors themselves are the adapter's `on_turn_error`'s)."""
        started = time.perf_counter()
        status = 500
        try:
            await self._adapter.process_activity("", activity, self._bot.on_turn)
            status = 200
        finally:
            log.info(
                "turn type=%s channel=%s status=%d latency_ms=%.1f",
                activity.type or "-",
                activity.channel_id or "-",
                status,
                (time.perf_counter() - started) * 1000,
            )

    def start(self, turn: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run a turn in the background, kept until it ends so shutdown can wait for it."""
        task = asyncio.create_task(turn)
        self._running.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("web chat turn failed", exc_info=task.exception())

    async def close(self, grace_seconds: float = 0.5) -> None:
        """Give turns under way a moment, then cancel them: the server has stopped listening
        by now (aiohttp stops its sites before `on_shutdown`), so replies they have not sent
        yet could not reach the local connector anyway."""
        if not self._running:
            return
        _, pending = await asyncio.wait(set(self._running), timeout=grace_seconds)
        for task in pending:
            task.cancel()
