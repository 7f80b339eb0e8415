"""The bot over the real Bot Framework protocol: activities POSTed over HTTP, replies received
on a local connector, on the bundled demo agenda."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from tests.conftest import BotClient, shared_json

TORONTO = ZoneInfo("America/Toronto")
# Monday 11 July 2016, 09:30 in Toronto: the first vision keynote is under way.
DURING_FIRST_KEYNOTE = "2016-07-11T13:30:00.000Z"


@pytest.fixture(scope="module")
def demo():
    return load(DEMO_CATALOGUE)


def session_ids(reply: dict[str, Any]) -> list[str]:
    """The `sessionId`s of a reply's card actions, in the order offered."""
    ids: list[str] = []
    for attachment in reply.get("attachments") or []:
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        assert card["version"] == "1.5"
        card_ids = {a["data"]["sessionId"] for a in card.get("actions", []) if "data" in a}
        assert len(card_ids) == 1, card
        ids.extend(card_ids)
    return ids


async def test_hello_gets_a_welcome_addressed_back_to_the_user(bot: BotClient) -> None:
    activity = bot.activity()
    response = await bot.post(activity)
    assert response.status == 200
    [reply] = bot.connector.messages()
    assert "Hallway" in reply["text"]
    assert "after the keynote" in reply["text"]
    assert reply["replyToId"] == activity["id"]
    assert reply["conversation"]["id"] == activity["conversation"]["id"]
    assert reply["recipient"]["id"] == activity["from"]["id"]
    assert reply["from"]["id"] == activity["recipient"]["id"]
    [call] = bot.connector.received
    assert call.path.endswith(f"/activities/{activity['id']}")


async def test_after_the_keynote_lists_sessions_that_start_after_it_ends(
    bot: BotClient, demo
) -> None:
    [reply] = await bot.ask("what's on after the keynote?", timestamp=DURING_FIRST_KEYNOTE)
    keynote = next(k for k in demo.keynotes if k.title == "Transforming our world together")
    assert keynote.title in reply["text"]
    ids = session_ids(reply)
    assert 1 <= len(ids) <= 8
    starts = [demo.get(i).start for i in ids]
    assert all(start >= keynote.end for start in starts)
    assert all(
        s.astimezone(TORONTO).date() == keynote.start.astimezone(TORONTO).date() for s in starts
    )
    assert starts == sorted(starts)
    assert keynote.id not in ids


async def test_whats_on_now_during_a_keynote_puts_the_keynote_first(bot: BotClient, demo) -> None:
    [reply] = await bot.ask("what's on now?", timestamp=DURING_FIRST_KEYNOTE)
    ids = session_ids(reply)
    assert demo.get(ids[0]).is_keynote
    now = datetime.fromisoformat(DURING_FIRST_KEYNOTE)
    assert all(demo.get(i).start <= now < demo.get(i).end for i in ids)
    assert "09:30" in reply["text"]


async def test_whats_next_lists_the_next_sessions(bot: BotClient, demo) -> None:
    [reply] = await bot.ask("what's next", timestamp=DURING_FIRST_KEYNOTE)
    now = datetime.fromisoformat(DURING_FIRST_KEYNOTE)
    ids = session_ids(reply)
    assert ids
    assert all(demo.get(i).start > now for i in ids)


async def test_topic_search_finds_the_smb_session(bot: BotClient, demo) -> None:
    [reply] = await bot.ask("anything about SMB?", timestamp=DURING_FIRST_KEYNOTE)
    titles = [demo.get(i).title for i in session_ids(reply)]
    assert "New, game changing SMB innovation" in titles


async def test_title_with_a_typo_is_found(bot: BotClient, demo) -> None:
    [reply] = await bot.ask("profitable solution practise", timestamp=DURING_FIRST_KEYNOTE)
    titles = [demo.get(i).title for i in session_ids(reply)]
    assert "Built a profitable solution practice" in titles


async def test_french_locale_gets_french_replies(bot: BotClient) -> None:
    [reply] = await bot.ask("aide", locale="fr-FR")
    assert "Essayez" in reply["text"]
    [reply] = await bot.ask(
        "qu'est-ce qu'il y a après la plénière ?", locale="fr-CA", timestamp=DURING_FIRST_KEYNOTE
    )
    assert "Après Transforming our world together (fin à 10 h 30)" in reply["text"]


async def test_help_and_not_understood(bot: BotClient) -> None:
    [reply] = await bot.ask("help")
    assert "what's next?" in reply["text"]
    [reply] = await bot.ask("zxqv wwkk")
    assert "didn't get that" in reply["text"] and "help" in reply["text"]


async def test_details_button_shows_the_full_session(bot: BotClient, demo) -> None:
    session = next(s for s in demo.sessions if s.title == "New, game changing SMB innovation")
    activity = bot.activity(
        "emulator-message-actionSubmit-postBack-value.json",
        value={"action": "details", "sessionId": session.id},
    )
    response = await bot.post(activity)
    assert response.status == 200
    [reply] = bot.connector.messages()
    assert session_ids(reply) == [session.id]
    card_text = str(reply["attachments"][0]["content"]["body"])
    assert session.abstract[:40] in card_text


