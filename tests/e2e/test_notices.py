"""Schedule-change notices and mutes end to end: the real app over HTTP, the local connector.

The agenda is a file the test rewrites; a reload goes through `POST /api/admin/reload` as an
organiser's would.  The bot's clock is a rehearsal clock the test moves by hand (so a
two-minute debounce window and a nudge an hour later take no real time); the dispatcher
ticks every 0.1 s of real time and reads that clock.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.nudges import Outbox, open_outbox
from bot.settings import Settings
from tests.conftest import BotClient, MakeBot
from tests.e2e.test_shortlist import tap

PARIS = ZoneInfo("Europe/Paris")
TOKEN = "notice-admin-token"
NINE = datetime(2026, 6, 2, 9, 0, tzinfo=PARIS)
TICKS = 0.6  # several dispatcher ticks of real time: long enough for anything due to go out


class HandClock:
    """The rehearsal clock's source, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, hour: int, minute: int, second: int = 0) -> None:
        self.now = NINE.replace(hour=hour, minute=minute, second=second)


def agenda(start: str = "10:00", end: str = "11:00", room: str = "Room 1", *, rust: bool = True):
    sessions: list[dict[str, Any]] = [
        {"id": "k1", "title": "Opening keynote", "kind": "keynote",
         "start": "2026-06-02T09:30", "end": "2026-06-02T09:45", "room": "Hall"},
    ]  # fmt: skip
    if rust:
        sessions.append(
            {"id": "t1", "title": "Rust for beginners", "start": f"2026-06-02T{start}",
             "end": f"2026-06-02T{end}", "room": room}
        )  # fmt: skip
    return {
        "hallway": 1,
        "conference": {"name": "Notice Conf", "timezone": "Europe/Paris"},
        "sessions": sessions,
    }


def write(path: Path, document: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document), encoding="utf-8")
    temporary.replace(path)


async def start(make_bot: MakeBot, tmp_path: Path) -> tuple[BotClient, HandClock, Path, Outbox]:
    path = tmp_path / "agenda.json"
    write(path, agenda())
    hand = HandClock(NINE)
    outbox = open_outbox("memory://")
    settings = Settings(
        catalogue=path,
        storage_url="memory://",
        admin_token=TOKEN,
        catalogue_poll_seconds=0,
        nudge_tick_seconds=0.1,
    )
    bot: BotClient = await make_bot(settings, clock=Clock(source=hand), outbox=outbox)
    return bot, hand, path, outbox


