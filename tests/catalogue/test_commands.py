"""Shortlist commands in words, English and French."""

from __future__ import annotations

import pytest

from catalogue.commands import Action, Command, parse_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add the SMB one", Command(Action.ADD, target="smb")),
        (
            "Add the partner-practice session to my list",
            Command(Action.ADD, target="partner practice"),
        ),
        ("put the keynote on my list please", Command(Action.ADD, target="keynote")),
        ("keep the cloud talk for me", Command(Action.ADD, target="cloud")),
        ("ajoute la session sur Azure", Command(Action.ADD, target="azure")),
        ("ajoute la session sur Azure à ma liste", Command(Action.ADD, target="azure")),
        ("add it", Command(Action.ADD, ordinal=1)),
        ("add this one", Command(Action.ADD, ordinal=1)),
        ("add the second one", Command(Action.ADD, ordinal=2)),
        ("add 3", Command(Action.ADD, ordinal=3)),
        ("ajoute la deuxième", Command(Action.ADD, ordinal=2)),
        ("remove the keynote", Command(Action.REMOVE, target="keynote")),
        ("take the SMB session off my list", Command(Action.REMOVE, target="smb")),
        ("supprime la session sur SMB de ma liste", Command(Action.REMOVE, target="smb")),
        ("remove the first one", Command(Action.REMOVE, ordinal=1)),
        ("clear my list", Command(Action.CLEAR)),
        ("vide ma liste", Command(Action.CLEAR)),
        ("remove everything from my shortlist", Command(Action.CLEAR)),
        ("show my shortlist", Command(Action.SHOW)),
        ("my list", Command(Action.SHOW)),
        ("ma liste", Command(Action.SHOW)),
        ("what's on my schedule?", Command(Action.SHOW)),
        ("montre-moi ma sélection", Command(Action.SHOW)),
        ("what's next on my list?", Command(Action.NEXT)),
        ("mon prochain talk", Command(Action.NEXT)),
        ("prochaine session de ma liste", Command(Action.NEXT)),
        ("export my shortlist", Command(Action.EXPORT)),
        ("download my agenda", Command(Action.EXPORT)),
        ("exporte ma sélection", Command(Action.EXPORT)),
        ("more", Command(Action.MORE)),
        ("show more", Command(Action.MORE)),
        ("encore", Command(Action.MORE)),
        ("remind me 15 minutes before", Command(Action.REMINDERS, minutes=15, enabled=True)),
        ("préviens-moi 5 minutes avant", Command(Action.REMINDERS, minutes=5, enabled=True)),
        ("nudge me 30 mins ahead", Command(Action.REMINDERS, minutes=30, enabled=True)),
        ("stop reminders", Command(Action.REMINDERS, enabled=False)),
        ("désactive les rappels", Command(Action.REMINDERS, enabled=False)),
        ("turn reminders on", Command(Action.REMINDERS, enabled=True)),
        ("active les rappels", Command(Action.REMINDERS, enabled=True)),
    ],
)
def test_commands(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what's on after the keynote?",
        "anything about cloud",
        "qu'est-ce qu'il y a après la plénière ?",
        "la suite",
        "",
        "🎉",
        "x" * 10_000,
    ],
)
def test_questions_are_not_commands(text: str) -> None:
    assert parse_command(text) is None
