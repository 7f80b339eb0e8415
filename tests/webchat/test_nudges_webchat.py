"""A nudge reaches an attendee who talks to the bot through the local Direct Line (web chat).

The attendee taps "Add" on a session card in Web Chat (its Action.Submit data arrives as the
activity's `value`); the bot stores the conversation reference the local Direct Line gave it,
and when the nudge falls due the dispatcher sends it proactively, through its own adapter, to
that reference's serviceUrl: the local connector, which puts it on the conversation's
activity stream. Everything is spoken over HTTP and the WebSocket stream, as Web Chat would.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.clock import Clock
from bot.settings import DEMO_CATALOGUE, Settings
from catalogue.importers import load
from tests.webchat.conftest import StartApp, activities_in, bot_messages, frames

LEAD = timedelta(minutes=10)
AHEAD = timedelta(seconds=2)
"""How long after the app starts the nudge falls due, in rehearsal time."""
TICK = 0.2


def nudges(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in bot_messages(activities) if str(a.get("text", "")).startswith("Up next")]


async def test_a_web_chat_attendee_gets_their_nudge_on_the_activity_stream(
    start_app: StartApp,
) -> None:
    session = next(s for s in load(DEMO_CATALOGUE).sessions if s.room and s.kind.value == "talk")
    webchat = await start_app(
        Settings(storage_url="memory://", catalogue_poll_seconds=0, nudge_tick_seconds=TICK),
        clock=Clock.starting_at(session.start - LEAD - AHEAD),
    )
    conversation = await webchat.start()
    async with webchat.session.ws_connect(conversation.started["streamUrl"]) as socket:
        await frames(socket, until=lambda f: len(f) >= 1, within=5)  # the welcome, replayed
        await conversation.post(None, value={"action": "shortlist_add", "sessionId": session.id})
        received = await frames(socket, until=lambda f: bool(nudges(activities_in(f))), within=10)

    streamed = activities_in(received)
    [added, *_] = bot_messages(streamed)
    assert "Added" in added["text"]
    [nudge] = nudges(streamed)
    assert session.title in nudge["text"] and nudge["text"].endswith("starts in 10 minutes")
    assert nudge["conversation"]["id"] == conversation.id
    [card] = nudge["attachments"]
    assert card["content"]["body"][0]["text"] == session.title

    # Polling (Web Chat's fallback) shows the same, once, and nothing more a few ticks later.
    await asyncio.sleep(4 * TICK)
    assert [n["id"] for n in nudges((await conversation.poll())["activities"])] == [nudge["id"]]
