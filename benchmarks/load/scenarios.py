"""The load scenarios: which bot, started how, and what each virtual user says.

Each scenario prepares its bot (a scratch SQLite file, a PostgreSQL table made for the run and
dropped after it) and names the activity fields of every turn and the check of every reply.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.load import bots
from benchmarks.load.bots import BotCommand
from benchmarks.load.generator import ROOT, SHARED, Check, Label, Shape, say
from bot.replies import ENGLISH

DEMO = ROOT / "catalogue" / "data" / "wpc2016.json"
REINVENT = SHARED / "catalogues" / "csv" / "aws-reinvent-2024-sessions.csv"
DEMO_FLAGS = ("--catalogue", str(DEMO), "--now", "2016-07-11T09:30")
REINVENT_FLAGS = (
    "--catalogue", str(REINVENT), "--timezone", "America/Los_Angeles", "--now", "2024-12-03T09:30",
)  # fmt: skip
POSTGRES_URL = os.environ.get(
    "HALLWAY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


class Skip(Exception):
    """The scenario cannot run here (the reason says why); the others go on."""


Prepare = Callable[[], AbstractAsyncContextManager[BotCommand]]


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    group: str
    """"reference", "question" or "shortlist": how the report compares it."""
    prepare: Prepare
    shape: Shape
    check: Check | None = None
    label: Label | None = None


def _fixed(command: Callable[[], BotCommand]) -> Prepare:
    @asynccontextmanager
    async def prepare() -> AsyncIterator[BotCommand]:
        yield command()

    return prepare


def _hallway_on_sqlite(*flags: str) -> Prepare:
    @asynccontextmanager
    async def prepare() -> AsyncIterator[BotCommand]:
        with tempfile.TemporaryDirectory(prefix="load-state-") as scratch:
            url = f"sqlite:///{Path(scratch) / 'state.sqlite3'}"
            yield bots.hallway("--storage", url, *flags)

    return prepare


def _redact(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{parts.username or ''}@{host}:{parts.port or ''}{parts.path}"


def _hallway_on_postgres(*flags: str) -> Prepare:
    @asynccontextmanager
    async def prepare() -> AsyncIterator[BotCommand]:
        import asyncpg

        table = f"hallway_load_{secrets.token_hex(6)}"
        try:
            connection = await asyncpg.connect(POSTGRES_URL, timeout=3)
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            raise Skip(f"PostgreSQL at {_redact(POSTGRES_URL)} is unreachable: {error}") from error
        await connection.close()
        separator = "&" if urlsplit(POSTGRES_URL).query else "?"
        try:
            yield bots.hallway("--storage", f"{POSTGRES_URL}{separator}table={table}", *flags)
        finally:
            connection = await asyncpg.connect(POSTGRES_URL, timeout=3)
            try:
                await connection.execute(f'DROP TABLE IF EXISTS "{table}"')
            finally:
                await connection.close()

    return prepare


def hallway_reply(reply: Mapping[str, Any]) -> str | None:
    """Any reply of Hallway's: a message, and not its apology for a failed turn."""
    if reply.get("type") != "message":
        return f"a {reply.get('type')} activity, not a message"
    if reply.get("text") == ENGLISH.error:
        return "the bot apologised for a failed turn"
    return None


def session_cards(reply: Mapping[str, Any]) -> str | None:
    """An answer to a question about the agenda: text and at least one session card."""
    problem = hallway_reply(reply)
    if problem is None and not reply.get("attachments"):
        problem = f"no session cards: {str(reply.get('text'))[:120]!r}"
    return problem


def shortlist_outcome(reply: Mapping[str, Any]) -> str:
    text = str(reply.get("text") or "")
    if text.startswith("Added"):
        return "added"
    if "already on your shortlist" in text:
        return "already"
    return text[:40] or "-"


def demo_session_ids(path: Path = DEMO) -> list[str]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return [str(session["id"]) for session in document["sessions"]]


def shortlist_add(session_ids: list[str]) -> Shape:
    """A tap on "Add to my shortlist": a different session each turn, so each list grows
    (until it holds the whole demo agenda; later taps find the session already there)."""
    if not session_ids:
        raise ValueError("no sessions to shortlist")

    def shape(user: int, turn: int) -> Mapping[str, Any]:
        session_id = session_ids[(user * 37 + turn) % len(session_ids)]
        return {"text": None, "value": {"action": "shortlist_add", "sessionId": session_id}}

    return shape


def all_scenarios(workers: int = 1) -> dict[str, Scenario]:
    """`workers`: `--workers` for every Hallway on SQLite or PostgreSQL (memory storage is one
    process's, so those scenarios keep one)."""
    ids = demo_session_ids()
    shared = ("--workers", str(workers)) if workers > 1 else ()
    on = f", {workers} workers" if workers > 1 else ""
    keynote = "what's on after the keynote?"
    kubernetes = "when is the kubernetes security talk?"
    scenarios = [
        Scenario(
            "floor",
            "bare aiohttp handler: read, parse, POST the reply, 200",
            "reference",
            _fixed(bots.floor_bot),
            say("Hello"),
        ),
        Scenario(
            "echo",
            "botbuilder's canonical echo bot (CloudAdapter + ActivityHandler)",
            "reference",
            _fixed(bots.echo_bot),
            say("Hello"),
        ),
        Scenario(
            "hallway-help",
            '"help", demo agenda, memory storage',
            "question",
            _fixed(lambda: bots.hallway("--storage", "memory://", *DEMO_FLAGS)),
            say("help"),
            hallway_reply,
        ),
        Scenario(
            "hallway-keynote",
            f'"{keynote}", re:Invent catalogue, SQLite{on}',
            "question",
            _hallway_on_sqlite(*REINVENT_FLAGS, *shared),
            say(keynote),
            session_cards,
        ),
        Scenario(
            "hallway-kubernetes",
            f'"{kubernetes}", re:Invent catalogue, SQLite{on}',
            "question",
            _hallway_on_sqlite(*REINVENT_FLAGS, *shared),
            say(kubernetes),
            session_cards,
        ),
        Scenario(
            "shortlist-memory",
            "shortlist_add card taps, demo agenda, memory storage",
            "shortlist",
            _fixed(lambda: bots.hallway("--storage", "memory://", *DEMO_FLAGS)),
            shortlist_add(ids),
            hallway_reply,
            shortlist_outcome,
        ),
        Scenario(
            "shortlist-sqlite",
            f"shortlist_add card taps, demo agenda, SQLite{on}",
            "shortlist",
            _hallway_on_sqlite(*DEMO_FLAGS, *shared),
            shortlist_add(ids),
            hallway_reply,
            shortlist_outcome,
        ),
        Scenario(
            "shortlist-postgresql",
            f"shortlist_add card taps, demo agenda, PostgreSQL (a table made for the run){on}",
            "shortlist",
            _hallway_on_postgres(*DEMO_FLAGS, *shared),
            shortlist_add(ids),
            hallway_reply,
            shortlist_outcome,
        ),
    ]
    return {scenario.name: scenario for scenario in scenarios}
