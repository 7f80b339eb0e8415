"""Sends due nudges: claim with a lease, check the agenda, pace, send, record the outcome.

Every ``tick`` seconds the dispatcher claims the nudges due by now from the outbox (leased to
this process's worker id, so other instances skip them), then for each one:

- drops it if its session is gone from the agenda, has moved (its start is no longer the
  one the nudge was planned for) or has started: a late nudge is worse than none;
- drops it if there is no conversation reference for the attendee;
- otherwise sends it proactively through the adapter, paced by two token buckets: one for the
  whole bot (``NUDGE_RATE``, Teams allows about 30-50 a second per tenant) and one per
  conversation (``NUDGE_CONVERSATION_RATE``, Teams allows about 7 a second).

botbuilder does nothing about throttling, so the outcome is decided here: accepted ->
`mark_sent`; 429 -> `mark_retry` after the channel's ``Retry-After`` (else exponential backoff
with jitter); 412, 5xx and network errors -> `mark_retry` with backoff; 403 (the attendee
blocked or removed the bot) -> `mark_unreachable`, never retried; any other refusal, or too many
attempts -> `mark_dropped`.  The connector clients used for nudges have msrest's own retries
turned off, so a 5xx is not silently retried underneath this policy.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import math
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiohttp import web
from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.cards import nudge_card
from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.nudges.kinds import item_activity, item_problem
from bot.nudges.outbox import ClaimedNudge, ItemKind, Outbox
from bot.nudges.references import ReferenceStore
from bot.outbound import ChannelRejected, as_reply
from bot.replies import Replies, for_locale
from bot.shortlist_store import Owner
from catalogue.model import Catalogue, Session

log = logging.getLogger(__name__)

RETRYABLE = frozenset({412, 500, 502, 503, 504})
PLACEHOLDER_APP_ID = "hallway-local"


class ChannelError(Exception):
    """The channel refused a send: its HTTP status (None: no answer) and ``Retry-After``."""

    def __init__(self, status: int | None, retry_after: float | None = None, detail: str = ""):
        super().__init__(f"channel answered {status}: {detail}" if status else detail)
        self.status = status
        self.retry_after = retry_after


class Sender(Protocol):
    async def __call__(self, reference: ConversationReference, activity: Activity) -> None: ...


@dataclass(frozen=True)
class DispatchSettings:
    tick_seconds: float = 5.0
    rate: float = 30.0
    """Nudges a second, for the whole bot."""
    conversation_rate: float = 7.0
    """Nudges a second to one conversation."""
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 8
    backoff_base: float = 1.0
    backoff_cap: float = 300.0
    concurrency: int = 16

    @property
    def batch(self) -> int:
        """How many nudges one tick claims: what the rate sends in a tick, at least a few."""
        return max(8, min(1000, math.ceil(self.rate * max(self.tick_seconds, 1.0))))


class TokenBucket:
    """`rate` tokens a second, up to `burst` saved; `acquire` waits for one."""

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = rate
        self.burst = max(1.0, burst)
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = self.burst
        self._stamp = monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await self._sleep((1 - self._tokens) / self.rate)

    @property
    def idle(self) -> bool:
        """Full again: nothing to remember about this bucket."""
        elapsed = self._monotonic() - self._stamp
        return self._tokens + elapsed * self.rate >= self.burst and not self._lock.locked()


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def nudge_text(session: Session, replies: Replies, catalogue: Catalogue, now: datetime) -> str:
    """ "Up next at 14:00 in Room 202: <title> — starts in 10 minutes"."""
    start = session.start.astimezone(catalogue.timezone)
    room = session.room
    if room and room[0].isdigit():
        room = f"salle {room}" if replies.language == "fr" else f"Room {room}"
    minutes = max(1, round((session.start - now).total_seconds() / 60))
    return replies.nudge.format(
        time=replies.time(start),
        where=replies.nudge_where.format(room=room) if room else "",
        title=session.title,
        minutes=replies.nudge_minute
        if minutes == 1
        else replies.nudge_minutes.format(count=minutes),
    )


class AdapterSender:
    """Proactive sends through the bot's adapter (its own clients: no msrest retries)."""

    def __init__(self, adapter: BotAdapter, app_id: str) -> None:
        self._adapter = adapter
        # Without credentials any id works: the connector client is anonymous either way.
        self._app_id = app_id or PLACEHOLDER_APP_ID

    async def __call__(self, reference: ConversationReference, activity: Activity) -> None:
        failure: list[BaseException] = []

        async def callback(turn_context: TurnContext) -> None:
            client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
            policy = getattr(getattr(client, "config", None), "retry_policy", None)
            if policy is not None and policy.retries != 0:
                policy.retries = 0  # this policy decides about retries, not msrest's
            try:
                # As a copy botbuilder makes shallowly: its deep copy of the card was a quarter
                # of a nudge's CPU.
                await turn_context.send_activity(as_reply(activity))
            except Exception as error:  # kept from the adapter's on_turn_error
                failure.append(error)

        await self._adapter.continue_conversation(reference, callback, self._app_id)
        if failure:
            raise as_channel_error(failure[0]) from failure[0]


