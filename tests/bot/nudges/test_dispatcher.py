"""The nudge dispatcher against the in-memory outbox and a fake channel."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.nudges import NudgeSettings, nudge_key, open_outbox, plan_for
from bot.nudges.dispatcher import (
    ChannelError,
    Dispatcher,
    DispatchSettings,
    TokenBucket,
    nudge_text,
    retry_after_seconds,
)
from bot.nudges.outbox import NudgeStatus, Outbox
from bot.nudges.references import ReferenceStore
from bot.replies import ENGLISH, FRENCH
from bot.storage import open_storage
from catalogue.ask import Answerer
from catalogue.model import Catalogue, Conference, Session
from catalogue.shortlist import Entry

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 10, 13, 50, 30, tzinfo=PARIS)
TALK = Session("t1", "Serverless at scale", datetime(2026, 6, 10, 14, 0, tzinfo=PARIS),
               datetime(2026, 6, 10, 14, 45, tzinfo=PARIS), room="202")  # fmt: skip
AGENDA = Catalogue(Conference("Conf", PARIS), (TALK,))


@dataclass
class FakeChannel:
    """Answers each send with the next scripted error (None: accepted)."""

    script: list[ChannelError | None] = field(default_factory=list)
    sent: list[tuple[str, Activity, float]] = field(default_factory=list)
    attempts: int = 0

    async def __call__(self, reference: ConversationReference, activity: Activity) -> None:
        self.attempts += 1
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        assert reference.conversation is not None
        self.sent.append((reference.conversation.id, activity, time.monotonic()))


def activity(user: str, conversation: str, locale: str = "en-US") -> Activity:
    return Activity(
        type="message",
        channel_id="msteams",
        service_url="http://connector.invalid",
        from_property=ChannelAccount(id=user),
        recipient=ChannelAccount(id="bot"),
        conversation=ConversationAccount(id=conversation, conversation_type="personal"),
        locale=locale,
    )


@dataclass
class Rig:
    outbox: Outbox
    references: ReferenceStore
    channel: FakeChannel
    dispatcher: Dispatcher
    live: LiveCatalogue
    clock: Clock

    async def shortlist(self, user: str, locale: str = "en-US", *, talk: bool = True) -> None:
        if talk:
            await self.references.save(activity(user, f"conv-{user}", locale))
        lead = NudgeSettings(lead=timedelta(minutes=10))
        planned = plan_for("msteams", user, [Entry.of(TALK)], AGENDA, lead, self.clock.now())
        await self.outbox.replan("msteams", user, planned)


@pytest.fixture
async def rig() -> Rig:
    outbox = open_outbox("memory://")
    references = ReferenceStore(open_storage("memory://"))
    channel = FakeChannel()
    live = LiveCatalogue(AGENDA)
    clock = Clock.starting_at(NOW)
    settings = DispatchSettings(tick_seconds=0.05, rate=1000, conversation_rate=1000)
    dispatcher = Dispatcher(outbox, references, live, clock, channel, settings)
    return Rig(outbox, references, channel, dispatcher, live, clock)


async def test_a_due_nudge_is_sent_once_with_text_and_card(rig: Rig) -> None:
    await rig.shortlist("alice")
    assert await rig.dispatcher.tick() == 1
    assert await rig.dispatcher.tick() == 0
    [(conversation, sent, _)] = rig.channel.sent
    assert conversation == "conv-alice"
    assert sent.text == "Up next at 14:00 in Room 202: Serverless at scale — starts in 9 minutes"
    [card] = sent.attachments
    assert card.content["body"][0]["text"] == "Serverless at scale"
    # Its buttons: off the list, what else is on then, details; each naming the session.
    actions = [a["data"] for a in card.content["actions"]]
    assert [a["action"] for a in actions] == ["shortlist_remove", "same_time", "details"]
    assert {a["sessionId"] for a in actions} == {TALK.id}
    assert (await rig.outbox.counts())["sent"] == 1


async def test_the_nudge_speaks_the_attendees_language(rig: Rig) -> None:
    await rig.shortlist("berthe", locale="fr-FR")
    await rig.dispatcher.tick()
    [(_, sent, _)] = rig.channel.sent
    assert sent.text == "Ensuite à 14 h en salle 202 : Serverless at scale — dans 9 minutes"


def test_nudge_text_reads_naturally() -> None:
    ten_before = TALK.start - timedelta(minutes=10)
    assert nudge_text(TALK, ENGLISH, AGENDA, ten_before).endswith("starts in 10 minutes")
    assert nudge_text(TALK, FRENCH, AGENDA, ten_before).startswith("Ensuite à 14 h en salle 202")


async def test_429_is_retried_after_the_delay_the_channel_asked_for(rig: Rig) -> None:
    await rig.shortlist("alice")
    rig.channel.script = [ChannelError(429, retry_after=0.3)]
    before = rig.clock.now()
    await rig.dispatcher.tick()
    [record] = await rig.outbox.upcoming(before, timedelta(hours=1))
    assert record.status is NudgeStatus.PENDING and record.attempts == 1
    assert timedelta(seconds=0.29) <= record.due_at - before <= timedelta(seconds=1)
    assert await rig.dispatcher.tick() == 0  # not before the delay
    await asyncio.sleep(0.35)
    assert await rig.dispatcher.tick() == 1
    assert len(rig.channel.sent) == 1 and rig.channel.attempts == 2


async def test_5xx_is_retried_with_backoff_and_other_refusals_are_dropped(rig: Rig) -> None:
    await rig.shortlist("alice")
    await rig.shortlist("bob")
    rig.channel.script = [ChannelError(503), ChannelError(400)]
    await rig.dispatcher.tick()
    records = [await rig.outbox.get(key(user)) for user in ("alice", "bob")]
    statuses = sorted((r.status.value, r.attempts) for r in records if r is not None)
    assert statuses == [("dropped", 0), ("pending", 1)]
    assert rig.channel.sent == []


def key(user: str, start: datetime = TALK.start) -> str:
    return nudge_key("msteams", user, TALK.id, start)


async def test_403_makes_the_attendee_unreachable_and_stops_sends(rig: Rig) -> None:
    await rig.shortlist("alice")
    rig.channel.script = [ChannelError(403)]
    await rig.dispatcher.tick()
    assert await rig.outbox.is_unreachable("msteams", "alice")
    await rig.shortlist("alice", talk=False)  # re-planning plans nothing for them
    await rig.dispatcher.tick()
    assert rig.channel.attempts == 1 and rig.channel.sent == []
    # Talking to the bot again says they can be reached.
    assert await rig.references.save(activity("alice", "conv-alice")) is True


async def test_dropped_when_the_session_started_moved_or_is_gone(rig: Rig) -> None:
    await rig.shortlist("alice")
    late = Dispatcher(
        rig.outbox, rig.references, rig.live, Clock.starting_at(TALK.start + timedelta(minutes=1)),
        rig.channel, rig.dispatcher.settings,
    )  # fmt: skip
    await late.tick()
    record = await rig.outbox.get(key("alice"))
    assert record is not None and record.status is NudgeStatus.DROPPED
    assert record.reason == "session already started"

    await rig.shortlist("bob")
    moved = Session(
        TALK.id,
        TALK.title,
        TALK.start + timedelta(hours=1),
        TALK.end + timedelta(hours=1),
        room="202",
    )
    rig.live.swap(Answerer.for_catalogue(Catalogue(Conference("Conf", PARIS), (moved,))))
    await rig.dispatcher.tick()
    bob = await rig.outbox.get(key("bob"))
    assert bob is not None and bob.reason == "session moved"
    assert rig.channel.sent == []


async def test_pacing_per_conversation_and_globally() -> None:
    bucket = TokenBucket(20, burst=1)
    started = time.monotonic()
    for _ in range(5):
        await bucket.acquire()
    assert time.monotonic() - started >= 4 / 20 * 0.9

    outbox = open_outbox("memory://")
    references = ReferenceStore(open_storage("memory://"))
    channel = FakeChannel()
    clock = Clock.starting_at(NOW)
    settings = DispatchSettings(tick_seconds=0.05, rate=10, conversation_rate=1000)
    dispatcher = Dispatcher(outbox, references, LiveCatalogue(AGENDA), clock, channel, settings)
    rig = Rig(outbox, references, channel, dispatcher, dispatcher._live, clock)
    for user in ("a", "b", "c", "d"):
        await rig.shortlist(user)
    await dispatcher.tick()
    times = sorted(t for _, _, t in channel.sent)
    assert len(times) == 4
    assert times[-1] - times[0] >= 3 / 10 * 0.9  # 10 a second: 4 sends span >= 0.3 s


def test_retry_after_reads_seconds_and_dates() -> None:
    now = datetime.now(UTC)
    assert retry_after_seconds("2", now) == 2.0
    assert retry_after_seconds(None, now) is None
    assert retry_after_seconds("soon", now) is None
    later = (now + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    seconds = retry_after_seconds(later, now)
    assert seconds is not None and 25 <= seconds <= 31


async def test_pending_owners_lists_whom_to_replan(outbox: Outbox) -> None:
    lead = NudgeSettings(lead=timedelta(minutes=10))
    for user in ("bob", "alice"):
        planned = plan_for("msteams", user, [Entry.of(TALK)], AGENDA, lead, NOW)
        await outbox.replan("msteams", user, planned)
    await outbox.replan("msteams", "carol", [])
    assert await outbox.pending_owners() == [("msteams", "alice"), ("msteams", "bob")]
    [claimed] = await outbox.claim_due(TALK.start, limit=1, lease=timedelta(minutes=1), worker="w")
    assert await outbox.pending_owners() == [
        ("msteams", "bob" if claimed.user_id == "alice" else "alice")
    ]


class SmallBatches(DispatchSettings):
    @property
    def batch(self) -> int:
        return 5


async def test_a_burst_bigger_than_a_batch_is_not_held_to_one_batch_a_tick() -> None:
    """With a long tick, a full batch is followed at once by the next claim: the rate, not
    the tick, paces a burst."""
    outbox = open_outbox("memory://")
    references = ReferenceStore(open_storage("memory://"))
    channel = FakeChannel()
    clock = Clock.starting_at(NOW)
    settings = SmallBatches(tick_seconds=60, rate=1000, conversation_rate=1000)
    dispatcher = Dispatcher(outbox, references, LiveCatalogue(AGENDA), clock, channel, settings)
    rig = Rig(outbox, references, channel, dispatcher, dispatcher._live, clock)
    for n in range(settings.batch * 3 + 1):
        await rig.shortlist(f"attendee-{n}")
    running = asyncio.create_task(dispatcher.run())
    try:
        for _ in range(200):
            if len(channel.sent) == settings.batch * 3 + 1:
                break
            await asyncio.sleep(0.01)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    assert len(channel.sent) == settings.batch * 3 + 1
