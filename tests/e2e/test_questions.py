"""Each kind of question, in English and in French, over the real protocol on the demo agenda.

Correctness in depth is the accuracy benchmark's job (benchmarks/accuracy.py); here every kind
must travel the whole path: activity in, the right lead in the attendee's language, session
cards out with their sessionIds."""

from __future__ import annotations

import pytest

from bot.settings import DEMO_CATALOGUE
from catalogue.importers import load
from tests.conftest import BotClient
from tests.e2e.test_messages import DURING_FIRST_KEYNOTE, session_ids

MONDAY_AFTERNOON = "2016-07-11T17:40:00Z"  # 13:40 in Toronto


@pytest.fixture(scope="module")
def demo():
    return load(DEMO_CATALOGUE)


CASES = [
    # (kind, locale, question, timestamp, words the lead must hold, a title among the cards)
    ("now", "en-US", "wats on rn", DURING_FIRST_KEYNOTE, ["On now (09:30)"], "Transforming our world together"),
    ("now", "fr-FR", "il se passe quoi en ce moment ?", DURING_FIRST_KEYNOTE, ["En ce moment (9 h 30)"], "Transforming our world together"),
    ("next", "en-US", "what's next?", DURING_FIRST_KEYNOTE, ["Up next at"], None),
    ("next", "fr-FR", "et ensuite ?", DURING_FIRST_KEYNOTE, ["Ensuite, à"], None),
    ("after", "en-US", "whats on after the keynote", DURING_FIRST_KEYNOTE, ["After Transforming our world together (ends 10:30)"], None),
    ("after", "fr-FR", "qu'est-ce qu'il y a après la plénière ?", DURING_FIRST_KEYNOTE, ["Après Transforming our world together (fin à 10 h 30)"], None),
    ("before", "en-US", "anything b4 lunch?", DURING_FIRST_KEYNOTE, ["Before"], None),
    ("during", "fr-FR", "pendant le déjeuner y a quoi ?", DURING_FIRST_KEYNOTE, ["Aussi pendant"], None),
    ("at time", "en-US", "what's on at 3pm", DURING_FIRST_KEYNOTE, ["Mon 11 Jul at 15:00"], None),
    ("at time", "fr-FR", "quoi à 15 h 30 ?", DURING_FIRST_KEYNOTE, ["lun. 11 juil. à 15 h 30"], None),
    ("part of day", "en-US", "anything about azur this aft?", DURING_FIRST_KEYNOTE, ["Mon 11 Jul, afternoon", "about “azur”"], None),
    ("part of day", "fr-FR", "quelque chose sur le cloud cet après-midi ?", DURING_FIRST_KEYNOTE, ["lun. 11 juil., après-midi"], None),
    ("day", "en-US", "what's on tomorrow", DURING_FIRST_KEYNOTE, ["Tue 12 Jul"], "Reinventing productivity for the digital workplace"),
    ("day", "fr-FR", "c'est quoi le programme de mercredi ?", DURING_FIRST_KEYNOTE, ["mer. 13 juil."], "Seize your opportunity – today"),
    ("topic", "en-US", "anything about SMB?", DURING_FIRST_KEYNOTE, ["about “smb”"], "New, game changing SMB innovation"),
    ("speaker", "fr-FR", "qui parle de sécurité demain ?", DURING_FIRST_KEYNOTE, ["interviennent"], None),
    ("company", "en-US", "what is Nintex presenting?", DURING_FIRST_KEYNOTE, ["nintex:"], None),
    ("company", "fr-FR", "qui vient de chez intel ?", DURING_FIRST_KEYNOTE, ["intel :"], None),
    ("where", "fr-FR", "c'est où la délégation française ?", DURING_FIRST_KEYNOTE, ["a lieu en"], None),
    ("when", "en-US", "when is the profitable solution practice talk", DURING_FIRST_KEYNOTE, ["“Built a profitable solution practice” is on"], "Built a profitable solution practice"),
    ("room", "en-US", "what's in the air canada centre tomorrow", DURING_FIRST_KEYNOTE, ["in Air Canada Centre"], "Reinventing productivity for the digital workplace"),
    ("kind", "en-US", "any workshops?", MONDAY_AFTERNOON, ["workshop"], None),
    ("language", "fr-FR", "des sessions en français ?", DURING_FIRST_KEYNOTE, ["en français"], None),
    ("out of range", "en-US", "what's on in 2031?", DURING_FIRST_KEYNOTE, ["Nothing is scheduled", "runs from"], None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "locale", "question", "timestamp", "lead", "title"),
    CASES,
    ids=[f"{c[0]}-{c[1][:2]}" for c in CASES],
)
async def test_each_kind_of_question(
    bot: BotClient, demo, kind: str, locale: str, question: str, timestamp: str,
    lead: list[str], title: str | None,
) -> None:  # fmt: skip
    [reply] = await bot.ask(question, locale=locale, timestamp=timestamp)
    for words in lead:
        assert words in reply["text"], (kind, reply["text"])
    ids = session_ids(reply)
    if kind != "out of range":
        assert ids, (kind, reply["text"])
    if title is not None:
        assert title in [demo.get(i).title for i in ids]


