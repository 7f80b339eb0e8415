"""`bot.wire.to_wire` must produce what msrest's serializer would send, field for field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from botbuilder.core import MessageFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    HeroCard,
    Mention,
    SuggestedActions,
)
from botframework.connector import models
from msrest import Serializer

from bot.wire import to_json, to_wire
from catalogue.importers import load
from tests.conftest import shared_activity
from tests.paths import ROOT

MSREST = Serializer({k: v for k, v in models.__dict__.items() if isinstance(v, type)})
SHARED_ACTIVITIES = [
    "emulator-message-user-hello.json",
    "teams-message-personal-fullInboundSchema.json",
    "teams-message-channel-atMention.json",
    "teams-invoke-adaptiveCard-action-Execute-personal.json",
    "teams-conversationUpdate-botAddedToTeam.json",
]


def _msrest(activity: Activity) -> Any:
    return json.loads(json.dumps(MSREST.body(activity, "Activity")))


def _ours(activity: Activity) -> Any:
    """Both of our paths, which must agree with each other and with msrest."""
    in_python = json.loads(json.dumps(to_wire(activity)))
    assert json.loads(to_json(activity)) == in_python
    return in_python


@pytest.mark.parametrize("name", SHARED_ACTIVITIES)
def test_real_activities_come_out_as_msrest_writes_them(name: str) -> None:
    activity = Activity().deserialize(shared_activity(name))
    assert _ours(activity) == _msrest(activity)


def test_an_answer_with_cards_comes_out_as_msrest_writes_it() -> None:
    from bot.render import render_answer
    from bot.replies import ENGLISH
    from catalogue.ask import Answerer

    catalogue = load(ROOT / "catalogue" / "data" / "wpc2016.json")
    answerer = Answerer.for_catalogue(catalogue)
    now = datetime(2016, 7, 11, 9, 30, tzinfo=catalogue.timezone)
    answer = answerer.answer("what's on after the keynote?", now)
    reply = render_answer(answer, ENGLISH, catalogue, now, frozenset(), universal=True)
    incoming = Activity().deserialize(shared_activity("emulator-message-user-hello.json"))
    # The fields the adapter fills in before sending a reply.
    reply.conversation = incoming.conversation
    reply.recipient = incoming.from_property
    reply.from_property = incoming.recipient
    reply.reply_to_id = incoming.id
    reply.service_url = incoming.service_url
    reply.channel_id = incoming.channel_id
    assert reply.attachments, "the answer should carry session cards"
    assert _ours(reply) == _msrest(reply)


def test_models_inside_attachments_lists_and_timestamps() -> None:
    hero = HeroCard(
        title="Keynote",
        buttons=[CardAction(type="imBack", title="Add", value={"sessionId": "s1", "n": None})],
    )
    activity = MessageFactory.attachment(
        Attachment(content_type="application/vnd.microsoft.card.hero", content=hero)
    )
    activity.suggested_actions = SuggestedActions(
        actions=[CardAction(type="imBack", title="more", value="more")]
    )
    activity.entities = [
        Mention(mentioned=ChannelAccount(id="u1", name="Ana"), text="<at>Ana</at>")
    ]
    activity.timestamp = datetime(
        2026, 11, 28, 9, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1))
    )
    activity.local_timestamp = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    activity.conversation = ConversationAccount(id="a:1;messageid=2", is_group=False)
    activity.type = ActivityTypes.message
    ours = _ours(activity)
    assert ours == _msrest(activity)
    assert ours["timestamp"] == "2026-11-28T08:30:00.123456Z"
    assert ours["attachments"][0]["content"]["buttons"][0]["value"] == {
        "sessionId": "s1",
        "n": None,
    }


def test_naive_timestamps_are_utc_not_server_local() -> None:
    activity = Activity(type="message", timestamp=datetime(2026, 11, 28, 9, 30))
    assert to_wire(activity)["timestamp"] == "2026-11-28T09:30:00.000Z"


def test_json_that_orjson_refuses_still_comes_out() -> None:
    activity = Activity(type="message", text="broken \ud800 surrogate", value={1: "int key"})
    assert json.loads(to_json(activity)) == {
        "type": "message",
        "text": "broken \ud800 surrogate",
        "value": {"1": "int key"},
    }
