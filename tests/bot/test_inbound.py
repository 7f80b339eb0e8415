"""`bot.inbound.read_activity` must build exactly what `Activity().deserialize` builds, or raise
exactly what it raises: the same classes, attributes, extra fields, time zones and errors."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from botbuilder.schema import Activity
from msrest.serialization import Model

from bot.inbound import read_activity
from bot.wire import to_wire
from tests.paths import ACTIVITIES

Path = tuple[str | int, ...]


def _shared_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every activity under the shared folder: single files, transcripts (arrays) and Direct Line
    activity sets (``{"activities": [...]}``)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(ACTIVITIES.rglob("*.json")):
        name = str(path.relative_to(ACTIVITIES))
        document = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(document, dict) and isinstance(document.get("activities"), list):
            document = document["activities"]
        if isinstance(document, list):
            found += [(f"{name}[{index}]", item) for index, item in enumerate(document)]
        else:
            found.append((name, document))
    return found


SHARED = _shared_documents()
needs_shared = pytest.mark.skipif(not SHARED, reason=f"no shared activities at {ACTIVITIES}")


def _copy(document: Any) -> Any:
    """A deep copy of parsed JSON (lone surrogates and all, which a JSON round trip would join)."""
    if isinstance(document, dict):
        return {key: _copy(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_copy(value) for value in document]
    return document


def assert_same(ours: Any, theirs: Any, where: str = "activity") -> None:
    """The same object graph: types at every level, attributes in the same order, the same
    `additional_properties` (key order included), datetimes with the same time zone."""
    assert type(ours) is type(theirs), f"{where}: {type(ours).__name__} != {type(theirs).__name__}"
    if isinstance(ours, Model):
        assert list(vars(ours)) == list(vars(theirs)), where
        for name, value in vars(ours).items():
            assert_same(value, vars(theirs)[name], f"{where}.{name}")
    elif isinstance(ours, dict):
        assert list(ours) == list(theirs), where
        for key, value in ours.items():
            assert_same(value, theirs[key], f"{where}[{key!r}]")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), where
        for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(mine, other, f"{where}[{index}]")
    elif isinstance(ours, datetime):
        assert repr(ours) == repr(theirs), where  # the value and the tzinfo's class and name
        assert type(ours.tzinfo) is type(theirs.tzinfo), where
        assert ours.utcoffset() == theirs.utcoffset(), where
    elif isinstance(ours, float) and math.isnan(ours):
        assert math.isnan(theirs), where
    else:
        assert ours == theirs, where


def compare(document: Any) -> Activity | None:
    """Read `document` both ways; both must succeed alike or fail alike. The activity, if any."""
    before = _copy(document) if isinstance(document, dict | list) else document
    try:
        theirs = Activity().deserialize(_copy(document))
    except Exception as error:
        with pytest.raises(type(error)) as raised:
            read_activity(document)
        assert str(raised.value) == str(error)
        return None
    ours = read_activity(document)
    assert_same(ours, theirs)
    if theirs is None:  # msrest reads a null document as no activity
        return None
    assert to_wire(ours) == to_wire(theirs)
    assert ours.serialize() == theirs.serialize()
    assert ours == theirs
    if isinstance(document, dict | list):
        assert _copy(document) == before, "the document was changed"
    return ours


@pytest.fixture
def msrest_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any fallback to msrest fail the test: the fast path must read these alone."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read_activity fell back to msrest")

    monkeypatch.setattr(Activity, "deserialize", classmethod(refuse))


# -- the shared captures and documentation examples ---------------------------------------------


@needs_shared
@pytest.mark.parametrize(("name", "document"), SHARED, ids=[name for name, _ in SHARED])
def test_every_shared_activity_reads_as_msrest_reads_it(name: str, document: Any) -> None:
    assert compare(document) is not None


@needs_shared
def test_the_shared_activities_need_no_fallback(msrest_forbidden: None) -> None:
    for _, document in SHARED:
        read_activity(_copy(document))


def test_reading_without_msrest_still_gets_the_details(msrest_forbidden: None) -> None:
    activity = read_activity(_message(timestamp="2025-10-08T17:33:01.4953744Z"))
    assert activity.timestamp.microsecond == 495374  # cut to microseconds, as msrest does
    assert activity.from_property.additional_properties == {}
    assert activity.conversation.tenant_id == "t1"


# -- hand-made activities -----------------------------------------------------------------------


def _message(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": "message",
        "id": "1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "from": {"id": "29:user", "name": "Ana", "aadObjectId": "aad-1"},
        "conversation": {"id": "a:1", "conversationType": "personal", "tenantID": "t1"},
        "recipient": {"id": "28:bot", "name": "Hallway"},
        "text": "what's on after the keynote?",
        "locale": "en-GB",
    }
    document.update(fields)
    return document


TIMESTAMPS = [
    "2026-11-28T09:30:00Z",
    "2026-11-28T09:30:00.1Z",
    "2026-11-28T09:30:00.12Z",
    "2026-11-28T09:30:00.123Z",
    "2026-11-28T09:30:00.123456Z",
    "2026-11-28T09:30:00.1234567Z",
    "2026-11-28T09:30:00.999999999999Z",
    "2026-11-28T09:30:00.000000Z",
    "2026-11-28T09:30:00+01:00",
    "2026-11-28T09:30:00.5-07:00",
    "2026-11-28T09:30:00.4953744+05:30",
    "2026-11-28T09:30:00-05:30",
    "2026-11-28T09:30:00+00:00",
    "2026-11-28T09:30:00-00:00",
    "2026-11-28T09:30:00+14:00",
    "2026-11-28T09:30:00+23:59",
    "2026-11-28T09:30:00+24:00",
    "2026-11-28T09:30:00+99:99",
    "2026-11-28T09:30:00+0100",
    "2026-11-28T09:30:00+01",
    "2026-11-28T09:30:00",
    "2026-11-28T09:30:00.123",
    "2026-11-28t09:30:00z",
    "2026-11-28T09:30Z",
    "2026-11-28T0930Z",
    "2026-11-28T09:30:00,5Z",
    "2026-11-28T09:30:00.Z",
    "2026-11-28 09:30:00Z",
    "2026-11-28T09:30:00Z\n",
    "2026-11-28T09:30:00Zjunk",
    "2026-02-30T09:30:00Z",
    "2026-13-01T09:30:00Z",
    "2026-11-28T24:00:00Z",
    "2026-11-28T09:60:00Z",
    "2026-11-28T09:30:60Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:30:00-01:00",
    "20261128T093000Z",
    "２０２６-11-28T09:30:00Z",
    "yesterday",
    "",
    " 2026-11-28T09:30:00Z",
]


@pytest.mark.parametrize("timestamp", TIMESTAMPS)
@pytest.mark.parametrize("field", ["timestamp", "localTimestamp", "expiration"])
def test_timestamps(field: str, timestamp: str) -> None:
    compare(_message(**{field: timestamp}))


@pytest.mark.parametrize("timestamp", [12345, 1.5, True, [], {}, None])
def test_timestamps_that_are_not_strings(timestamp: Any) -> None:
    compare(_message(timestamp=timestamp, localTimestamp=timestamp))


def test_the_common_timestamp_forms_need_no_fallback(msrest_forbidden: None) -> None:
    for timestamp in TIMESTAMPS[:16]:
        read_activity(_message(timestamp=timestamp, localTimestamp=timestamp))


def test_mentions_keep_their_extra_fields() -> None:
    activity = compare(
        _message(
            text="<at>Hallway</at> hi <at>Ada</at>",
            entities=[
                {"type": "mention", "text": "<at>Hallway</at>", "mentioned": {"id": "28:bot"}},
                {"type": "mention", "text": "<at>Ada</at>", "mentioned": {"id": "29:ada"}},
                {"type": "clientInfo", "locale": "en-GB", "timezone": "Europe/London"},
                {"locale": "no type at all"},
                {},
                None,
            ],
        )
    )
    assert activity is not None
    assert activity.entities[0].additional_properties["mentioned"] == {"id": "28:bot"}
    assert activity.entities[5] is None


def test_attachments_with_content() -> None:
    compare(
        _message(
            attachments=[
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "type": "AdaptiveCard",
                        "body": [{"type": "TextBlock", "text": "Hi", "wrap": True}],
                        "actions": [{"type": "Action.Submit", "data": {"sessionId": "s1"}}],
                        "version": "1.5",
                    },
                    "name": "card",
                    "unknownAttachmentField": [1, 2.5, None, "x"],
                },
                {"contentType": "text/html", "content": "<p>hello</p>"},
                {"contentType": "image/png", "contentUrl": "https://x/y.png", "content": None},
                {"contentType": "application/json", "content": [1, [2, [3]], {"a": None}]},
            ]
        )
    )


def test_channel_data_nested_dicts() -> None:
    activity = compare(
        _message(
            channelData={
                "tenant": {"id": "t1"},
                "team": {"id": "19:team", "aadGroupId": "g", "name": None},
                "channel": {"id": "19:channel"},
                "settings": {"selectedChannel": {"id": "19:channel"}},
                "numbers": [0, -1, 10**30, 1e300, -0.0, float("nan"), float("inf")],
                "flags": [True, False, None],
                "unicode": "café \u00e9\ud83d\ude00",
            }
        )
    )
    assert activity is not None
    assert activity.channel_data["numbers"][2] == 10**30


def test_free_form_values_are_copies_as_with_msrest() -> None:
    document = _message(value={"action": {"data": {"sessionId": "s1"}}}, channelData={"a": [1]})
    activity = read_activity(document)
    theirs = Activity().deserialize(document)
    assert (activity.value is document["value"]) == (theirs.value is document["value"])
    assert (activity.channel_data["a"] is document["channelData"]["a"]) == (
        theirs.channel_data["a"] is document["channelData"]["a"]
    )


@pytest.mark.parametrize(
    "value",
    [
        {  # Action.Submit through Web Chat or the Emulator
            "intent": "Action_AddAction",
            "rawtext": "update spec",
        },
        {  # Action.Execute (invoke adaptiveCard/action)
            "action": {
                "type": "Action.Execute",
                "title": "Submit Feedback",
                "data": {"feedback": "great", "sessionId": "s1"},
                "verb": "shortlist",
            },
            "trigger": "manual",
        },
        {"commandId": "searchCmd", "parameters": [{"name": "q", "value": "cloud"}]},
        "a plain string",
        42,
        3.5,
        False,
        [1, "two", {"three": 3}],
        None,
    ],
)
@pytest.mark.parametrize("kind", ["message", "invoke"])
def test_value_payloads(kind: str, value: Any) -> None:
    compare(_message(type=kind, name="adaptiveCard/action", value=value, valueType="x"))


def test_members_added_and_removed() -> None:
    compare(
        _message(
            type="conversationUpdate",
            membersAdded=[{"id": "28:bot"}, {"id": "29:user", "name": "Ana", "role": "user"}],
            membersRemoved=[{"id": "29:gone", "extra": {"x": 1}}, None],
            reactionsAdded=[{"type": "like"}],
            reactionsRemoved=[{"type": "heart", "by": "29:user"}],
        )
    )


def test_the_rest_of_the_schema() -> None:
    compare(
        _message(
            relatesTo={
                "activityId": "9",
                "user": {"id": "u"},
                "bot": {"id": "b", "properties": {"p": 1}},
                "conversation": {"id": "c", "isGroup": True, "properties": [1]},
                "channelId": "webchat",
                "serviceUrl": "https://x",
                "unknown": 1,
            },
            suggestedActions={
                "to": ["u1", None],
                "actions": [
                    {"type": "imBack", "title": "more", "value": "more", "channelData": {"a": 1}},
                    {"type": "messageBack", "displayText": "d", "imageAltText": "i", "x": 2},
                ],
            },
            textHighlights=[{"text": "keynote", "occurrence": 1}, {"text": "x"}],
            semanticAction={
                "id": "s",
                "state": "start",
                "entities": {"a": {"type": "t", "extra": 1}, "b": None},
            },
            listenFor=["yes", "no"],
            historyDisclosed=False,
            importance="high",
            deliveryMode="expectReplies",
            callerId="urn:botframework:azure",
            inputHint="acceptingInput",
            textFormat="markdown",
            attachmentLayout="carousel",
            topicName="t",
            summary="s",
            speak="s",
            action="add",
            replyToId="0",
            label="l",
            code="c",
        )
    )


def test_null_fields_and_unknown_keys() -> None:
    document = _message(
        text=None,
        entities=None,
        attachments=None,
        channelData=None,
        value=None,
        timestamp=None,
        conversation={"id": "a:1", "isGroup": None, "tenantId": "wrong case"},
    )
    document.update({"hallwayUnknown": {"nested": [1]}, "Text": "case differs", "": "empty key"})
    activity = compare(document)
    assert activity is not None
    assert set(activity.additional_properties) == {"hallwayUnknown", "Text", ""}
    assert activity.conversation.additional_properties == {"tenantId": "wrong case"}


def test_no_unknown_keys_means_an_empty_dict_not_shared() -> None:
    first, second = read_activity(_message()), read_activity(_message())
    assert first.additional_properties == {}
    assert first.additional_properties is not second.additional_properties


MALFORMED: list[dict[str, Any]] = [
    {"from": "29:user"},
    {"from": ["29:user"]},
    {"from": 5},
    {"conversation": "a:1"},
    {"recipient": True},
    {"entities": {"type": "mention"}},
    {"entities": "mention"},
    {"entities": ["mention"]},
    {"entities": [[{"type": "mention"}]]},
    {"membersAdded": {"id": "x"}},
    {"membersAdded": ["x"]},
    {"attachments": {"contentType": "x"}},
    {"attachments": [{"contentType": 5}]},
    {"text": 5},
    {"text": 1.5},
    {"text": True},
    {"text": {"a": 1}},
    {"text": ["a"]},
    {"type": 7},
    {"id": 7},
    {"conversation": {"id": "a:1", "isGroup": "true"}},
    {"conversation": {"id": "a:1", "isGroup": "yes"}},
    {"conversation": {"id": "a:1", "isGroup": 1}},
    {"conversation": {"id": "a:1", "isGroup": 2}},
    {"conversation": {"id": 123}},
    {"historyDisclosed": 0},
    {"historyDisclosed": "False"},
    {"textHighlights": [{"text": "x", "occurrence": "3"}]},
    {"textHighlights": [{"text": "x", "occurrence": "three"}]},
    {"textHighlights": [{"text": "x", "occurrence": 3.7}]},
    {"textHighlights": [{"text": "x", "occurrence": True}]},
    {"listenFor": "yes"},
    {"listenFor": [1, 2]},
    {"semanticAction": {"entities": [{"key": "a", "value": {"type": "t"}}]}},
    {"semanticAction": {"entities": [{"type": "t"}]}},
    {"semanticAction": {"entities": "x"}},
    {"suggestedActions": {"actions": {"type": "imBack"}}},
    {"suggestedActions": {"to": "u1"}},
    {"relatesTo": {"user": "u"}},
    {"reactionsAdded": [{"type": ["like"]}]},
]


@pytest.mark.parametrize("fields", MALFORMED, ids=[json.dumps(fields) for fields in MALFORMED])
def test_malformed_activities_fail_or_succeed_as_with_msrest(fields: dict[str, Any]) -> None:
    compare(_message(**fields))


@pytest.mark.parametrize("levels", [40, 150])
def test_deeply_nested_free_form_values(levels: int) -> None:
    deep: Any = "bottom"
    for _ in range(levels):
        deep = {"down": [deep]}
    compare(_message(channelData=deep))


@pytest.mark.parametrize(
    "document", [None, [], "not an object", '{"type": "message"}', 5], ids=repr
)
def test_documents_that_are_not_objects(document: Any) -> None:
    compare(document)


# -- mutations of the shared activities ---------------------------------------------------------

WRONG_VALUES: list[Any] = [
    None,
    "",
    "text",
    "2026-11-28T09:30:00Z",
    0,
    1,
    2.5,
    True,
    [],
    ["text"],
    [{"id": "x"}],
    [None],
    {},
    {"id": "x", "unknownKey": 1},
]


def _paths(value: Any, prefix: Path = (), depth: int = 4) -> Iterator[Path]:
    if depth == 0 or not isinstance(value, dict | list):
        return
    items: Any = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key), depth - 1)


def _parent(document: Any, path: Path) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _mutations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The document with one field dropped, or set to a value of another type, or with an
    unknown key added next to it."""
    for path in _paths(document):
        dropped = _copy(document)
        parent = _parent(dropped, path)
        if isinstance(parent, dict):
            del parent[path[-1]]
            yield dropped
            extended = _copy(document)
            _parent(extended, path)["hallwayUnknown"] = {"path": list(path)}
            yield extended
        for wrong in WRONG_VALUES:
            changed = _copy(document)
            _parent(changed, path)[path[-1]] = wrong
            yield changed


@needs_shared
@pytest.mark.parametrize(("name", "document"), SHARED, ids=[name for name, _ in SHARED])
def test_mutated_shared_activities_read_as_msrest_reads_them(name: str, document: Any) -> None:
    for mutated in _mutations(document):
        compare(mutated)