@pytest.mark.parametrize(
    ("locale", "first", "follow_up", "lead"),
    [
        ("en-US", "anything about SMB?", "and tomorrow?", "Tue 12 Jul"),
        ("fr-FR", "quelque chose sur le cloud ?", "et demain ?", "mar. 12 juil."),
    ],
)
async def test_follow_up_asks_the_same_at_another_time(
    bot: BotClient, locale: str, first: str, follow_up: str, lead: str
) -> None:
    await bot.ask(first, locale=locale, timestamp=DURING_FIRST_KEYNOTE)
    [reply] = await bot.ask(follow_up, locale=locale, timestamp=DURING_FIRST_KEYNOTE)
    assert lead in reply["text"]
    assert session_ids(reply)


@pytest.mark.parametrize("noise", ["", "🎉🎉🎉", "x" * 10_000, "<script>alert(1)</script>"])
async def test_noise_gets_a_helpful_answer(bot: BotClient, noise: str) -> None:
    [reply] = await bot.ask(noise)
    assert "help" in reply["text"]


async def test_an_ambiguous_anchor_gets_a_choice_then_the_answer(make_bot, tmp_path) -> None:
    import json

    from bot.settings import Settings

    agenda = {
        "hallway": 1,
        "conference": {"name": "Twin Keynotes", "timezone": "Europe/Paris"},
        "sessions": [
            {"id": "ka", "title": "Developer keynote", "kind": "keynote",
             "start": "2026-06-02T09:00", "end": "2026-06-02T10:00"},
            {"id": "kb", "title": "Business keynote", "kind": "keynote",
             "start": "2026-06-02T09:00", "end": "2026-06-02T10:30"},
            {"id": "t1", "title": "Rust after the dev keynote", "start": "2026-06-02T10:15",
             "end": "2026-06-02T11:00"},
            {"id": "t2", "title": "Sales after the business one", "start": "2026-06-02T11:00",
             "end": "2026-06-02T12:00"},
        ],
    }  # fmt: skip
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(agenda), encoding="utf-8")
    bot = await make_bot(
        Settings(catalogue=path, storage_url="memory://", catalogue_poll_seconds=0)
    )
    [choice] = await bot.ask("qu'est-ce qu'il y a après la plénière ?", locale="fr-FR",
                             timestamp="2026-06-02T07:30:00Z")  # fmt: skip
    assert "Laquelle ?" in choice["text"]
    buttons = [a for att in choice["attachments"] for a in att["content"]["actions"]]
    assert {b["data"]["sessionId"] for b in buttons} == {"ka", "kb"}
    business = next(b for b in buttons if b["data"]["sessionId"] == "kb")
    response = await bot.post(bot.activity(text=None, locale="fr-FR", value=business["data"],
                                           timestamp="2026-06-02T07:31:00Z"))  # fmt: skip
    assert response.status == 200
    reply = bot.connector.messages()[-1]
    assert reply["text"].startswith("Après Business keynote (fin à 10 h 30)")
    assert session_ids(reply) == ["t2"]


@pytest.mark.parametrize(
    ("locale", "question", "lead"),
    [
        # A French speaker on an English client, and the other way round: the words decide.
        ("en-US", "qu'est-ce qu'il y a après la plénière ?", "Après Transforming our world"),
        ("fr-FR", "whats on after the keynote", "After Transforming our world"),
        # Words that say nothing about their language: the locale decides.
        ("fr-FR", "keynote", "plénières"),
    ],
)
async def test_the_answer_is_in_the_language_of_the_question(
    bot: BotClient, locale: str, question: str, lead: str
) -> None:
    [reply] = await bot.ask(question, locale=locale, timestamp=DURING_FIRST_KEYNOTE)
    assert lead.lower() in reply["text"].lower(), reply["text"]
