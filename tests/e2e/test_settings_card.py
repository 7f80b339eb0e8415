"""Reminder settings as a card, end to end: real activities over HTTP, replies at the local
connector (which validates every card against the Adaptive Cards 1.5 schema), and the planned
nudges read back through `GET /api/admin/nudges`.

The clock is frozen at Monday 11 July 2016, 09:30 in Toronto; the attendee has shortlisted the
14:00 SMB talk, so with the default lead its nudge is due at 13:50.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.settings import Settings
from tests.card_schema import card_problems
from tests.conftest import BotClient, MakeBot

NOW = datetime(2016, 7, 11, 9, 30, tzinfo=ZoneInfo("America/Toronto"))
TALK = "wpc16-c019"  # New, game changing SMB innovation, Monday 14:00
EXECUTE = "teams-invoke-adaptiveCard-action-Execute-personal.json"
TEAMS_PERSONAL = "teams-message-personal-fullInboundSchema.json"
TEAMS_CHANNEL = "teams-message-channel-atMention.json"
NOT_UNDERSTOOD = "Sorry, I didn't get that."


@pytest.fixture
async def bot(make_bot: MakeBot) -> BotClient:
    settings = Settings(
        storage_url="memory://", catalogue_poll_seconds=0, nudge_tick_seconds=0, admin_token="ops"
    )
    frozen = NOW.astimezone(UTC)
    client: BotClient = await make_bot(settings, clock=Clock(source=lambda: frozen))
    return client


# --- the channel's side ------------------------------------------------------------------


async def say(bot: BotClient, text: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    """A message from the attendee (the Emulator's, or a Teams capture); the one reply."""
    before = len(bot.connector.received)
    activity = bot.activity(name, text=text) if name else bot.activity(text=text)
    if name:
        activity["from"] = bot.activity(EXECUTE)["from"]  # the Teams attendee of the invoke
        activity.pop("entities", None)
    activity.update(timestamp=None, **fields)  # the turn's "now" is the frozen clock
    assert (await bot.post(activity)).status == 200
    [reply] = [r.activity for r in bot.connector.received[before:]]
    return reply


async def submit(bot: BotClient, data: Any, **fields: Any) -> dict[str, Any]:
    """A tap on an `Action.Submit` button: its data arrives as the message's `value`, from the
    same attendee and conversation as `say`."""
    before = len(bot.connector.received)
    same_user = bot.activity()
    activity = bot.activity(
        "emulator-message-actionSubmit-postBack-value.json",
        value=data,
        **{k: same_user[k] for k in ("from", "recipient", "conversation")},
        timestamp=None,
    )
    activity.update(fields)
    assert (await bot.post(activity)).status == 200
    [reply] = [r.activity for r in bot.connector.received[before:]]
    return reply


async def execute(bot: BotClient, data: Any, **fields: Any) -> dict[str, Any]:
    """A tap on a Teams `Action.Execute` button, from the real invoke capture: the refreshed
    card comes back in the HTTP response, nothing goes through the connector."""
    activity = bot.activity(EXECUTE, timestamp=None, **fields)
    verb = data.get("action") if isinstance(data, dict) else None
    activity["value"]["action"] = {"type": "Action.Execute", "verb": verb, "data": data}
    before = len(bot.connector.received)
    async with bot.session.post(f"{bot.base_url}/api/messages", json=activity) as response:
        assert response.status == 200
        body = await response.json()
    assert len(bot.connector.received) == before
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = body["value"]
    assert card_problems(card) == []
    return card


async def planned(bot: BotClient) -> list[str]:
    """When the talk's nudges are due (local time of day), as the operators' listing says."""
    url = f"{bot.base_url}/api/admin/nudges"
    headers = {"Authorization": "Bearer ops"}
    async with bot.session.get(url, params={"within": "2d"}, headers=headers) as response:
        assert response.status == 200
        listing = await response.json()
    return [row["due"][11:16] for row in listing["nudges"] if row["session"] == TALK]


# --- reading a settings card -------------------------------------------------------------


def card_of(reply: dict[str, Any]) -> dict[str, Any]:
    [attachment] = reply["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def facts(card: dict[str, Any]) -> dict[str, str]:
    [fact_set] = [b for b in card["body"] if b["type"] == "FactSet"]
    return {f["title"]: f["value"] for f in fact_set["facts"]}


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for b in card["body"] if b["type"] == "ActionSet" for a in b["actions"]]


def button(card: dict[str, Any], action: str, value: Any) -> dict[str, Any]:
    [found] = [
        b for b in buttons(card) if b["data"] == {"action": action, "value": value}
    ]  # exactly the action name and its value: nothing about the attendee rides along
    return found


def titles(card: dict[str, Any]) -> list[str]:
    return [b["title"] for b in buttons(card)]


# --- the tests ---------------------------------------------------------------------------


async def test_settings_card_in_english_and_each_kind_of_tap(bot: BotClient) -> None:
    await submit(bot, {"action": "shortlist_add", "sessionId": TALK})
    assert await planned(bot) == ["13:50"]

    shown = await say(bot, "what are my reminder settings")
    assert shown["text"] == "Reminders are on: 10 minutes before each session on your shortlist."
    card = card_of(shown)
    assert card["body"][0]["text"] == "Your reminders"
    assert facts(card) == {
        "Reminders": "On",
        "Before each session": "10 minutes",
        "Morning summary": "Off",
    }
    assert titles(card) == [
        "Turn reminders off",
        "5 min", "10 min ✓", "15 min", "30 min",
        "Mute for an hour", "Mute until tomorrow 09:00",
        "Send me a morning summary",
    ]  # fmt: skip
    assert button(card, "settings_lead", 10).get("style") == "positive"
    # Outside Teams every button is a plain Action.Submit (Web Chat sends nothing for Execute).
    assert {b["type"] for b in buttons(card)} == {"Action.Submit"}

    # Lead time: the same answer as "remind me 15 minutes before", and the nudge moves.
    reply = await submit(bot, button(card, "settings_lead", 15)["data"])
    assert reply["text"] == "I'll nudge you 15 minutes before each session on your shortlist."
    card = card_of(reply)
    assert facts(card)["Before each session"] == "15 minutes"
    assert "15 min ✓" in titles(card) and "10 min" in titles(card)
    assert await planned(bot) == ["13:45"]

    # The one on/off toggle.
    reply = await submit(bot, button(card, "settings_reminders", False)["data"])
    assert reply["text"].startswith("Reminders are off.")
    card = card_of(reply)
    assert facts(card)["Reminders"] == "Off"
    assert "Turn reminders on" in titles(card)
    assert not [t for t in titles(card) if t.startswith("Mute")]  # nothing to mute
    assert await planned(bot) == []
    reply = await submit(bot, button(card, "settings_reminders", True)["data"])
    assert reply["text"].startswith("Reminders are on: 15 minutes")
    assert await planned(bot) == ["13:45"]

    # Mutes: for an hour (the nudge is later: unaffected), until tomorrow morning (it is not).
    reply = await submit(bot, button(card_of(reply), "settings_mute", "hour")["data"])
    assert reply["text"].startswith("Reminders muted until 10:30.")
    card = card_of(reply)
    assert facts(card)["Muted until"] == "10:30"
    assert "Unmute" in titles(card)
    assert await planned(bot) == ["13:45"]
    reply = await submit(bot, button(card, "settings_mute", "tomorrow")["data"])
    assert reply["text"].startswith("Reminders muted until Tue 12 Jul 09:00.")
    card = card_of(reply)
    assert facts(card)["Muted until"] == "Tue 12 Jul 09:00"
    assert await planned(bot) == []
    reply = await submit(bot, button(card, "settings_mute", "off")["data"])
    assert reply["text"].startswith("Reminders are on: 15 minutes")
    card = card_of(reply)
    assert "Muted until" not in facts(card) and "Unmute" not in titles(card)
    assert await planned(bot) == ["13:45"]

    # The morning summary.
    reply = await submit(bot, button(card, "settings_digest", True)["data"])
    assert reply["text"].startswith("Every morning at 08:00")
    card = card_of(reply)
    assert facts(card)["Morning summary"] == "08:00"
    assert "Stop the morning summary" in titles(card)

    # What the words say afterwards agrees with what was tapped.
    again = await say(bot, "what are my reminder settings")
    assert again["text"] == (
        "Reminders are on: 15 minutes before each session on your shortlist. "
        "Morning summary at 08:00."
    )
    reply = await submit(bot, button(card_of(again), "settings_digest", False)["data"])
    assert reply["text"] == "No more morning summary."
    assert facts(card_of(reply))["Morning summary"] == "Off"


@pytest.mark.parametrize("words", ["mes rappels", "réglages des rappels"])
async def test_settings_card_in_french(bot: BotClient, words: str) -> None:
    shown = await say(bot, words, locale="fr-FR")
    assert shown["text"] == (
        "Rappels activés : 10 minutes avant chaque session de votre sélection."
    )
    card = card_of(shown)
    assert card["body"][0]["text"] == "Vos rappels"
    assert facts(card) == {
        "Rappels": "Activés",
        "Avant chaque session": "10 minutes",
        "Résumé du matin": "Désactivé",
    }
    assert titles(card) == [
        "Désactiver les rappels",
        "5 min", "10 min ✓", "15 min", "30 min",
        "Pause d'une heure", "Pause jusqu'à demain 9 h",
        "Recevoir le résumé du matin",
    ]  # fmt: skip

    reply = await submit(bot, button(card, "settings_lead", 5)["data"], locale="fr-FR")
    assert reply["text"] == (
        "Je vous préviendrai 5 minutes avant chaque session de votre sélection."
    )
    reply = await submit(bot, button(card, "settings_mute", "tomorrow")["data"], locale="fr-FR")
    assert reply["text"].startswith("Rappels en pause jusqu'à mar. 12 juil. 9 h.")
    card = card_of(reply)
    assert facts(card)["En pause jusqu'à"] == "mar. 12 juil. 9 h"
    assert "Réactiver les rappels" in titles(card)


async def test_teams_action_execute_refreshes_the_card_in_place(bot: BotClient) -> None:
    # Asked in Teams, the card's buttons are Action.Execute with an Action.Submit fallback.
    shown = await say(bot, "what are my reminder settings", TEAMS_PERSONAL)
    card = card_of(shown)
    assert {b["type"] for b in buttons(card)} == {"Action.Execute"}
    lead = button(card, "settings_lead", 30)
    assert lead["verb"] == "settings_lead" and lead["fallback"]["type"] == "Action.Submit"
    assert lead["fallback"]["data"] == lead["data"]

    refreshed = await execute(bot, lead["data"])
    assert refreshed["body"][0]["text"] == (
        "I'll nudge you 30 minutes before each session on your shortlist."
    )
    assert facts(refreshed)["Before each session"] == "30 minutes"
    assert "30 min ✓" in titles(refreshed)
    assert {b["type"] for b in buttons(refreshed)} == {"Action.Execute"}

    refreshed = await execute(bot, button(refreshed, "settings_mute", "hour")["data"])
    assert refreshed["body"][0]["text"].startswith("Reminders muted until 10:30.")
    assert facts(refreshed)["Muted until"] == "10:30"
    refreshed = await execute(bot, button(refreshed, "settings_mute", "off")["data"])
    assert "Muted until" not in facts(refreshed)
    refreshed = await execute(bot, button(refreshed, "settings_digest", True)["data"])
    assert facts(refreshed)["Morning summary"] == "08:00"
    refreshed = await execute(bot, button(refreshed, "settings_reminders", False)["data"])
    assert refreshed["body"][0]["text"].startswith("Reminders are off.")
    assert facts(refreshed)["Reminders"] == "Off"

    # The same attendee asking in words sees what the taps did; the French invoke answers in
    # French.
    after = await say(bot, "what are my reminder settings", TEAMS_PERSONAL)
    assert after["text"].startswith("Reminders are off.")
    assert after["text"].endswith("Morning summary at 08:00.")
    refreshed = await execute(bot, {"action": "settings_reminders", "value": True}, locale="fr-FR")
    assert refreshed["body"][0]["text"] == (
        "Rappels activés : 30 minutes avant chaque session de votre sélection."
    )
    assert facts(refreshed)["Rappels"] == "Activés"


BAD_DATA = [
    {"action": "settings_lead", "value": 999},
    {"action": "settings_lead", "value": 0},
    {"action": "settings_lead", "value": "15"},
    {"action": "settings_lead", "value": True},
    {"action": "settings_lead", "value": 15.0},
    {"action": "settings_lead"},
    {"action": "settings_mute", "value": "forever"},
    {"action": "settings_mute", "value": ["hour"]},
    {"action": "settings_reminders", "value": "yes"},
    {"action": "settings_digest", "value": None},
    {"action": "settings_digest", "value": {"on": True}},
    {"action": ["settings_lead"], "value": 5},
    {"action": {"name": "settings_lead"}, "value": 5},
    {"action": "settings_everything", "value": 5},
]


async def test_bad_card_data_is_not_understood_and_changes_nothing(bot: BotClient) -> None:
    await submit(bot, {"action": "shortlist_add", "sessionId": TALK})
    for data in BAD_DATA:
        reply = await submit(bot, data)
        assert reply["text"].startswith(NOT_UNDERSTOOD), data
        assert not reply.get("attachments"), data
    for data in BAD_DATA:
        card = await execute(bot, data)
        assert card["body"][0]["text"].startswith(NOT_UNDERSTOOD), data
        assert "actions" not in card, data
    status = await say(bot, "what are my reminder settings")
    assert status["text"] == "Reminders are on: 10 minutes before each session on your shortlist."
    teams = await say(bot, "what are my reminder settings", TEAMS_PERSONAL)
    assert teams["text"] == status["text"]
    assert await planned(bot) == ["13:50"]


async def test_settings_stay_private_in_group_conversations(bot: BotClient) -> None:
    # Words in a Teams channel: no card, no settings, a pointer to the personal chat.
    reply = await say(bot, "what are my reminder settings", TEAMS_CHANNEL)
    assert reply["text"] == (
        "Your reminder settings are private: ask me about them in a personal chat with me."
    )
    assert not reply.get("attachments")
    reply = await say(bot, "mes rappels", TEAMS_CHANNEL, locale="fr-FR")
    assert reply["text"].startswith("Vos réglages de rappels sont privés")

    # A tap from a group (a forwarded card, a hand-made activity) changes nothing, shows nothing.
    group = bot.activity(TEAMS_CHANNEL)["conversation"]
    reply = await say(bot, "", TEAMS_CHANNEL, value={"action": "settings_lead", "value": 30})
    assert reply["text"].startswith("Your reminder settings are private") and not reply.get(
        "attachments"
    )
    card = await execute(bot, {"action": "settings_reminders", "value": False}, conversation=group)
    assert card["body"][0]["text"].startswith("Your reminder settings are private")
    assert "FactSet" not in {b["type"] for b in card["body"]}

    personal = await say(bot, "what are my reminder settings", TEAMS_PERSONAL)
    assert personal["text"] == (
        "Reminders are on: 10 minutes before each session on your shortlist."
    )
    assert facts(card_of(personal))["Reminders"] == "On"
