"""The shortlist over the real protocol: buttons and words, privacy, export, agenda changes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest

from bot.settings import DEMO_CATALOGUE, Settings
from catalogue.importers import load
from tests.conftest import BotClient
from tests.e2e.test_messages import DURING_FIRST_KEYNOTE, session_ids

SMB = "New, game changing SMB innovation"
PRACTICE = "Built a profitable solution practice"


@pytest.fixture(scope="module")
def demo():
    return load(DEMO_CATALOGUE)


def by_title(demo, title: str):
    return next(s for s in demo.sessions if s.title == title)


async def tap(bot: BotClient, action: str, session_id: str, **fields: Any) -> dict[str, Any]:
    """Tap a card button: Web Chat and the Emulator send the action's data as `value`
    (the shape of the shared Action.Submit capture), here from the same user as `bot.ask`."""
    before = len(bot.connector.received)
    same_user = bot.activity()
    activity = bot.activity(
        "emulator-message-actionSubmit-postBack-value.json",
        value={"action": action, "sessionId": session_id},
        **{k: same_user[k] for k in ("from", "recipient", "conversation")},
        **fields,
    )
    response = await bot.post(activity)
    assert response.status == 200
    [reply] = [r.activity for r in bot.connector.received[before:]]
    return reply


def rows(reply: dict[str, Any]) -> list[str]:
    """Session ids of the shortlist card's rows, in order."""
    [attachment] = reply["attachments"]
    return [
        block["selectAction"]["data"]["sessionId"]
        for block in attachment["content"]["body"]
        if block["type"] == "ColumnSet"
    ]


def card_text(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("attachments", []), ensure_ascii=False)


async def test_add_by_button_then_show_the_list(bot: BotClient, demo) -> None:
    smb = by_title(demo, SMB)
    reply = await tap(bot, "shortlist_add", smb.id)
    assert f"Added “{SMB}”" in reply["text"]
    again = await tap(bot, "shortlist_add", smb.id)
    assert "already on your shortlist" in again["text"]

    [shown] = await bot.ask("show my shortlist")
    assert rows(shown) == [smb.id]
    assert "Your shortlist: 1 session" in card_text(shown)

    # Cards offer "Remove" for a shortlisted session, "Add" for the others.
    [answer] = await bot.ask("anything about SMB?", timestamp=DURING_FIRST_KEYNOTE)
    buttons = {
        a["data"]["sessionId"]: a["data"]["action"]
        for att in answer["attachments"]
        for a in att["content"]["actions"]
        if a["data"]["action"].startswith("shortlist")
    }
    assert buttons[smb.id] == "shortlist_remove"
    assert {v for k, v in buttons.items() if k != smb.id} == {"shortlist_add"}


async def test_add_and_remove_by_words_with_a_choice_when_ambiguous(bot: BotClient, demo) -> None:
    [choice] = await bot.ask("add the SMB one", timestamp=DURING_FIRST_KEYNOTE)
    assert "Several sessions match “smb”" in choice["text"]
    offered = session_ids(choice)
    assert len(offered) >= 2 and by_title(demo, SMB).id in offered

    [added] = await bot.ask("add the second one", timestamp=DURING_FIRST_KEYNOTE)
    second = demo.get(offered[1])
    assert f"Added “{second.title}”" in added["text"]

    [added] = await bot.ask("add the profitable solution practice session")
    assert f"Added “{PRACTICE}”" in added["text"]

    [shown] = await bot.ask("ma liste", locale="fr-FR")
    assert set(rows(shown)) == {second.id, by_title(demo, PRACTICE).id}
    assert "Votre sélection : 2 sessions" in card_text(shown)

    [removed] = await bot.ask("remove the profitable practice session")
    assert f"Removed “{PRACTICE}”" in removed["text"]
    [missing] = await bot.ask("remove the keynote")
    assert "couldn't find “keynote” on your shortlist" in missing["text"]

    [cleared] = await bot.ask("clear my list")
    assert "empty" in cleared["text"]
    [empty] = await bot.ask("show my shortlist")
    assert "Your shortlist is empty" in empty["text"]