def as_channel_error(error: BaseException) -> ChannelError:
    """The status and ``Retry-After`` of a connector failure: `ChannelRejected` from the
    aiohttp reply path, or msrest's `HttpOperationError`, which keeps the `requests` response
    as ``error.response`` (connector operations other than sends still go through msrest)."""
    if isinstance(error, ChannelRejected):
        retry_after = retry_after_seconds(error.headers.get("Retry-After"), datetime.now(UTC))
        return ChannelError(error.status, retry_after, detail=str(error)[:200])
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        return ChannelError(None, detail=f"{type(error).__name__}: {error}")
    headers = getattr(response, "headers", None) or {}
    retry_after = retry_after_seconds(headers.get("Retry-After"), datetime.now(UTC))
    return ChannelError(status, retry_after, detail=str(error)[:200])


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        references: ReferenceStore,
        live: LiveCatalogue,
        clock: Clock,
        sender: Sender,
        settings: DispatchSettings | None = None,
        *,
        worker: str | None = None,
    ) -> None:
        self._outbox = outbox
        self._references = references
        self._live = live
        self._clock = clock
        self._send = sender
        self.settings = settings or DispatchSettings()
        self.worker = worker or f"hallway-{uuid.uuid4()}"
        self._global = TokenBucket(self.settings.rate, burst=1)
        self._conversations: dict[str, TokenBucket] = {}
        self._slots = asyncio.Semaphore(self.settings.concurrency)

    async def run(self) -> None:
        """Tick until cancelled; a failing tick is logged and the next one tries again."""
        while True:
            started = time.monotonic()
            claimed = 0
            try:
                claimed = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("nudges: tick failed")
            if claimed >= self.settings.batch:
                # A full batch: more may be due already. Sleeping out the tick here capped a
                # burst at one batch a tick (1,000 per 5 s) whatever the rate allowed. Still
                # yield once, so a backend that never suspends cannot starve the loop.
                await asyncio.sleep(0)
                continue
            elapsed = time.monotonic() - started
            await asyncio.sleep(max(0.0, self.settings.tick_seconds - elapsed))

    async def tick(self) -> int:
        """Claim what is due and deal with each; how many were claimed."""
        claimed = await self._outbox.claim_due(
            self._clock.now(),
            limit=self.settings.batch,
            lease=self.settings.lease,
            worker=self.worker,
        )
        if claimed:
            await asyncio.gather(*(self._one(nudge) for nudge in claimed))
        self._forget_idle_conversations()
        return len(claimed)

    async def _one(self, nudge: ClaimedNudge) -> None:
        async with self._slots:
            try:
                await self._deliver(nudge)
            except Exception:
                log.exception("nudges: %s failed; its lease will let it be tried again", nudge.key)

    async def _deliver(self, nudge: ClaimedNudge) -> None:
        catalogue = self._live.catalogue
        session = catalogue.get(nudge.session_id)
        now = self._clock.now()
        reason = ""
        if nudge.kind is not ItemKind.NUDGE:  # a notice or a summary: see bot.nudges.kinds
            reason = item_problem(nudge, catalogue, now)
        elif session is None:
            reason = "session no longer in the agenda"
        elif session.start.astimezone(UTC) != nudge.session_start.astimezone(UTC):
            reason = "session moved"
        elif session.start <= now:
            reason = "session already started"
        if reason:
            await self._outbox.mark_dropped(nudge.key, self.worker, reason)
            return
        owner = Owner(nudge.channel_id, nudge.user_id)
        stored = await self._references.get(owner)
        if stored is None:
            await self._outbox.mark_dropped(nudge.key, self.worker, "no conversation reference")
            return
        replies = for_locale(stored.locale)
        if nudge.kind is not ItemKind.NUDGE:
            activity = item_activity(nudge, catalogue, replies, now)
        else:
            assert session is not None  # a nudge whose session is gone was dropped above
            activity = MessageFactory.attachment(
                nudge_card(session, replies, timezone=catalogue.timezone),
                text=nudge_text(session, replies, catalogue, now),
            )
        activity.locale = stored.locale or None
        conversation = stored.reference.conversation.id if stored.reference.conversation else ""
        await self._global.acquire()
        await self._bucket(conversation).acquire()
        try:
            await self._send(stored.reference, activity)
        except ChannelError as error:
            await self._failed(nudge, owner, error)
            return
        except Exception as error:  # a network failure before any answer
            await self._failed(nudge, owner, as_channel_error(error))
            return
        await self._outbox.mark_sent(nudge.key, self.worker, self._clock.now())
        log.info("nudges: sent %s", nudge.key)

    async def _failed(self, nudge: ClaimedNudge, owner: Owner, error: ChannelError) -> None:
        status = error.status
        if status == 403:
            log.info("nudges: %s/%s refused us (403): unreachable", owner.channel_id, owner.user_id)
            await self._outbox.mark_dropped(nudge.key, self.worker, "403: unreachable")
            await self._outbox.mark_unreachable(owner.channel_id, owner.user_id, str(error))
            await self._references.mark_unreachable(owner)
            return
        retryable = status is None or status == 429 or status in RETRYABLE
        attempts = nudge.attempts + 1
        if not retryable or attempts >= self.settings.max_attempts:
            why = "not retryable" if not retryable else f"gave up after {attempts} attempts"
            await self._outbox.mark_dropped(nudge.key, self.worker, f"{why}: {error}")
            log.warning("nudges: dropped %s (%s: %s)", nudge.key, why, error)
            return
        if status == 429 and error.retry_after is not None:
            delay = error.retry_after
        else:
            delay = self._backoff(nudge.attempts)
        retry_at = self._clock.now() + timedelta(seconds=delay)
        await self._outbox.mark_retry(nudge.key, self.worker, retry_at, str(error) or "no answer")
        log.info("nudges: %s will be retried in %.1f s (%s)", nudge.key, delay, error)

    def _backoff(self, attempts: int) -> float:
        base = min(self.settings.backoff_cap, self.settings.backoff_base * 2**attempts)
        return float(base * random.uniform(0.5, 1.0))

    def _bucket(self, conversation: str) -> TokenBucket:
        bucket = self._conversations.get(conversation)
        if bucket is None:
            bucket = TokenBucket(self.settings.conversation_rate, burst=1)
            self._conversations[conversation] = bucket
        return bucket

    def _forget_idle_conversations(self) -> None:
        if len(self._conversations) > 1000:
            self._conversations = {k: b for k, b in self._conversations.items() if not b.idle}


def dispatching(dispatcher: Dispatcher, *, enabled: bool = True) -> Any:
    """An aiohttp cleanup context running the dispatcher for the app's lifetime."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(dispatcher.run(), name="nudge-dispatcher") if enabled else None
        if task is not None:
            log.info("nudges: dispatcher %s started", dispatcher.worker)
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifetime
