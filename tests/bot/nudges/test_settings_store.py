"""Nudge settings documents: a mute and the morning summary survive a new store object."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.nudges.planner import NudgeSettings
from bot.nudges.settings_store import NudgeSettingsStore
from bot.nudges.settings_text import settings_text
from bot.replies import ENGLISH, FRENCH
from bot.shortlist_store import Owner
from bot.storage import open_storage

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 2, 10, 30, tzinfo=PARIS)
ALICE = Owner("msteams", "29:alice")
LEAD = timedelta(minutes=10)


async def test_a_mute_and_the_summary_are_kept() -> None:
    storage = open_storage("memory://")
    settings = NudgeSettings(
        lead=timedelta(minutes=15), muted_until=NOW.replace(hour=15, minute=0), digest=True
    )
    await NudgeSettingsStore(storage, LEAD).put(ALICE, settings)
    read = await NudgeSettingsStore(storage, LEAD).get(ALICE)
    assert read == settings
    assert read.muted_until is not None and read.muted_until.tzinfo is not None
    document = (await storage.read([NudgeSettingsStore.key(ALICE)]))[NudgeSettingsStore.key(ALICE)]
    assert document["muted_until"] == "2026-06-02T13:00:00+00:00"


async def test_documents_from_before_mutes_and_unreadable_mutes_mean_no_mute() -> None:
    storage = open_storage("memory://")
    key = NudgeSettingsStore.key(ALICE)
    store = NudgeSettingsStore(storage, LEAD)
    await storage.write({key: {"enabled": True, "lead_minutes": 5, "e_tag": "*"}})
    assert await store.get(ALICE) == NudgeSettings(lead=timedelta(minutes=5))
    for bad in ("tomorrow", "2026-06-02T15:00", 42):
        await storage.write({key: {"enabled": True, "muted_until": bad, "e_tag": "*"}})
        assert (await store.get(ALICE)).muted_until is None


def test_the_settings_in_words() -> None:
    muted = NudgeSettings(muted_until=NOW.replace(hour=15, minute=0).astimezone(UTC), digest=True)
    assert settings_text(muted, ENGLISH, now=NOW, zone=PARIS, digest_at=time(8)) == (
        "Reminders are on: 10 minutes before each session on your shortlist. "
        "Muted until 15:00. Morning summary at 08:00."
    )
    tomorrow = NudgeSettings(muted_until=NOW + timedelta(days=1))
    assert settings_text(tomorrow, FRENCH, now=NOW, zone=PARIS, digest_at=time(8)) == (
        "Rappels activés : 10 minutes avant chaque session de votre sélection. "
        "En pause jusqu'à mer. 3 juin 10 h 30."
    )
    ended = NudgeSettings(muted_until=NOW - timedelta(minutes=1))
    assert "Muted" not in settings_text(ended, ENGLISH, now=NOW, zone=PARIS, digest_at=time(8))
    off = NudgeSettings(enabled=False, muted_until=NOW + timedelta(hours=1))
    assert settings_text(off, ENGLISH, now=NOW, zone=PARIS, digest_at=time(8)) == (
        ENGLISH.reminders_off
    )