async def test_french_add_by_words(bot: BotClient, demo) -> None:
    [reply] = await bot.ask(
        "ajoute la session sur Azure Stack", locale="fr-FR", timestamp=DURING_FIRST_KEYNOTE
    )
    assert "ajoutée à votre sélection" in reply["text"]
    assert "Azure Stack" in reply["text"]


async def test_overlaps_are_flagged_when_adding_and_showing(bot: BotClient, demo) -> None:
    first, second = _two_overlapping(demo)
    await tap(bot, "shortlist_add", first.id)
    reply = await tap(bot, "shortlist_add", second.id)
    assert f"Conflicts with {first.title}" in reply["text"]
    [shown] = await bot.ask("show my shortlist")
    assert f"Conflicts with {second.title}" in card_text(shown)
    assert f"Conflicts with {first.title}" in card_text(shown)


async def test_whats_next_on_my_list(bot: BotClient, demo) -> None:
    smb = by_title(demo, SMB)
    practice = by_title(demo, PRACTICE)
    await tap(bot, "shortlist_add", practice.id)
    await tap(bot, "shortlist_add", smb.id)
    [reply] = await bot.ask("what's next on my list?", timestamp=DURING_FIRST_KEYNOTE)
    earliest = min((smb, practice), key=lambda s: s.start)
    assert session_ids(reply) == [earliest.id]
    assert reply["text"].startswith(f"Next on your shortlist: {earliest.title}")


async def test_more_pages_through_a_long_answer(bot: BotClient) -> None:
    [first] = await bot.ask("anything about cloud?", timestamp=DURING_FIRST_KEYNOTE)
    assert "say “more”" in first["text"]
    [second] = await bot.ask("more", timestamp=DURING_FIRST_KEYNOTE)
    assert session_ids(second)
    assert not set(session_ids(first)) & set(session_ids(second))


def teams_activity(bot: BotClient, name: str, user_id: str, text: str) -> dict[str, Any]:
    activity = bot.activity(name, text=text)
    activity["from"]["id"] = user_id
    activity.pop("entities", None)
    return activity


async def test_privacy_in_channels_and_the_list_follows_the_user(bot: BotClient, demo) -> None:
    smb = by_title(demo, SMB)
    channel = teams_activity(
        bot,
        "teams-message-channel-atMention.json",
        "29:alice",
        "add New, game changing SMB innovation",
    )
    assert (await bot.post(channel)).status == 200
    assert f"Added “{SMB}”" in bot.connector.messages()[-1]["text"]

    # In the channel, the list itself is not shown to everyone.
    channel = teams_activity(
        bot, "teams-message-channel-atMention.json", "29:alice", "show my shortlist"
    )
    await bot.post(channel)
    assert "private" in bot.connector.messages()[-1]["text"]

    # Alice's personal chat shows what she added in the channel.
    personal = teams_activity(
        bot, "teams-message-personal-fullInboundSchema.json", "29:alice", "show my shortlist"
    )
    await bot.post(personal)
    assert rows(bot.connector.messages()[-1]) == [smb.id]

    # Bob, in the same channel, has his own (empty) list.
    personal = teams_activity(
        bot, "teams-message-personal-fullInboundSchema.json", "29:bob", "show my shortlist"
    )
    await bot.post(personal)
    assert "empty" in bot.connector.messages()[-1]["text"]


