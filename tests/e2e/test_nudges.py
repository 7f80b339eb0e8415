"""Nudges end to end: the real app, the local connector, a rehearsal clock.

The clock starts 10 minutes and a couple of seconds before a demo session; an attendee taps
"Add" on its card, so its nudge (10 minutes ahead) is due about two seconds later and the
dispatcher, ticking every 0.2 s, sends it proactively to the conversation the tap came from.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import Clock
from bot.settings import DEMO_CATALOGUE, Settings
from catalogue.importers import load
from catalogue.model import Session
from tests.conftest import BotClient, MakeBot
from tests.e2e.test_shortlist import tap

LEAD_SLACK = timedelta(seconds=1.5)


@pytest.fixture(scope="module")
def session() -> Session:
    demo = load(DEMO_CATALOGUE)
    return next(s for s in demo.sessions if s.room and s.start.minute == 0)


async def start(make_bot: MakeBot, session: Session) -> BotClient:
    settings = Settings(storage_url="memory://", catalogue_poll_seconds=0, nudge_tick_seconds=0.2)
    clock = Clock.starting_at(session.start - timedelta(minutes=10) - LEAD_SLACK)
    bot: BotClient = await make_bot(settings, clock=clock)
    return bot


def nudges(bot: BotClient) -> list[dict[str, Any]]:
    return [m for m in bot.connector.messages() if str(m.get("text", "")).startswith("Up next")]


async def until(done: Callable[[], bool], within: float) -> None:
    for _ in range(int(within / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)


async def wait_for_nudges(bot: BotClient, count: int, within: float) -> list[dict[str, Any]]:
    await until(lambda: len(nudges(bot)) >= count, within)
    return nudges(bot)


async def health(bot: BotClient) -> dict[str, Any]:
    async with bot.session.get(f"{bot.base_url}/healthz") as response:
        assert response.status == 200
        return dict(await response.json())


async def test_the_nudge_arrives_once_in_the_right_conversation(
    make_bot: MakeBot, session: Session
) -> None:
    bot = await start(make_bot, session)
    reply = await tap(bot, "shortlist_add", session.id)
    assert "Added" in reply["text"]
    conversation = bot.activity()["conversation"]["id"]

    [nudge] = await wait_for_nudges(bot, 1, within=5)
    time = session.start.astimezone(session.start.tzinfo).strftime("%H:%M")
    assert nudge["text"] == (
        f"Up next at {time} in {session.room}: {session.title} — starts in 10 minutes"
    )
    [card] = nudge["attachments"]
    assert card["content"]["body"][0]["text"] == session.title
    [received] = [r for r in bot.connector.received if r.activity is nudge]
    assert received.conversation_id == conversation

    await asyncio.sleep(0.6)  # a few more ticks: nothing more
    assert len(nudges(bot)) == 1
    counts = (await health(bot))["nudges"]
    assert counts["sent"] == 1 and counts["pending"] == 0

    # The nudge's buttons work as sent: "what else is on then?", then "remove".
    actions = {a["data"]["action"]: a["data"] for a in card["content"]["actions"]}
    assert set(actions) == {"shortlist_remove", "same_time", "details"}
    during = await tap(bot, actions["same_time"]["action"], actions["same_time"]["sessionId"])
    assert during["text"].startswith("Also on during") and during.get("attachments")
    removed = await tap(bot, "shortlist_remove", actions["shortlist_remove"]["sessionId"])
    assert "Removed" in removed["text"]


async def test_429_then_200_gives_one_nudge_after_the_delay_asked(
    make_bot: MakeBot, session: Session
) -> None:
    bot = await start(make_bot, session)
    await tap(bot, "shortlist_add", session.id)
    bot.connector.answers = [(429, {"Retry-After": "1"})]

    [nudge] = await wait_for_nudges(bot, 1, within=6)
    [refused] = bot.connector.refused
    assert refused.status == 429
    [received] = [r for r in bot.connector.received if r.activity is nudge]
    assert received.at - refused.at >= 1.0
    await asyncio.sleep(0.5)
    assert len(nudges(bot)) == 1


async def test_403_stops_sends_to_that_attendee(make_bot: MakeBot, session: Session) -> None:
    bot = await start(make_bot, session)
    await tap(bot, "shortlist_add", session.id)
    bot.connector.answers = [(403, {})]

    await until(lambda: bool(bot.connector.refused), within=5)
    [refused] = bot.connector.refused
    assert refused.status == 403
    await asyncio.sleep(0.8)
    assert nudges(bot) == [] and len(bot.connector.refused) == 1
    counts = (await health(bot))["nudges"]
    assert counts["unreachable"] == 1 and counts["dropped"] == 1


async def test_reminder_settings_in_words_replan_the_nudges(make_bot) -> None:
    from datetime import datetime as _datetime
    from zoneinfo import ZoneInfo as _ZoneInfo

    from bot.nudges import open_outbox
    from bot.settings import Settings as _Settings

    rehearsal = _datetime(2016, 7, 11, 9, 30, tzinfo=_ZoneInfo("America/Toronto"))
    outbox = open_outbox("memory://")
    bot = await make_bot(
        _Settings(storage_url="memory://", catalogue_poll_seconds=0, now=rehearsal,
                  nudge_tick_seconds=0),
        outbox=outbox,
    )  # fmt: skip

    async def pending() -> int:  # the outbox itself: /healthz caches its counts for 10 s
        return (await outbox.counts())["pending"]

    [off] = await bot.ask("stop reminders", timestamp=None)
    assert "Reminders are off" in off["text"]
    talk = "wpc16-c019"  # New, game changing SMB innovation, Monday afternoon
    await bot.post(bot.activity(text=None, value={"action": "shortlist_add", "sessionId": talk}))
    assert await pending() == 0

    [on] = await bot.ask("préviens-moi 15 minutes avant", locale="fr-FR", timestamp=None)
    assert "15 minutes avant chaque session" in on["text"]
    assert await pending() == 1

    [bad] = await bot.ask("remind me 600 minutes before", timestamp=None)
    assert "between 1 and 240 minutes" in bad["text"]


async def test_operators_list_what_is_about_to_be_sent(make_bot) -> None:
    from datetime import datetime as _datetime
    from zoneinfo import ZoneInfo as _ZoneInfo

    from bot.settings import Settings as _Settings

    rehearsal = _datetime(2016, 7, 11, 13, 40, tzinfo=_ZoneInfo("America/Toronto"))
    bot = await make_bot(
        _Settings(storage_url="memory://", catalogue_poll_seconds=0, now=rehearsal,
                  nudge_tick_seconds=0, admin_token="ops")
    )  # fmt: skip
    talk = "wpc16-c019"  # 14:00: its nudge is due at 13:50
    await bot.post(bot.activity(text=None, value={"action": "shortlist_add", "sessionId": talk}))
    url = f"{bot.base_url}/api/admin/nudges"
    headers = {"Authorization": "Bearer ops"}
    async with bot.session.get(url, params={"within": "30m"}, headers=headers) as response:
        listing = await response.json()
    assert response.status == 200
    [row] = listing["nudges"]
    assert row["session"] == talk and row["title"] == "New, game changing SMB innovation"
    assert row["due"].startswith("2016-07-11T13:50") and row["status"] == "pending"
    async with bot.session.get(url, params={"within": "5m"}, headers=headers) as response:
        assert (await response.json())["count"] == 0
    async with bot.session.get(url, params={"within": "soon"}, headers=headers) as response:
        assert response.status == 400
    async with bot.session.get(url) as response:
        assert response.status == 401
