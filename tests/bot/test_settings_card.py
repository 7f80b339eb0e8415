"""The reminder settings card's data contract, as plain functions: what a tap may carry and
when a mute picked on the card ends."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.cards import SettingsTap, mute_end, settings_card, settings_tap
from bot.nudges.planner import NudgeSettings
from bot.replies import ENGLISH, FRENCH
from tests.card_schema import card_problems

TORONTO = ZoneInfo("America/Toronto")


@pytest.mark.parametrize(
    ("data", "tap"),
    [
        ({"action": "settings_reminders", "value": False}, SettingsTap(enabled=False)),
        ({"action": "settings_digest", "value": True}, SettingsTap(digest=True)),
        ({"action": "settings_lead", "value": 30}, SettingsTap(minutes=30)),
        ({"action": "settings_mute", "value": "tomorrow"}, SettingsTap(mute="tomorrow")),
        ({"action": "settings_lead", "value": 20}, None),  # not offered on the card
        ({"action": "settings_lead", "value": 999}, None),
        ({"action": "settings_lead", "value": True}, None),  # a bool is an int in Python
        ({"action": "settings_lead", "value": "15"}, None),
        ({"action": "settings_reminders", "value": 1}, None),
        ({"action": "settings_mute", "value": {"hour": 1}}, None),
        ({"action": "settings_mute"}, None),
        ({"action": ["settings_mute"], "value": "hour"}, None),
        ({}, None),
    ],
)
def test_only_what_the_card_sends_is_accepted(data: dict[str, Any], tap: SettingsTap) -> None:
    assert settings_tap(data) == tap


def test_mute_ends() -> None:
    now = datetime(2016, 7, 11, 9, 37, 12, tzinfo=TORONTO)
    assert mute_end("hour", now, TORONTO) == now + timedelta(hours=1)
    assert mute_end("tomorrow", now, TORONTO) == datetime(2016, 7, 12, 9, tzinfo=TORONTO)
    assert mute_end("off", now, TORONTO) is None
    # "Tomorrow" is the conference's tomorrow, whatever the day is in UTC.
    late = datetime(2016, 7, 12, 3, 30, tzinfo=UTC)  # 23:30 on the 11th in Toronto
    assert mute_end("tomorrow", late, TORONTO) == datetime(2016, 7, 12, 9, tzinfo=TORONTO)


@pytest.mark.parametrize("universal", [False, True])
def test_every_state_validates(universal: bool) -> None:
    now = datetime(2016, 7, 11, 9, 30, tzinfo=TORONTO)
    states = [
        NudgeSettings(),
        NudgeSettings(enabled=False, digest=True),
        NudgeSettings(lead=timedelta(minutes=20), muted_until=now + timedelta(hours=1)),
    ]
    for settings in states:
        for replies in (ENGLISH, FRENCH):
            card = settings_card(
                settings, replies, now=now, timezone=TORONTO, digest_at=time(8),
                universal=universal, note="Done",
            ).content  # fmt: skip
            assert card_problems(card) == []
