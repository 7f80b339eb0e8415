from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import Clock


def fixed(moment: datetime):
    return lambda: moment


REAL = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_rehearsal_clock_starts_at_the_given_instant_and_runs_on() -> None:
    ticks = [REAL, REAL + timedelta(minutes=5)]
    clock = Clock.starting_at(datetime(2016, 7, 11, 13, 30, tzinfo=UTC), source=lambda: ticks[0])
    assert clock.now() == datetime(2016, 7, 11, 13, 30, tzinfo=UTC)
    ticks[0] = ticks[1]
    assert clock.now() == datetime(2016, 7, 11, 13, 35, tzinfo=UTC)


def test_turn_now_is_the_channel_timestamp_shifted_by_the_rehearsal_offset() -> None:
    clock = Clock.starting_at(datetime(2016, 7, 11, 13, 30, tzinfo=UTC), source=fixed(REAL))
    stamped = REAL + timedelta(seconds=42)
    assert clock.turn_now(stamped) == datetime(2016, 7, 11, 13, 30, 42, tzinfo=UTC)
    assert clock.turn_now(None) == clock.now()


def test_without_rehearsal_the_timestamp_is_now() -> None:
    clock = Clock(source=fixed(REAL))
    stamped = datetime(2016, 7, 11, 13, 30, tzinfo=UTC)
    assert clock.turn_now(stamped) == stamped
    assert clock.turn_now(stamped.replace(tzinfo=None)) == stamped


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        Clock.starting_at(datetime(2016, 7, 11, 9, 30))
