"""Only the mention addressed to the bot is removed from what the attendee said."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ChannelAccount, Entity, Mention

from bot.mentions import _as_dict, text_for_bot
from tests.conftest import shared_activity

BOT = "28:0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"


def activity(text: str, *mentions: tuple[str, str]) -> Activity:
    raw: dict[str, Any] = shared_activity("teams-message-channel-atMention.json")
    raw["text"] = text
    raw["entities"] = [
        {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": who, "name": name}}
        for who, name in mentions
    ]
    return Activity().deserialize(raw)


def test_the_real_channel_capture() -> None:
    raw = shared_activity("teams-message-channel-atMention.json")
    assert text_for_bot(Activity().deserialize(raw)) == "reply to thread"


def test_the_bots_name_elsewhere_in_the_message_stays() -> None:
    text = "<at>Hallway</at> is there a session about Hallway chat bots?"
    assert (
        text_for_bot(activity(text, (BOT, "Hallway")))
        == "is there a session about Hallway chat bots?"
    )


def test_other_peoples_mentions_stay() -> None:
    text = "<at>Hallway</at> when is <at>Ada</at> speaking?"
    stripped = text_for_bot(activity(text, (BOT, "Hallway"), ("29:ada", "Ada")))
    assert stripped == "when is <at>Ada</at> speaking?"


def test_html_entities_are_decoded_and_no_mention_is_fine() -> None:
    assert text_for_bot(activity("Q&amp;A   sessions")) == "Q&A sessions"


def _as_dict_with_msrest(entity: Any) -> dict[str, Any]:
    """What `_as_dict` gave when it asked msrest's serializer."""
    return {**(entity.additional_properties or {}), **entity.serialize()}


def test_entities_are_seen_as_msrest_serializes_them() -> None:
    raw = shared_activity("teams-message-channel-atMention.json")
    entities = list(Activity().deserialize(raw).entities)
    entities += [
        Mention(mentioned=ChannelAccount(id=BOT, name="Hallway"), text="<at>Hallway</at>"),
        Mention(mentioned=ChannelAccount(id=BOT), text="<at>Hallway</at>", type="mention"),
        Entity(type="clientInfo"),
        Entity(),
    ]
    entities[-1].additional_properties = {"type": "mention", "text": "extra wins over nothing"}
    for entity in entities:
        assert _as_dict(entity) == _as_dict_with_msrest(entity)
    assert _as_dict({"type": "mention"}) == {"type": "mention"}
