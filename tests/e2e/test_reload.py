"""Live reload under a running bot: the file changes, the next answer reflects it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from bot.settings import Settings
from tests.conftest import BotClient

TOKEN = "s3cret-admin-token"


def agenda(title: str, room: str = "Room 1") -> dict[str, Any]:
    return {
        "hallway": 1,
        "conference": {"name": "Reload Conf", "timezone": "Europe/Paris"},
        "sessions": [
            {"id": "t1", "title": title, "start": "2026-06-02T10:00", "end": "2026-06-02T11:00",
             "room": room},
            {"id": "k1", "title": "Opening keynote", "kind": "keynote",
             "start": "2026-06-02T09:00", "end": "2026-06-02T09:45"},
        ],
    }  # fmt: skip


def write(path: Path, document: dict[str, Any] | str) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


async def titles_after_keynote(bot: BotClient) -> str:
    [reply] = await bot.ask("what's after the keynote", timestamp="2026-06-02T07:10:00Z")
    return str(reply["attachments"][0]["content"]["body"][0]["text"])


async def start(make_bot, path: Path, **fields: Any) -> BotClient:
    settings = Settings(catalogue=path, storage_url="memory://", admin_token=TOKEN, **fields)
    client: BotClient = await make_bot(settings)
    return client


async def test_a_changed_file_is_served_at_the_next_question(make_bot, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    write(path, agenda("Rust for beginners"))
    bot = await start(make_bot, path, catalogue_poll_seconds=0.05)
    assert await titles_after_keynote(bot) == "Rust for beginners"

    write(path, agenda("Rust for everyone", room="Room 9"))
    for _ in range(100):
        await asyncio.sleep(0.05)
        if await titles_after_keynote(bot) == "Rust for everyone":
            break
    assert await titles_after_keynote(bot) == "Rust for everyone"


async def test_a_broken_file_leaves_the_old_catalogue_serving(make_bot, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    write(path, agenda("Rust for beginners"))
    bot = await start(make_bot, path, catalogue_poll_seconds=0)

    write(path, '{"hallway": 1, "conference": ')
    async with bot.session.post(
        f"{bot.base_url}/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        body = await response.json()
    assert response.status == 422
    assert body["reloaded"] is False
    assert str(path) in body["error"] and "not valid JSON" in body["error"]
    assert await titles_after_keynote(bot) == "Rust for beginners"

    write(path, agenda("Rust, retitled", room="Room 2"))
    async with bot.session.post(
        f"{bot.base_url}/api/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        body = await response.json()
    assert response.status == 200
    assert body["reloaded"] is True and body["version"] == 2
    assert body["changes"] == {
        "added": 0, "removed": 0, "moved_time": 0, "moved_room": 1, "retitled": 1
    }  # fmt: skip
    assert await titles_after_keynote(bot) == "Rust, retitled"


async def test_reload_needs_the_admin_token(make_bot, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    write(path, agenda("Rust"))
    bot = await start(make_bot, path, catalogue_poll_seconds=0)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN + "x"}):
        async with bot.session.post(f"{bot.base_url}/api/admin/reload", headers=headers) as r:
            assert r.status == 401

    closed = await make_bot(Settings(catalogue=path, storage_url="memory://"))
    async with closed.session.post(
        f"{closed.base_url}/api/admin/reload", headers={"Authorization": "Bearer "}
    ) as response:
        assert response.status == 403