async def reload(bot: BotClient) -> dict[str, Any]:
    async with bot.session.post(
        f"{bot.base_url}/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        assert response.status == 200
        return dict(await response.json())


def sent(bot: BotClient, prefix: str) -> list[dict[str, Any]]:
    return [m for m in bot.connector.messages() if str(m.get("text", "")).startswith(prefix)]


def notices(bot: BotClient) -> list[dict[str, Any]]:
    return sent(bot, "Schedule change") + sent(bot, "Changement de programme")


async def until(done: Callable[[], bool], within: float = 5.0) -> None:
    for _ in range(int(within / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)


async def test_a_moved_session_gets_one_notice_and_its_nudge_moves(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, path, _ = await start(make_bot, tmp_path)
    assert "Added" in (await tap(bot, "shortlist_add", "t1"))["text"]
    conversation = bot.activity()["conversation"]["id"]

    write(path, agenda(start="10:30", end="11:30"))
    assert (await reload(bot))["changes"]["moved_time"] == 1
    await asyncio.sleep(TICKS)
    assert notices(bot) == []  # the debounce window (2 minutes) is still open

    hand.at(9, 2, 1)
    await until(lambda: bool(notices(bot)))
    [notice] = notices(bot)
    assert notice["text"] == (
        "Schedule change: “Rust for beginners” has moved from Tue 2 Jun 10:00–11:00 to 10:30–11:30."
    )
    [card] = notice["attachments"]
    assert card["content"]["body"][0]["text"] == "Rust for beginners"
    [received] = [r for r in bot.connector.received if r.activity is notice]
    assert received.conversation_id == conversation

    hand.at(9, 50, 30)  # when the nudge for 10:00 would have gone out
    await asyncio.sleep(TICKS)
    assert sent(bot, "Up next") == []
    hand.at(10, 20, 5)
    await until(lambda: bool(sent(bot, "Up next")))
    [nudge] = sent(bot, "Up next")
    assert nudge["text"] == (
        "Up next at 10:30 in Room 1: Rust for beginners — starts in 10 minutes"
    )
    await asyncio.sleep(TICKS)
    assert len(notices(bot)) == 1 and len(sent(bot, "Up next")) == 1


async def test_two_quick_reloads_make_one_notice_with_the_net_change(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, path, _ = await start(make_bot, tmp_path)
    await tap(bot, "shortlist_add", "t1")

    write(path, agenda(start="10:30", end="11:30"))
    await reload(bot)
    hand.at(9, 1, 30)  # inside the window: the second edit is folded into the first
    write(path, agenda(start="11:00", end="12:00", room="Room 2"))
    await reload(bot)
    hand.at(9, 2, 30)  # the first edit's window has passed, not the second's
    await asyncio.sleep(TICKS)
    assert notices(bot) == []

    hand.at(9, 3, 31)
    await until(lambda: bool(notices(bot)))
    await asyncio.sleep(TICKS)
    [notice] = notices(bot)
    assert notice["text"] == (
        "Schedule change: “Rust for beginners” has moved from Tue 2 Jun 10:00–11:00 in "
        "Room 1 to 11:00–12:00 in Room 2."
    )


async def test_a_session_moved_and_moved_back_gets_no_notice(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, path, outbox = await start(make_bot, tmp_path)
    await tap(bot, "shortlist_add", "t1")

    write(path, agenda(start="10:30", end="11:30"))
    await reload(bot)
    hand.at(9, 1)
    write(path, agenda())
    await reload(bot)
    hand.at(9, 10)
    await asyncio.sleep(TICKS)
    assert notices(bot) == []
    counts = await outbox.counts()
    assert counts["dropped"] == 1 and counts["pending"] == 1  # the notice; the 10:00 nudge


async def test_a_cancelled_session_gets_a_notice_in_the_attendees_language(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, path, outbox = await start(make_bot, tmp_path)
    await tap(bot, "shortlist_add", "t1", locale="fr-FR")

    write(path, agenda(rust=False))
    assert (await reload(bot))["changes"]["removed"] == 1
    assert (await outbox.counts())["pending"] == 1  # the notice; the nudge is gone
    hand.at(9, 2, 1)
    await until(lambda: bool(notices(bot)))
    [notice] = notices(bot)
    assert notice["text"] == (
        "Changement de programme : « Rust for beginners » (mar. 2 juin 10 h–11 h, Room 1) "
        "est annulée."
    )
    assert not notice.get("attachments")
    hand.at(9, 50, 30)
    await asyncio.sleep(TICKS)
    assert sent(bot, "Ensuite") == [] and len(notices(bot)) == 1


async def tap_as(bot: BotClient, user: str, action: str, session_id: str) -> None:
    """A card tap by another attendee, in their own conversation with the bot."""
    activity = bot.activity(
        "emulator-message-actionSubmit-postBack-value.json",
        value={"action": action, "sessionId": session_id},
    )
    activity["from"] = {"id": user, "name": user}
    activity["conversation"] = {"id": f"conversation-of-{user}"}
    assert (await bot.post(activity)).status == 200


async def test_only_attendees_with_the_session_still_shortlisted_are_told(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, path, _ = await start(make_bot, tmp_path)
    await tap(bot, "shortlist_add", "t1")
    await tap_as(bot, "bea", "shortlist_add", "t1")
    hand.at(9, 50, 1)  # both nudges go out...
    await until(lambda: len(sent(bot, "Up next")) == 2)
    await tap_as(bot, "bea", "shortlist_remove", "t1")  # ...then Bea changes her mind

    hand.at(9, 52)
    write(path, agenda(start="10:30", end="11:30", room="Room 7"))
    await reload(bot)
    hand.at(9, 54, 1)
    await until(lambda: bool(notices(bot)))
    await asyncio.sleep(TICKS)
    [notice] = notices(bot)
    assert notice["text"] == (
        "Schedule change: “Rust for beginners” has moved from Tue 2 Jun 10:00–11:00 in "
        "Room 1 to 10:30–11:30 in Room 7."
    )
    assert notice["recipient"]["id"] == bot.activity()["from"]["id"]
    # Her nudge had gone out for 10:00: she gets one for the new time too.
    hand.at(10, 20, 1)
    await until(lambda: len(sent(bot, "Up next")) == 3)
    assert sent(bot, "Up next")[-1]["text"].startswith("Up next at 10:30 in Room 7")
    assert sent(bot, "Up next")[-1]["recipient"]["id"] == bot.activity()["from"]["id"]


async def test_mute_until_a_time_in_words(make_bot: MakeBot, tmp_path: Path) -> None:
    bot, hand, _, outbox = await start(make_bot, tmp_path)
    await tap(bot, "shortlist_add", "t1")
    assert (await outbox.counts())["pending"] == 1

    [muted] = await bot.ask("mute reminders until 9:55", timestamp=None)
    assert muted["text"].startswith("Reminders muted until 09:55.")
    assert (await outbox.counts())["pending"] == 0  # the 09:50 nudge falls in the mute

    [status] = await bot.ask("what are my reminder settings", timestamp=None)
    assert status["text"] == (
        "Reminders are on: 10 minutes before each session on your shortlist. Muted until 09:55."
    )
    [french] = await bot.ask("pas de rappels avant 15h", locale="fr-FR", timestamp=None)
    assert french["text"].startswith("Rappels en pause jusqu'à 15 h.")
    [past] = await bot.ask("mute until 8am", timestamp=None)
    assert past["text"].startswith("08:00 has already passed.")
    [unclear] = await bot.ask("mute until the cows come home", timestamp=None)
    assert unclear["text"].startswith("Until when?")
    [tomorrow] = await bot.ask("silence jusqu'à demain 9h", locale="fr-FR", timestamp=None)
    assert tomorrow["text"].startswith("Rappels en pause jusqu'à mer. 3 juin 9 h.")

    [back] = await bot.ask("unmute", timestamp=None)
    assert back["text"].startswith("Reminders are on")
    assert (await outbox.counts())["pending"] == 1
    hand.at(9, 50, 1)
    await until(lambda: bool(sent(bot, "Up next")))
    assert len(sent(bot, "Up next")) == 1


async def test_the_morning_summary_is_sent_once_when_asked_for(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    bot, hand, _, outbox = await start(make_bot, tmp_path)
    hand.at(7, 0)
    await tap(bot, "shortlist_add", "t1")
    [on] = await bot.ask("send me a morning summary", timestamp=None)
    assert on["text"].startswith("Every morning at 08:00")
    [status] = await bot.ask("are my reminders on?", timestamp=None)
    assert status["text"].endswith("Morning summary at 08:00.")
    assert (await outbox.counts())["pending"] == 2  # the summary and the nudge

    hand.at(8, 0, 1)
    await until(lambda: bool(sent(bot, "Good morning")))
    await asyncio.sleep(TICKS)
    [summary] = sent(bot, "Good morning")
    assert summary["text"] == "Good morning! Tue 2 Jun on your shortlist: 1 session"
    assert [a["content"]["body"][0]["text"] for a in summary["attachments"]] == [
        "Rust for beginners"
    ]
    # A change to the shortlist after it went out does not send it again.
    await tap(bot, "shortlist_add", "k1")
    await asyncio.sleep(TICKS)
    assert len(sent(bot, "Good morning")) == 1

    [off] = await bot.ask("pas de résumé du matin", locale="fr-FR", timestamp=None)
    assert off["text"] == "Plus de résumé du matin."
