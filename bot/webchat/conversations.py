"""Conversations of the local Direct Line: their activities, watermarks and listening sockets.

Everything is in memory and bounded (see `Limits`): a laptop or a kiosk never grows without
limit however long it runs. The oldest activities of a conversation are dropped first; when there
are too many conversations, the one idle the longest goes (preferring one nobody is connected to).
A client whose watermark is older than what is kept gets what is kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Activity = dict[str, Any]


@dataclass(frozen=True)
class Limits:
    max_conversations: int = 256
    max_activities: int = 200
    """Per conversation; the oldest go first."""
    max_bytes: int = 512 * 1024
    """Per conversation, counted as JSON; the oldest activities go first."""
    max_sockets: int = 4
    """Per conversation (browser tabs); the oldest socket is closed first."""
    max_pending_frames: int = 256
    """Frames a slow socket may owe; past that it is closed and the client replays from its
    watermark on reconnect."""
    token_ttl_seconds: float = 30 * 60
    stream_token_ttl_seconds: float = 5 * 60
    keepalive_seconds: float = 20.0
    """An empty frame on an idle socket this often, as Direct Line sends."""
    turn_wait_seconds: float = 15.0
    """How long posting an activity waits for the bot's turn, like Direct Line's bot timeout;
    a slower turn goes on and its replies still arrive."""


class Listener:
    """One WebSocket's queue of ActivitySet frames. `None` asks the socket to close."""

    def __init__(self, max_pending: int) -> None:
        self._frames: deque[dict[str, Any] | None] = deque()
        self._ready = asyncio.Event()
        self._max_pending = max_pending
        self.closed = False

    def push(self, frame: dict[str, Any]) -> None:
        if self.closed:
            return
        if len(self._frames) >= self._max_pending:
            log.info("closing a web chat socket that fell %d frames behind", len(self._frames))
            self.close()
            return
        self._frames.append(frame)
        self._ready.set()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._frames.append(None)
            self._ready.set()

    async def next(self, idle_seconds: float) -> dict[str, Any] | None:
        """The next frame; `{}` when nothing came for `idle_seconds` (time for a keep-alive)."""
        if not self._frames:
            self._ready.clear()
            try:
                await asyncio.wait_for(self._ready.wait(), idle_seconds)
            except TimeoutError:
                return {}
        return self._frames.popleft()


@dataclass
class Conversation:
    id: str
    user_id: str
    locale: str
    limits: Limits
    last_active: float
    started: bool = False
    _next_seq: int = 0
    _kept: deque[tuple[int, Activity, int]] = field(default_factory=deque)
    _bytes: int = 0
    listeners: list[Listener] = field(default_factory=list)

    @property
    def watermark(self) -> str | None:
        return str(self._next_seq - 1) if self._next_seq else None

    def append(self, activity: Activity, *, activity_id: str | None = None) -> Activity:
        """Add an activity with the next id (or the id of the activity it updates) and send
        it to every socket listening."""
        seq = self._next_seq
        self._next_seq += 1
        stored = {**activity, "id": activity_id or f"{self.id}|{seq:07d}"}
        size = len(json.dumps(stored, default=str))
        self._kept.append((seq, stored, size))
        self._bytes += size
        while len(self._kept) > 1 and (
            len(self._kept) > self.limits.max_activities or self._bytes > self.limits.max_bytes
        ):
            _, _, dropped = self._kept.popleft()
            self._bytes -= dropped
        frame = {"activities": [stored], "watermark": str(seq)}
        for listener in self.listeners:
            listener.push(frame)
        return stored

    def since(self, watermark: int | None) -> list[Activity]:
        return [a for seq, a, _ in self._kept if watermark is None or seq > watermark]

    def listen(self, watermark: int | None) -> Listener:
        """A new socket: it first gets everything after its watermark, then what comes."""
        listener = Listener(self.limits.max_pending_frames)
        backlog = self.since(watermark)
        if backlog:
            listener.push({"activities": backlog, "watermark": self.watermark})
        self.listeners.append(listener)
        while len(self.listeners) > self.limits.max_sockets:
            self.listeners.pop(0).close()
        return listener

    def forget(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def end(self) -> None:
        for listener in self.listeners:
            listener.close()
        self.listeners.clear()


class ConversationStore:
    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._conversations: dict[str, Conversation] = {}

    def __len__(self) -> int:
        return len(self._conversations)

    def create(self, conversation_id: str, user_id: str, locale: str) -> Conversation:
        while len(self._conversations) >= self.limits.max_conversations:
            self._evict()
        conversation = Conversation(
            conversation_id, user_id, locale, self.limits, last_active=self._clock()
        )
        self._conversations[conversation_id] = conversation
        return conversation

    def get(self, conversation_id: str) -> Conversation | None:
        conversation = self._conversations.get(conversation_id)
        if conversation is not None:
            conversation.last_active = self._clock()
        return conversation

    def close(self) -> None:
        for conversation in self._conversations.values():
            conversation.end()

    def _evict(self) -> None:
        idle = [c for c in self._conversations.values() if not c.listeners]
        victim = min(idle or self._conversations.values(), key=lambda c: c.last_active)
        log.info("local Direct Line: forgetting idle conversation %s (limit reached)", victim.id)
        victim.end()
        del self._conversations[victim.id]
