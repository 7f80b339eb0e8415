"""Hostile input, property-based: arbitrary bodies and activities on /api/messages, arbitrary
files through every importer, arbitrary questions: never a 500, a crash or a hang."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from bot.settings import DEMO_CATALOGUE, Settings
from catalogue.ask import Answerer
from catalogue.importers import FORMATS, CatalogueError, ImportOptions, load, parse_text
from catalogue.model import Catalogue
from tests.conftest import shared_activity

QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(
    [
        "‮what's on now‬",  # right-to-left override
        "مرحبا ما هي الجلسات",
        "🎉🎉🎉 🔥",
        "a" * 10_000,
        "<b>keynote</b> **bold** [link](http://x)",
        "'; DROP TABLE sessions; --",
        "\x00\x01\x02",
        "Z̴̧͎a̷l̸g̶o̵ keynote",
    ]
)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@cache
def demo_catalogue() -> Catalogue:
    return load(DEMO_CATALOGUE)


async def post_all(bodies: list[tuple[bytes, str]]) -> list[int]:
    """Start the app once, post every body, return the statuses."""
    app = create_app(
        Settings(storage_url="memory://", catalogue_poll_seconds=0), catalogue=demo_catalogue()
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    statuses = []
    try:
        async with ClientSession() as session:
            for body, content_type in bodies:
                async with session.post(
                    server.make_url("/api/messages"),
                    data=body,
                    headers={"Content-Type": content_type},
                ) as response:
                    await response.read()
                    statuses.append(response.status)
            async with session.get(server.make_url("/healthz")) as response:
                statuses.append(response.status)  # still serving afterwards
    finally:
        await server.close()
    return statuses


@QUICK
@given(
    st.lists(
        st.binary(max_size=300) | JSON_VALUES.map(lambda v: json.dumps(v).encode()), max_size=8
    )
)
def test_arbitrary_bodies_never_get_a_500(bodies: list[bytes]) -> None:
    statuses = run(post_all([(b, "application/json") for b in bodies]))
    assert all(status < 500 for status in statuses), statuses
    assert statuses[-1] == 200


@QUICK
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["message", "invoke", "conversationUpdate", "event", "x"])
                | JSON_VALUES,
                "text": ODD_TEXT | JSON_VALUES,
                "value": JSON_VALUES,
                "locale": st.text(max_size=10) | JSON_VALUES,
                "timestamp": st.text(max_size=30) | JSON_VALUES,
                "entities": JSON_VALUES,
                "name": st.sampled_from(["adaptiveCard/action", "composeExtension/query"])
                | JSON_VALUES,
                "membersAdded": JSON_VALUES,
            },
        ),
        max_size=6,
    )
)
def test_arbitrary_activities_never_get_a_500(overrides: list[dict[str, Any]]) -> None:
    base = shared_activity("emulator-message-user-hello.json")
    # Replies go to a port nothing listens on: the turn must fail gracefully, not with a 500.
    base["serviceUrl"] = "http://127.0.0.1:9"
    bodies = [(json.dumps({**base, **o}).encode(), "application/json") for o in overrides]
    statuses = run(post_all(bodies))
    for override, status in zip(overrides, statuses, strict=False):
        # An invoke the bot does not implement gets Bot Framework's own answer, 501.
        allowed = (501,) if override.get("type") == "invoke" else ()
        assert status < 500 or status in allowed, (override, status)
    assert statuses[-1] == 200


@pytest.fixture(scope="module")
def demo_answerer() -> Answerer:
    return Answerer.for_catalogue(load(DEMO_CATALOGUE))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=ODD_TEXT, hour=st.integers(min_value=0, max_value=23))
def test_any_question_gets_an_answer(demo_answerer: Answerer, question: str, hour: int) -> None:
    now = datetime(2016, 7, 12, hour, tzinfo=ZoneInfo("America/Toronto"))
    answer = demo_answerer.answer(question, now)
    assert len(answer.sessions) <= 8


@pytest.mark.parametrize("question", ["ſth", "what's on tonıte", "TONİTE?", "ſ2"])
def test_shorthand_lookalikes_in_other_scripts_get_an_answer(
    demo_answerer: Answerer, question: str
) -> None:
    """The shorthand match ignores case the Unicode way: "ı" and "ſ" match letters whose
    lower case is something else, which once raised a KeyError (a failed turn)."""
    now = datetime(2016, 7, 12, 10, tzinfo=ZoneInfo("America/Toronto"))
    assert demo_answerer.answer(question, now) is not None


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=2000) | ODD_TEXT.map(str.encode),
    format=st.sampled_from((None, *FORMATS)),
)
def test_arbitrary_files_through_every_importer(data: bytes, format: str | None) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        parse_text(
            text, source="fuzz", format=format, options=ImportOptions(timezone=ZoneInfo("UTC"))
        )
    except CatalogueError as error:
        assert "\n" not in str(error).strip()


@settings(max_examples=100, deadline=None)
@given(
    sessions=st.lists(
        st.fixed_dictionaries(
            {"id": JSON_VALUES, "title": ODD_TEXT, "start": st.text(max_size=25),
             "end": st.text(max_size=25)},
            optional={"speakers": JSON_VALUES, "kind": JSON_VALUES, "tags": JSON_VALUES},
        ),
        max_size=5,
    )
)  # fmt: skip
def test_native_json_with_hostile_sessions(sessions: list[dict[str, Any]]) -> None:
    document = {"hallway": 1, "conference": {"name": "X", "timezone": "UTC"}, "sessions": sessions}
    try:
        catalogue = parse_text(json.dumps(document), source="fuzz.json")
    except CatalogueError:
        return
    assert len(catalogue.sessions) + len(catalogue.skipped) == len(sessions)


def test_markup_in_titles_reaches_cards_as_text() -> None:
    """TextBlocks render a Markdown subset: catalogue text is escaped so it shows as typed."""
    from bot.cards import session_card
    from bot.replies import ENGLISH

    catalogue = parse_text(
        json.dumps(
            {
                "hallway": 1,
                "conference": {"name": "X", "timezone": "UTC"},
                "sessions": [
                    {"id": "1", "title": "<script>alert(1)</script> **x** [y](javascript:z)",
                     "start": "2026-01-01T10:00", "end": "2026-01-01T11:00"}
                ],
            }
        ),
        source="markup.json",
    )  # fmt: skip
    card = session_card(catalogue.sessions[0], ENGLISH, timezone=ZoneInfo("UTC"), shortlisted=False)
    title = card.content["body"][0]
    assert title["type"] == "TextBlock"
    assert title["text"] == r"<script>alert(1)</script> \*\*x\*\* \[y\](javascript:z)"
