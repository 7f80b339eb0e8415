"""Nudges across real bot processes: through kill -9 on SQLite, and two instances on PostgreSQL.

Each bot is `python app.py` with a rehearsal clock (`--now`) a few seconds before a nudge of the
demo agenda falls due, the dispatcher ticking every `TICK` seconds; attendees talk to it with
real activity JSON POSTed to /api/messages, and the nudges arrive at the local connector.

The rehearsal clock of a process starts when the app is built, after its imports, so the test
cannot know it to the millisecond from outside.  "On time" is therefore judged in the bot's own
rehearsal time: the outbox row it marked sent records when the channel accepted the nudge.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.nudges import NudgeRecord, NudgeStatus, nudge_key, open_outbox
from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from catalogue.model import Session
from tests.backends import make_url, postgres_url
from tests.conftest import BotClient
from tests.connector import ConnectorServer
from tests.processes import BotProcess, kill_9, running_bot

__all__ = ["make_url", "postgres_url"]  # fixtures, for the PostgreSQL test

pytestmark = pytest.mark.slow

TICK = 0.25
"""NUDGE_TICK_SECONDS of the bots under test."""
SEND_ALLOWANCE = timedelta(seconds=0.75)
"""Time for the send itself on a busy 2-core machine: the outbox stamps `sent_at` once the
connector has answered, after the claim that follows the due time by at most one tick."""
LEAD = timedelta(minutes=10)
SLOT = datetime(2016, 7, 11, 14, 30, tzinfo=UTC)  # 10:30 in Toronto: 8 sessions in parallel
CHANNEL = "emulator"
BOT_ENV = {"NUDGE_TICK_SECONDS": str(TICK), "CATALOGUE_POLL_SECONDS": "0"}
KILL_BEFORE = timedelta(seconds=1.5)
"""How long before its nudge is due the bot is killed (by an upper bound of its clock)."""
SENT_LOG = re.compile(r"nudges: sent (\S+)")


@pytest.fixture(scope="module")
def parallel() -> list[Session]:
    """The demo sessions that start together at `SLOT`: their nudges are all due at once."""
    sessions = [s for s in load(DEMO_CATALOGUE).sessions if s.start == SLOT]
    assert len(sessions) >= 4
    return sessions


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Attendee:
    """One attendee in their own conversation with the bot, tapping "Add" on session cards."""

    def __init__(self, client: BotClient, number: int) -> None:
        self.client = client
        self.user = f"attendee-{number:04d}"
        self.conversation = f"conversation-{number:04d}"

    async def add(self, session: Session) -> None:
        activity = self.client.activity(
            "emulator-message-actionSubmit-postBack-value.json",
            value={"action": "shortlist_add", "sessionId": session.id},
            conversation={"id": self.conversation},
            **{"from": {"id": self.user, "name": self.user, "role": "user"}},
            # The channel stamps the activity with its own clock, the real time.
            timestamp=datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        )
        response = await self.client.post(activity)
        assert response.status == 200, response.status
        [reply, *_] = self.client.connector.messages(self.conversation)
        assert "Added" in reply["text"], reply.get("text")

    def key(self, session: Session) -> str:
        return nudge_key(CHANNEL, self.user, session.id, session.start)


def nudges_in(connector: ConnectorServer, conversation: str | None = None) -> list[dict[str, Any]]:
    return [
        m for m in connector.messages(conversation) if str(m.get("text", "")).startswith("Up next")
    ]


async def until(done: Callable[[], bool], within: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if done():
            return True
        await asyncio.sleep(step)
    return done()


async def record(storage: str, key: str) -> NudgeRecord:
    """The outbox row of `key`, read from the database the bots use, as it stands now."""
    async with open_outbox(storage) as outbox:
        found = await outbox.get(key)
    assert found is not None, f"no nudge {key} in the outbox"
    return found


async def record_until(storage: str, key: str, status: NudgeStatus, within: float) -> NudgeRecord:
    deadline = time.monotonic() + within
    while (found := await record(storage, key)).status != status:
        if time.monotonic() > deadline:
            pytest.fail(f"{key} is still {found.status} ({found.reason}), not {status}")
        await asyncio.sleep(0.1)
    return found


async def shortlist_and_kill(
    storage: str,
    connector: ConnectorServer,
    now: datetime,
    session: Session,
    *,
    kill_at: datetime | None = None,
) -> tuple[Attendee, float]:
    """A bot whose rehearsal clock starts at `now`: the attendee adds `session`, then the bot
    is killed with SIGKILL (once its clock may read `kill_at`, else at once).  Returns the
    attendee and when (time.monotonic) the bot was spawned, which bounds its rehearsal clock
    from above: at real time t it reads at most ``now + (t - spawned)``."""
    spawned = time.monotonic()
    async with running_bot("--storage", storage, "--now", iso(now), env=BOT_ENV) as bot:
        client = BotClient(bot.url, connector)
        try:
            attendee = Attendee(client, 1)
            await attendee.add(session)
        finally:
            await client.close()
        if kill_at is not None:
            # Waiting on the upper bound: the bot's own clock is no later than `kill_at`.
            ahead = (kill_at - now).total_seconds() - (time.monotonic() - spawned)
            await asyncio.sleep(max(0.0, ahead))
        await kill_9(bot)
    return attendee, spawned


async def test_a_nudge_due_just_after_a_kill_9_arrives_once_and_on_time(
    connector: ConnectorServer, tmp_path: Path, parallel: list[Session]
) -> None:
    session = parallel[0]
    due = session.start - LEAD
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    # Room for a slow start on a busy machine; the kill comes `KILL_BEFORE` the due time.
    first_now = due - timedelta(seconds=6)
    attendee, spawned = await shortlist_and_kill(
        storage, connector, first_now, session, kill_at=due - KILL_BEFORE
    )

    killed_at = first_now + timedelta(seconds=time.monotonic() - spawned)
    assert killed_at < due, "the machine was too slow to kill the bot before the nudge was due"
    pending = await record(storage, attendee.key(session))
    assert pending.status is NudgeStatus.PENDING and pending.due_at == due
    assert nudges_in(connector) == []

    # Restart at once on the same database; the rehearsal goes on where it was (both clocks
    # lag their spawn by their own start-up time, which is about the same for both).
    second_now = first_now + timedelta(seconds=time.monotonic() - spawned)
    assert second_now < due
    async with running_bot("--storage", storage, "--now", iso(second_now), env=BOT_ENV):
        waiting = (due - second_now).total_seconds() + 10
        assert await until(lambda: bool(nudges_in(connector)), within=waiting)
        await asyncio.sleep(4 * TICK)  # a few more ticks: nothing more
        [nudge] = nudges_in(connector)
        sent = await record(storage, attendee.key(session))

    assert nudge["text"].endswith("starts in 10 minutes"), nudge["text"]
    [received] = [r for r in connector.received if r.activity is nudge]
    assert received.conversation_id == attendee.conversation
    assert sent.status is NudgeStatus.SENT and sent.sent_at is not None
    late = sent.sent_at - due
    assert timedelta(0) <= late <= timedelta(seconds=TICK) + SEND_ALLOWANCE, late


@pytest.mark.parametrize(
    ("restart_at", "expected"),
    [
        pytest.param(timedelta(minutes=-4), NudgeStatus.SENT, id="session-not-started"),
        pytest.param(timedelta(minutes=1), NudgeStatus.DROPPED, id="session-started"),
    ],
)
async def test_a_nudge_missed_while_down_is_sent_only_if_its_session_has_not_started(
    connector: ConnectorServer,
    tmp_path: Path,
    parallel: list[Session],
    restart_at: timedelta,
    expected: NudgeStatus,
) -> None:
    session = parallel[1]
    due = session.start - LEAD
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    attendee, _ = await shortlist_and_kill(storage, connector, due - timedelta(minutes=5), session)
    assert (await record(storage, attendee.key(session))).status is NudgeStatus.PENDING

    # The bot stays down past the due time: it comes back with the rehearsal clock at
    # `restart_at` from the session's start.
    restarted = session.start + restart_at
    async with running_bot("--storage", storage, "--now", iso(restarted), env=BOT_ENV):
        final = await record_until(storage, attendee.key(session), expected, within=10)
        await asyncio.sleep(4 * TICK)  # a few more ticks: nothing more
        arrived = nudges_in(connector)

    if expected is NudgeStatus.SENT:
        [nudge] = arrived
        assert nudge["text"].endswith("starts in 4 minutes"), nudge["text"]
        assert final.sent_at is not None and final.sent_at >= restarted
    else:
        assert arrived == []  # never sent late
        assert final.reason == "session already started"


@pytest.mark.postgres
async def test_two_instances_on_postgresql_deliver_every_nudge_exactly_once(
    connector: ConnectorServer, make_url: Callable[[str], str], parallel: list[Session]
) -> None:
    attendees = 200
    storage = make_url("postgresql")  # a table prefix of its own, dropped afterwards
    due = SLOT - LEAD
    now = due - timedelta(seconds=6)  # both start-ups and 200 adds before the nudges are due
    spawned = time.monotonic()
    # One instance after the other, as a deploy starts them; the second one's clock starts
    # where the rehearsal has got to.
    async with running_bot("--storage", storage, "--now", iso(now), env=BOT_ENV) as first:
        second_now = now + timedelta(seconds=time.monotonic() - spawned)
        async with running_bot(
            "--storage", storage, "--now", iso(second_now), env=BOT_ENV
        ) as second:
            pair = await _shortlist_across(first, second, connector, attendees, parallel)
            everyone = {a.conversation for a in pair}
            assert await until(lambda: len(nudges_in(connector)) >= attendees, within=30)
            await asyncio.sleep(4 * TICK)  # a few more ticks on both: nothing more

    per_attendee = Counter(r.conversation_id for r in connector.received if _is_nudge(r.activity))
    assert set(per_attendee) == everyone  # none missing
    assert set(per_attendee.values()) == {1}  # none twice
    # Both instances sent some (they were competing for the same due rows), never the same one.
    logged = [set(SENT_LOG.findall(bot.output)) for bot in (first, second)]
    assert all(logged), [len(keys) for keys in logged]
    assert not logged[0] & logged[1]
    assert len(logged[0] | logged[1]) == attendees


def _is_nudge(activity: dict[str, Any]) -> bool:
    return activity.get("type") == "message" and str(activity.get("text", "")).startswith("Up next")


async def _shortlist_across(
    first: BotProcess,
    second: BotProcess,
    connector: ConnectorServer,
    count: int,
    sessions: list[Session],
) -> list[Attendee]:
    """`count` attendees, half talking to each instance, each adding one of `sessions`."""
    clients = [BotClient(first.url, connector), BotClient(second.url, connector)]
    people = [Attendee(clients[n % 2], n) for n in range(count)]
    limit = asyncio.Semaphore(16)

    async def add(attendee: Attendee, session: Session) -> None:
        async with limit:
            await attendee.add(session)

    try:
        await asyncio.gather(*(add(a, sessions[n % len(sessions)]) for n, a in enumerate(people)))
    finally:
        for client in clients:
            await client.close()
    return people
