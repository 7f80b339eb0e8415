"""Teams-native behaviour, replayed from the real Teams payloads in ../shared/activities."""

from __future__ import annotations

from typing import Any

import pytest

from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from tests.card_schema import card_problems
from tests.conftest import BotClient
from tests.e2e.test_shortlist import rows

SMB = "New, game changing SMB innovation"


@pytest.fixture(scope="module")
def demo():
    return load(DEMO_CATALOGUE)


async def invoke(bot: BotClient, activity: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    async with bot.session.post(f"{bot.base_url}/api/messages", json=activity) as response:
        return response.status, await response.json()


def execute(bot: BotClient, verb: str, session_id: str) -> dict[str, Any]:
    activity = bot.activity("teams-invoke-adaptiveCard-action-Execute-personal.json")
    activity["value"]["action"] = {
        "type": "Action.Execute",
        "verb": verb,
        "title": "Add to my shortlist",
        "data": {"action": verb, "sessionId": session_id},
    }
    return activity


async def test_the_real_action_execute_capture_gets_a_200_with_a_card(bot: BotClient) -> None:
    status, body = await invoke(
        bot, bot.activity("teams-invoke-adaptiveCard-action-Execute-personal.json")
    )
    assert status == 200
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert card_problems(body["value"]) == []
    assert bot.connector.received == []  # an invoke is answered in its own HTTP response


async def test_add_by_action_execute_refreshes_the_card_in_place(bot: BotClient, demo) -> None:
    smb = next(s for s in demo.sessions if s.title == SMB)
    status, body = await invoke(bot, execute(bot, "shortlist_add", smb.id))
    assert status == 200 and body["statusCode"] == 200
    card = body["value"]
    assert card_problems(card) == []
    assert card["body"][0]["text"] == "On your shortlist ✓"
    [toggle] = [a for a in card["actions"] if a["type"] == "Action.Execute"]
    assert toggle["verb"] == "shortlist_remove" and toggle["data"]["sessionId"] == smb.id
    assert toggle["fallback"]["type"] == "Action.Submit"

    personal = bot.activity(
        "teams-message-personal-fullInboundSchema.json", text="show my shortlist"
    )
    personal["from"] = bot.activity("teams-invoke-adaptiveCard-action-Execute-personal.json")[
        "from"
    ]
    await bot.post(personal)
    assert rows(bot.connector.messages()[-1]) == [smb.id]

    status, body = await invoke(bot, execute(bot, "shortlist_remove", smb.id))
    assert body["value"]["body"][0]["text"] == "Removed from your shortlist"


async def test_search_messaging_extension(bot: BotClient, demo) -> None:
    query = bot.activity("teams-invoke-composeExtension-query.json")
    query["value"]["parameters"][0]["value"] = "azure"
    status, body = await invoke(bot, query)
    assert status == 200
    result = body["composeExtension"]
    assert result["type"] == "result" and result["attachmentLayout"] == "list"
    assert 1 <= len(result["attachments"]) <= 25
    for attachment in result["attachments"]:
        assert attachment["preview"]["contentType"] == "application/vnd.microsoft.card.thumbnail"
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card_problems(attachment["content"]) == []
    titles = [a["preview"]["content"]["title"] for a in result["attachments"]]
    assert any("Azure" in t for t in titles[:3])


async def test_search_initial_run_shows_now_and_next(bot: BotClient) -> None:
    query = bot.activity(
        "teams-invoke-composeExtension-query.json", timestamp="2016-07-11T13:30:00Z"
    )
    query["value"]["parameters"] = [{"name": "initialRun", "value": "true"}]
    status, body = await invoke(bot, query)
    assert status == 200
    titles = [a["preview"]["content"]["title"] for a in body["composeExtension"]["attachments"]]
    assert titles[0] == "Transforming our world together"


async def test_the_real_search_capture_answers(bot: BotClient) -> None:
    status, body = await invoke(bot, bot.activity("teams-invoke-composeExtension-query.json"))
    assert status == 200
    assert body["composeExtension"]["type"] == "result"


async def test_install_in_a_team_is_welcomed_once(bot: BotClient) -> None:
    for name in (
        "teams-installationUpdate-add-team.json",
        "teams-conversationUpdate-botAddedToTeam.json",
    ):
        response = await bot.post(bot.activity(name))
        assert response.status == 200
    [welcome] = bot.connector.messages()
    assert "Hallway" in welcome["text"]


async def test_new_team_members_are_not_welcomed_in_the_channel(bot: BotClient) -> None:
    activity = bot.activity("teams-conversationUpdate-botAddedToTeam.json")
    activity["membersAdded"] = [{"id": "29:new-colleague"}]
    await bot.post(activity)
    assert bot.connector.messages() == []


async def test_personal_install_is_welcomed(bot: BotClient) -> None:
    response = await bot.post(bot.activity("teams-conversationUpdate-botAddedPersonal.json"))
    assert response.status == 200
    [welcome] = bot.connector.messages()
    assert "Hallway" in welcome["text"]


async def test_cards_update_in_place_in_teams_and_submit_elsewhere(bot: BotClient) -> None:
    teams = bot.activity(
        "teams-message-personal-fullInboundSchema.json", text="anything about SMB?"
    )
    await bot.post(teams)
    emulator = bot.activity(text="anything about SMB?")
    await bot.post(emulator)
    in_teams, elsewhere = bot.connector.messages()

    def toggles(reply: dict[str, Any]) -> set[str]:
        return {
            a["type"]
            for att in reply["attachments"]
            for a in att["content"]["actions"]
            if a["data"]["action"].startswith("shortlist")
        }

    assert toggles(in_teams) == {"Action.Execute"}
    assert toggles(elsewhere) == {"Action.Submit"}
