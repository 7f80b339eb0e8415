"""The settings of schedule-change notices and the morning summary."""

from __future__ import annotations

from datetime import time

import pytest

from bot.settings import Settings, SettingsError


def test_defaults_and_environment() -> None:
    default = Settings.from_sources([], {})
    assert default.notice_debounce_seconds == 120.0 and default.digest_time == time(8, 0)
    settings = Settings.from_sources([], {"NOTICE_DEBOUNCE_SECONDS": "30", "DIGEST_TIME": "7:45"})
    assert settings.notice_debounce_seconds == 30.0 and settings.digest_time == time(7, 45)
    assert Settings.from_sources([], {"NOTICE_DEBOUNCE_SECONDS": "0"}).notice_debounce_seconds == 0


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NOTICE_DEBOUNCE_SECONDS": "two minutes"}, "NOTICE_DEBOUNCE_SECONDS"),
        ({"NOTICE_DEBOUNCE_SECONDS": "-1"}, "NOTICE_DEBOUNCE_SECONDS"),
        ({"DIGEST_TIME": "8am"}, "DIGEST_TIME: '8am' is not a time of day"),
        ({"DIGEST_TIME": "25:00"}, "DIGEST_TIME"),
        ({"DIGEST_TIME": "08:00+02:00"}, "without offset"),
    ],
)
def test_bad_values_are_refused_by_name(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_sources([], environ)