async def test_export_gives_a_calendar_link_that_imports(bot: BotClient, demo) -> None:
    smb = by_title(demo, SMB)
    await tap(bot, "shortlist_add", smb.id)
    [reply] = await bot.ask("export my shortlist")
    [action] = reply["attachments"][0]["content"]["actions"]
    assert action["type"] == "Action.OpenUrl"
    path = action["url"].split("localhost:3978", 1)[1]
    assert len(path.rsplit("/", 1)[1]) > 30  # an unguessable token

    async with bot.session.get(f"{bot.base_url}{path}") as response:
        body = await response.read()
        assert response.status == 200
        assert response.content_type == "text/calendar"
    calendar = icalendar.Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == SMB
    assert str(event["location"]) == smb.room
    assert event.decoded("dtstart") == smb.start
    assert event["dtstart"].params["TZID"] == "America/Toronto"
    assert calendar.walk("VTIMEZONE")
    assert str(event["uid"]).endswith("@hallway")

    [again] = await bot.ask("export my shortlist")
    assert again["attachments"][0]["content"]["actions"][0]["url"] == action["url"]

    async with bot.session.get(f"{bot.base_url}/shortlist/not-a-token.ics") as response:
        assert response.status == 404


async def test_groups_do_not_get_the_export_link(bot: BotClient) -> None:
    channel = teams_activity(
        bot, "teams-message-channel-atMention.json", "29:carol", "export my shortlist"
    )
    await bot.post(channel)
    assert "private" in bot.connector.messages()[-1]["text"]


async def test_moved_and_cancelled_sessions_are_shown_not_dropped(make_bot, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    agenda: dict[str, Any] = {
        "hallway": 1,
        "conference": {"name": "Move Conf", "timezone": "Europe/Paris"},
        "sessions": [
            {"id": "a", "title": "Rust at scale", "start": "2026-06-02T10:00",
             "end": "2026-06-02T11:00", "room": "Room 1"},
            {"id": "b", "title": "Go for beginners", "start": "2026-06-02T14:00",
             "end": "2026-06-02T15:00", "room": "Room 2"},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(agenda), encoding="utf-8")
    bot = await make_bot(
        Settings(catalogue=path, storage_url="memory://", admin_token="t", catalogue_poll_seconds=0)
    )
    await tap(bot, "shortlist_add", "a")
    await tap(bot, "shortlist_add", "b")

    agenda["sessions"] = [
        dict(agenda["sessions"][0], start="2026-06-02T16:00", end="2026-06-02T17:00", room="Room 9")
    ]
    path.write_text(json.dumps(agenda), encoding="utf-8")
    async with bot.session.post(
        f"{bot.base_url}/api/admin/reload", headers={"Authorization": "Bearer t"}
    ) as response:
        assert response.status == 200

    [shown] = await bot.ask("show my shortlist")
    text = card_text(shown)
    assert rows(shown) == ["b", "a"]  # the cancelled 14:00 session, then the moved one at 16:00
    assert "Cancelled" in text and "Go for beginners" in text
    assert "Moved (was Tue 2 Jun 10:00–11:00)" in text and "Room 9" in text
    removed = await tap(bot, "shortlist_remove", "b")
    assert "Removed “Go for beginners”" in removed["text"]


async def test_fifty_adds_at_once_are_all_kept(make_bot, tmp_path: Path, demo) -> None:
    bot = await make_bot(Settings(storage_url=f"sqlite:///{tmp_path / 'state.sqlite3'}"))
    talks = [s for s in demo.sessions if s.kind.value == "talk"][:50]
    activities = [bot.activity(value={"action": "shortlist_add", "sessionId": s.id}) for s in talks]
    responses = await asyncio.gather(*(bot.post(a) for a in activities))
    assert all(r.status == 200 for r in responses)
    [shown] = await bot.ask("show my shortlist")
    assert set(rows(shown)) == {s.id for s in talks}


def _two_overlapping(demo):
    talks = [s for s in demo.sessions if s.kind.value == "talk"]
    for first in talks:
        for second in talks:
            if first.id < second.id and first.start < second.end and second.start < first.end:
                return first, second
    raise AssertionError("the demo agenda has no overlapping talks")