async def test_same_time_button_lists_overlapping_sessions(bot: BotClient, demo) -> None:
    keynote = demo.keynotes[0]
    response = await bot.post(
        bot.activity(text=None, value={"action": "same_time", "sessionId": keynote.id})
    )
    assert response.status == 200
    [reply] = bot.connector.messages()
    for session_id in session_ids(reply):
        other = demo.get(session_id)
        assert other.start < keynote.end and other.end > keynote.start


async def test_button_for_a_session_no_longer_in_the_agenda(bot: BotClient) -> None:
    await bot.post(bot.activity(value={"action": "details", "sessionId": "gone-42"}))
    [reply] = bot.connector.messages()
    assert "no longer" in reply["text"]


async def test_emulator_conversation_update_welcomes_the_user_once(bot: BotClient) -> None:
    transcript = shared_json("emulator-transcript-sample-conversation.json")
    for update in transcript[:2]:
        update["serviceUrl"] = bot.connector.url
        response = await bot.post(update)
        assert response.status == 200
    [welcome] = bot.connector.messages()
    assert "Hallway" in welcome["text"]


async def test_teams_personal_message_and_team_install(bot: BotClient) -> None:
    response = await bot.post(bot.activity("teams-message-personal-fullInboundSchema.json"))
    assert response.status == 200
    response = await bot.post(bot.activity("teams-conversationUpdate-botAddedToTeam.json"))
    assert response.status == 200
    replies = bot.connector.messages()
    assert len(replies) == 2
    assert all("Hallway" in r["text"] for r in replies)


async def test_unknown_activity_types_are_accepted_and_ignored(bot: BotClient) -> None:
    response = await bot.post(bot.activity(type="somethingNew"))
    assert response.status == 200
    response = await bot.post(bot.activity("teams-messageReaction-like.json"))
    assert response.status == 200
    assert bot.connector.messages() == []


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        (b"this is not json", "application/json", 400, "not valid JSON"),
        (b"\xff\xfe\x00garbage", "application/json", 400, "not valid JSON"),
        (b"[1, 2, 3]", "application/json", 400, "JSON object"),
        (b'{"text": "hi"}', "application/json", 400, "'type'"),
        (b'{"type": "message", "text": "hi"}', "application/json", 400, "serviceUrl"),
        (b'{"type": 5}', "application/json", 400, "'type'"),
        (b"{}", "text/plain", 415, "application/json"),
        (b"{}", "application/x-www-form-urlencoded", 415, "application/json"),
    ],
)
async def test_bad_requests_get_a_short_reason(
    bot: BotClient, body: bytes, content_type: str, status: int, reason: str
) -> None:
    async with bot.session.post(
        f"{bot.base_url}/api/messages", data=body, headers={"Content-Type": content_type}
    ) as response:
        text = await response.text()
    assert response.status == status
    assert reason in text
    assert "Traceback" not in text


async def test_malformed_fields_are_refused_and_the_server_keeps_serving(bot: BotClient) -> None:
    for overrides in (
        {"timestamp": "not a time"},
        {"text": ["a", "list"]},
        {"conversation": "flat"},
        {"serviceUrl": "ftp://example"},
        {"serviceUrl": "http://:39979"},  # no host: the reply could never be sent
        {"serviceUrl": "http://host:notaport/"},
    ):
        response = await bot.post(bot.activity(**overrides))
        assert response.status == 400, overrides
    [reply] = await bot.ask("help")
    assert reply["text"]


async def test_oversized_body_gets_413(make_bot) -> None:
    from bot.settings import Settings

    small = await make_bot(Settings(storage_url="memory://", max_body_bytes=2048))
    activity = small.activity(text="x" * 5000)
    response = await small.post(activity)
    assert response.status == 413


async def test_healthz_reports_what_is_served(bot: BotClient, demo) -> None:
    async with bot.session.get(f"{bot.base_url}/healthz") as response:
        body = await response.json()
    assert response.status == 200
    assert body["status"] == "ok"
    assert body["catalogue"] == demo.conference.name
    assert body["sessions"] == len(demo.sessions)
    assert body["timezone"] == "America/Toronto"
    assert body["storage"] == "memory"
    assert body["version"]


async def test_channel_failure_is_logged_not_500(make_bot, caplog) -> None:
    client = await make_bot()
    activity = client.activity(text="help", serviceUrl="http://127.0.0.1:9")  # nothing listens
    response = await client.post(activity)
    assert response.status in (200, 502, 503)
    assert response.status != 500


async def test_a_redelivered_message_is_answered_once(bot: BotClient) -> None:
    activity = bot.activity(text="help")
    first, second = await bot.post(activity), await bot.post(activity)
    assert (first.status, second.status) == (200, 200)
    assert len(bot.connector.messages()) == 1
    # The same id in another conversation is another message.
    other = dict(activity, conversation={"id": "another-conversation"})
    await bot.post(other)
    assert len(bot.connector.messages()) == 2


async def test_a_teams_channel_mention_is_answered(bot: BotClient) -> None:
    activity = bot.activity("teams-message-channel-atMention.json")
    activity["text"] = "<at>ridotest</at> help"
    activity["entities"][0]["text"] = "<at>ridotest</at>"
    response = await bot.post(activity)
    assert response.status == 200
    [reply] = bot.connector.messages()
    assert "what's next?" in reply["text"]
