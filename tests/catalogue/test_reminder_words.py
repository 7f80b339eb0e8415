"""Reminder settings in words: mutes, unmute, status questions, the morning summary.

Table-driven against one fixed "now" (Monday 11 July 2016, 10:30 in Paris), like dateutil's
parser tests against a fixed default date.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from catalogue.commands import Action, Command, mute_until, parse_command
from catalogue.timeparse import parse_time

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2016, 7, 11, 10, 30, tzinfo=PARIS)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2016, 7, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mute reminders until 3pm", at(11, 15)),
        ("mute until tomorrow 9am", at(12, 9)),
        ("no reminders until 14h", at(11, 14)),
        ("pas de rappels avant 15h", at(11, 15)),
        ("silence jusqu'à demain 9h", at(12, 9)),
        ("Silence jusqu’à 16h30", at(11, 16, 30)),
        ("mute until 14:30", at(11, 14, 30)),
        ("snooze until 4", at(11, 16)),  # a bare 4 at a conference is 16:00
        ("don't remind me until 2pm", at(11, 14)),
        ("mute until wednesday 9am", at(13, 9)),
        ("mute until tomorrow", at(12, 0)),  # the start of the day named
        ("mute for an hour", at(11, 11, 30)),
        ("mute for half an hour", at(11, 11)),
        ("do not disturb for 30 minutes", at(11, 11)),
        ("silence pendant une heure", at(11, 11, 30)),
        ("mute reminders for today", at(12, 0)),  # to the end of the span named
        ("mute until 9am", at(11, 9)),  # in the past: the handler says so
    ],
)
def test_mutes_are_read_at_the_turns_now(text: str, expected: datetime) -> None:
    command = parse_command(text)
    assert command == Command(Action.REMINDERS, until=text)
    assert mute_until(command.until, NOW, PARIS) == expected


@pytest.mark.parametrize("text", ["mute until the cows come home", "mute until the keynote"])
def test_a_mute_without_a_time_is_recognised_but_has_no_end(text: str) -> None:
    command = parse_command(text)
    assert command is not None and command.until == text
    assert mute_until(command.until, NOW, PARIS) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unmute", Command(Action.REMINDERS, enabled=True)),
        ("Unmute reminders", Command(Action.REMINDERS, enabled=True)),
        ("réactive les rappels", Command(Action.REMINDERS, enabled=True)),
        ("turn reminders on", Command(Action.REMINDERS, enabled=True)),
        ("mute reminders", Command(Action.REMINDERS, enabled=False)),  # no end: off
        ("stop reminders for me", Command(Action.REMINDERS, enabled=False)),
        ("what are my reminder settings", Command(Action.REMINDERS)),
        ("are my reminders on?", Command(Action.REMINDERS)),
        ("my reminders", Command(Action.REMINDERS)),
        ("mes rappels", Command(Action.REMINDERS)),
        ("reminders", Command(Action.REMINDERS)),
        ("Rappels ?", Command(Action.REMINDERS)),
        ("réglages des rappels", Command(Action.REMINDERS)),
        ("send me a morning summary", Command(Action.REMINDERS, digest=True)),
        ("résumé du matin", Command(Action.REMINDERS, digest=True)),
        ("stop the morning summary", Command(Action.REMINDERS, digest=False)),
        ("pas de résumé du matin", Command(Action.REMINDERS, digest=False)),
        ("remind me 15 minutes before", Command(Action.REMINDERS, minutes=15, enabled=True)),
    ],
)
def test_reminder_commands(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "y a-t-il une pause avant 15h ?",  # "pause" is a break, not a mute
        "what is on before lunch",
        "no sessions about AI before noon?",
        "sessions about silence",
    ],
)
def test_questions_are_not_mutes(text: str) -> None:
    command = parse_command(text)
    assert command is None or command.action is not Action.REMINDERS


def test_half_an_hour_is_thirty_minutes() -> None:
    window = parse_time("in half an hour", NOW, PARIS).window
    assert window is not None and window.start == at(11, 11)
