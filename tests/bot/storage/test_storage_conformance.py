"""One conformance suite for every storage backend: memory, SQLite and PostgreSQL.

It covers the behaviours of botbuilder's own storage suite (create/read, crazy keys, eTag updates,
"*" overwrites, deletes, unknown keys, batches, nested values, StoreItem subclasses, a dialog
waterfall through ConversationState) plus what Hallway needs on top: atomic batches, no lost
update under concurrent read-modify-write (one instance, two instances, two processes), restart
persistence, ping/close and URL parsing.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import textwrap
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from botbuilder.core import (
    ConversationState,
    MessageFactory,
    Storage,
    StoreItem,
    TurnContext,
    UserState,
)
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogSet,
    DialogTurnStatus,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.storage import (
    DEFAULT_TABLE,
    HallwayStorage,
    StorageConflictError,
    StorageUnavailableError,
    open_storage,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
BACKENDS = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DURABLE_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PARIS = ZoneInfo("Europe/Paris")


class Shortlist(StoreItem):  # type: ignore[misc]
    """A StoreItem subclass, the kind of object a bot keeps in storage directly."""


def without_etag(value: dict[str, Any]) -> dict[str, Any]:
    return {name: item for name, item in value.items() if name != "e_tag"}


async def increment(storage: HallwayStorage, key: str) -> int:
    """Read-modify-write `key`'s counter with an eTag retry loop; returns the conflicts seen."""
    conflicts = 0
    for _ in range(10_000):
        item = (await storage.read([key]))[key]
        item["count"] += 1
        await asyncio.sleep(0)  # let other writers interleave between the read and the write
        try:
            await storage.write({key: item})
        except StorageConflictError:
            conflicts += 1
            continue
        return conflicts
    raise AssertionError(f"gave up incrementing {key!r} after {conflicts} conflicts")


# -- botbuilder's Storage contract ----------------------------------------------------------------


async def test_is_a_botbuilder_storage(storage: HallwayStorage, backend: str) -> None:
    assert isinstance(storage, Storage)
    assert storage.kind == backend


async def test_read_unknown_key_returns_nothing(storage: HallwayStorage) -> None:
    assert await storage.read(["unknown"]) == {}


async def test_read_without_keys_returns_nothing(storage: HallwayStorage) -> None:
    assert await storage.read([]) == {}
    assert await storage.read(None) == {}


async def test_write_none_is_refused_and_empty_write_is_fine(storage: HallwayStorage) -> None:
    with pytest.raises(ValueError, match="Changes are required when writing"):
        await storage.write(None)
    await storage.write({})
    await storage.write([])  # type: ignore[arg-type]  # botbuilder's suite does this


async def test_create_objects(storage: HallwayStorage) -> None:
    await storage.write({"createPoco": {"id": 1}, "createPocoStoreItem": {"id": 2, "e_tag": "*"}})

    items = await storage.read(["createPoco", "createPocoStoreItem"])

    assert items["createPoco"]["id"] == 1
    assert items["createPocoStoreItem"]["id"] == 2
    assert items["createPoco"]["e_tag"]
    assert items["createPocoStoreItem"]["e_tag"]
    assert items["createPoco"]["e_tag"] != items["createPocoStoreItem"]["e_tag"]


CRAZY_KEYS = [
    '!@#$%^&*()_+??><":QASD~`',
    "msteams/conversations/19:meeting_abc@thread.v2/users/29:1a-B_c/",
    "clé d'été / ünïcödé / 会議 / 🎤",
    "a\\b\\c",
    "  spaces  ",
    "",
    "tab\tnew\nline",
    "nul\x00byte",
    "lone \ud800 surrogate",
    "k" * 5_000,
    uuid.uuid4().hex * 200,  # 6400 characters that do not compress
    "looks#sha256=" + "0" * 64,
]


@pytest.mark.parametrize("key", CRAZY_KEYS, ids=range(len(CRAZY_KEYS)))
async def test_crazy_keys(storage: HallwayStorage, key: str) -> None:
    await storage.write({key: {"id": 1}})

    items = await storage.read([key])

    assert list(items) == [key]
    assert items[key]["id"] == 1
    await storage.delete([key])
    assert await storage.read([key]) == {}


async def test_long_keys_with_a_common_prefix_stay_distinct(storage: HallwayStorage) -> None:
    keys = ["x" * 3_000 + "a", "x" * 3_000 + "b", "x" * 3_001]
    await storage.write({key: {"n": n} for n, key in enumerate(keys)})

    items = await storage.read(keys)

    assert {key: item["n"] for key, item in items.items()} == {key: n for n, key in enumerate(keys)}


async def test_update_object_with_etags(storage: HallwayStorage) -> None:
    await storage.write(
        {
            "pocoItem": {"id": 1, "count": 1},
            "pocoStoreItem": {"id": 1, "count": 1, "e_tag": "*"},
        }
    )
    loaded = await storage.read(["pocoItem", "pocoStoreItem"])
    poco, store_item = loaded["pocoItem"], loaded["pocoStoreItem"]
    poco["e_tag"] = None
    first_etag = store_item["e_tag"]
    poco["count"] += 1
    store_item["count"] += 1

    await storage.write(loaded)  # current eTag: accepted

    reloaded = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded["pocoItem"]["count"] == 2
    assert reloaded["pocoStoreItem"]["count"] == 2
    assert reloaded["pocoStoreItem"]["e_tag"] != first_etag  # a new eTag on every write

    poco["count"] = 123  # no eTag: always written
    await storage.write({"pocoItem": poco})

    store_item["count"] = 123  # still carries the first eTag: refused
    with pytest.raises(StorageConflictError) as conflict:
        await storage.write({"pocoStoreItem": store_item})
    assert isinstance(conflict.value, KeyError)  # what botbuilder's MemoryStorage raises
    assert conflict.value.key == "pocoStoreItem"
    assert "pocoStoreItem" in str(conflict.value)

    reloaded = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded["pocoItem"]["count"] == 123
    assert reloaded["pocoStoreItem"]["count"] == 2

    wildcard = reloaded["pocoStoreItem"] | {"count": 100, "e_tag": "*"}
    await storage.write(
        {"pocoItem": reloaded["pocoItem"] | {"count": 100}, "pocoStoreItem": wildcard}
    )
    reloaded = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded["pocoItem"]["count"] == 100
    assert reloaded["pocoStoreItem"]["count"] == 100


async def test_empty_etag_is_refused(storage: HallwayStorage) -> None:
    await storage.write({"item": {"count": 100}})
    item = (await storage.read(["item"]))["item"]
    item["e_tag"] = ""

    with pytest.raises(ValueError, match="empty"):
        await storage.write({"item": item | {"count": 1}})

    assert (await storage.read(["item"]))["item"]["count"] == 100


async def test_every_write_gets_a_new_etag(storage: HallwayStorage) -> None:
    etags = set()
    for count in range(5):
        await storage.write({"item": {"count": count}})
        etags.add((await storage.read(["item"]))["item"]["e_tag"])
    assert len(etags) == 5


async def test_etag_on_a_missing_key_writes_like_memory_storage(storage: HallwayStorage) -> None:
    await storage.write({"fresh": {"count": 1, "e_tag": "from-somewhere-else"}})
    assert (await storage.read(["fresh"]))["fresh"]["count"] == 1


async def test_delete_object(storage: HallwayStorage) -> None:
    await storage.write({"delete1": {"id": 1, "count": 1, "e_tag": "*"}})
    item = (await storage.read(["delete1"]))["delete1"]
    assert item["e_tag"]
    assert item["count"] == 1

    await storage.delete(["delete1"])

    assert await storage.read(["delete1"]) == {}


async def test_delete_unknown_key_is_fine(storage: HallwayStorage) -> None:
    await storage.delete(["unknown_key"])
    await storage.delete([])


async def test_delete_accepts_a_set_as_bot_state_passes(storage: HallwayStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 2}})
    await storage.delete({"a"})
    assert list(await storage.read(["a", "b"])) == ["b"]


async def test_batch_operations(storage: HallwayStorage) -> None:
    await storage.write({"batch1": {"count": 10}, "batch2": {"count": 20}, "batch3": {"count": 30}})

    items = await storage.read(["batch1", "batch2", "batch3", "batch4"])

    assert {key: item["count"] for key, item in items.items()} == {
        "batch1": 10,
        "batch2": 20,
        "batch3": 30,
    }
    assert all(item["e_tag"] for item in items.values())

    await storage.delete(["batch1", "batch2", "batch3"])

    assert await storage.read(["batch1", "batch2", "batch3"]) == {}


async def test_large_batches(storage: HallwayStorage) -> None:
    keys = [f"user/{n}" for n in range(1_200)]
    await storage.write({key: {"n": n} for n, key in enumerate(keys)})

    items = await storage.read([*keys, "missing"])

    assert len(items) == 1_200
    assert items["user/1199"]["n"] == 1199
    await storage.delete(keys)
    assert await storage.read(keys) == {}


async def test_a_conflicting_batch_changes_nothing(storage: HallwayStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 1}})
    stale = (await storage.read(["b"]))["b"]
    await storage.write({"b": {"n": 2}})

    with pytest.raises(StorageConflictError):
        await storage.write({"a": {"n": 99}, "b": stale | {"n": 99}, "c": {"n": 99}})

    items = await storage.read(["a", "b", "c"])
    assert {key: item["n"] for key, item in items.items()} == {"a": 1, "b": 2}


NESTED = {
    "level1": {
        "level2": {"level3": {"list": [1, 2.5, "three", None, True, {"deep": ["x"]}]}},
        "empty": {},
        "emptyList": [],
    },
    "text": "Où est la réunion de la délégation ? 会議 🎤",
    "hostile": "nul \x00 and lone \ud800 surrogate and \\u0000 escaped",
    "big": 2**62,
    "negative": -1.5e-9,
    "tuple": (1, "two"),
    "intKeys": {1: "one", 2: "two"},
    "when": datetime(2025, 5, 20, 14, 30, tzinfo=PARIS),
    "py/not-a-tag": "plain value",
}


async def test_nested_values_round_trip(storage: HallwayStorage) -> None:
    await storage.write({"nested": NESTED})

    item = (await storage.read(["nested"]))["nested"]

    assert without_etag(item) == NESTED
    assert isinstance(item["tuple"], tuple)
    assert item["when"].tzinfo == PARIS


async def test_values_are_copies(storage: HallwayStorage) -> None:
    value: dict[str, Any] = {"list": [1], "e_tag": "*"}
    await storage.write({"copy": value})
    value["list"].append(2)
    assert value["e_tag"] == "*"  # the caller's value is left alone

    first = (await storage.read(["copy"]))["copy"]
    first["list"].append(3)

    assert (await storage.read(["copy"]))["copy"]["list"] == [1]


async def test_store_item_subclass_round_trip(storage: HallwayStorage) -> None:
    await storage.write({"shortlist": Shortlist(sessions=["S1", "S2"], language="fr")})

    item = (await storage.read(["shortlist"]))["shortlist"]

    assert isinstance(item, Shortlist)
    assert item.sessions == ["S1", "S2"]
    assert item.language == "fr"
    assert item.e_tag

    stale_etag = item.e_tag
    item.sessions.append("S3")
    await storage.write({"shortlist": item})
    assert (await storage.read(["shortlist"]))["shortlist"].sessions == ["S1", "S2", "S3"]

    stale = Shortlist(sessions=[], e_tag=stale_etag)
    with pytest.raises(StorageConflictError):
        await storage.write({"shortlist": stale})
    wildcard = Shortlist(sessions=["S9"], e_tag="*")
    await storage.write({"shortlist": wildcard})
    assert (await storage.read(["shortlist"]))["shortlist"].sessions == ["S9"]


async def test_keys_must_be_strings(storage: HallwayStorage) -> None:
    with pytest.raises(TypeError):
        await storage.write({1: {"n": 1}})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        await storage.read("single-key-not-a-list")


# -- botbuilder's state classes on top -----------------------------------------------------------


def turn_context(conversation: str = "conv-1", user: str = "user-1") -> TurnContext:
    activity = Activity(
        type=ActivityTypes.message,
        channel_id="test",
        service_url="https://test.example",
        conversation=ConversationAccount(id=conversation),
        from_property=ChannelAccount(id=user, name="Attendee"),
        recipient=ChannelAccount(id="hallway", name="Hallway"),
        text="hi",
        locale="fr-FR",
    )
    return TurnContext(TestAdapter(), activity)


async def test_conversation_and_user_state_round_trip(
    storage: HallwayStorage, storage_url: str, backend: str
) -> None:
    conversation_state, user_state = ConversationState(storage), UserState(storage)
    shortlist = user_state.create_property("shortlist")
    language = user_state.create_property("language")
    last_query = conversation_state.create_property("lastQuery")

    first = turn_context()
    assert await shortlist.get(first, list) == []
    await shortlist.set(first, ["S1", "S2"])
    await language.set(first, "fr")
    await last_query.set(first, {"text": "cloud", "at": datetime(2025, 5, 20, 14, tzinfo=PARIS)})
    await conversation_state.save_changes(first)
    await user_state.save_changes(first)

    second = turn_context()
    assert await shortlist.get(second) == ["S1", "S2"]
    assert await language.get(second) == "fr"
    assert (await last_query.get(second))["at"] == datetime(2025, 5, 20, 14, tzinfo=PARIS)
    await shortlist.set(second, ["S1", "S2", "S3"])
    await user_state.save_changes(second)  # carries the eTag read in this turn

    other_user = turn_context(user="user-2")
    assert await shortlist.get(other_user) is None

    if backend == "memory":
        return
    reopened = open_storage(storage_url)  # a restart, or another instance
    try:
        third = turn_context()
        assert await UserState(reopened).create_property("shortlist").get(third) == [
            "S1",
            "S2",
            "S3",
        ]
    finally:
        await reopened.close()


async def test_concurrent_turns_on_one_conversation_conflict(storage: HallwayStorage) -> None:
    conversation_state = ConversationState(storage)
    counter = conversation_state.create_property("counter")
    setup = turn_context()
    await counter.set(setup, 0)
    await conversation_state.save_changes(setup)

    first, second = turn_context(), turn_context()
    await counter.set(first, 1 + await counter.get(first))
    await counter.set(second, 1 + await counter.get(second))
    await conversation_state.save_changes(first)

    with pytest.raises(StorageConflictError):
        await conversation_state.save_changes(second)


async def test_dialog_waterfall_survives_between_turns(
    storage: HallwayStorage, storage_url: str, backend: str
) -> None:
    """Dialog state (DialogState, DialogInstance, PromptOptions holding Activities) is stored
    between turns; on durable backends every turn runs on a freshly opened storage."""

    async def ask_name(step: WaterfallStepContext) -> Any:
        assert isinstance(step.active_dialog.state["stepIndex"], int)
        return await step.prompt(
            "name",
            PromptOptions(
                prompt=MessageFactory.text("Your name?"),
                retry_prompt=MessageFactory.text("A longer name, please."),
            ),
        )

    async def ask_room(step: WaterfallStepContext) -> Any:
        step.values["name"] = step.result
        return await step.prompt("room", PromptOptions(prompt=MessageFactory.text("Which room?")))

    async def confirm(step: WaterfallStepContext) -> Any:
        await step.context.send_activity(f"{step.values['name']} goes to {step.result}")
        return await step.end_dialog()

    async def long_enough(prompt: PromptValidatorContext) -> bool:
        return len(prompt.recognized.value or "") > 3

    async def logic(context: TurnContext) -> None:
        turn_storage = storage if backend == "memory" else open_storage(storage_url)
        try:
            conversation_state = ConversationState(turn_storage)
            dialogs = DialogSet(conversation_state.create_property("dialogState"))
            dialogs.add(TextPrompt("name", long_enough))
            dialogs.add(TextPrompt("room"))
            dialogs.add(WaterfallDialog("visit", [ask_name, ask_room, confirm]))
            dialog_context = await dialogs.create_context(context)
            result = await dialog_context.continue_dialog()
            if result.status == DialogTurnStatus.Empty:
                await dialog_context.begin_dialog("visit")
            await conversation_state.save_changes(context)
        finally:
            if turn_storage is not storage:
                await turn_storage.close()

    adapter = TestAdapter(logic)
    flow = await adapter.send("hello")
    flow = await flow.assert_reply("Your name?")
    flow = await flow.send("Al")
    flow = await flow.assert_reply("A longer name, please.")
    flow = await flow.send("Alice")
    flow = await flow.assert_reply("Which room?")
    flow = await flow.send("Salle Maillot")
    flow = await flow.assert_reply("Alice goes to Salle Maillot")
    flow = await flow.send("again")
    await flow.assert_reply("Your name?")


# -- concurrency -----------------------------------------------------------------------------------


async def test_concurrent_increments_lose_no_update(storage: HallwayStorage) -> None:
    await storage.write({"counter": {"count": 0}})

    conflicts = await asyncio.gather(*(increment(storage, "counter") for _ in range(50)))

    assert (await storage.read(["counter"]))["counter"]["count"] == 50
    assert sum(conflicts) > 0  # the writers really did collide


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_two_instances_lose_no_update(storage_url: str) -> None:
    first, second = open_storage(storage_url), open_storage(storage_url)
    try:
        await first.write({"counter": {"count": 0}})

        await asyncio.gather(
            *(increment(first, "counter") for _ in range(25)),
            *(increment(second, "counter") for _ in range(25)),
        )

        assert (await first.read(["counter"]))["counter"]["count"] == 50
        assert (await second.read(["counter"]))["counter"]["count"] == 50
    finally:
        await first.close()
        await second.close()


INCREMENTER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.storage import StorageConflictError, open_storage

    async def main(url, times):
        storage = open_storage(url)
        try:
            for _ in range(times):
                while True:
                    item = (await storage.read(["counter"]))["counter"]
                    item["count"] += 1
                    try:
                        await storage.write({"counter": item})
                        break
                    except StorageConflictError:
                        pass
        finally:
            await storage.close()

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_two_processes_lose_no_update(storage: HallwayStorage, storage_url: str) -> None:
    await storage.write({"counter": {"count": 0}})
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", INCREMENTER, storage_url, "25", env=env, cwd=REPO_ROOT
        )
        for _ in range(2)
    ]
    codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), timeout=120)

    assert codes == [0, 0]
    assert (await storage.read(["counter"]))["counter"]["count"] == 50


# -- ping, close, restart --------------------------------------------------------------------------


async def test_ping_and_close(storage_url: str) -> None:
    storage = open_storage(storage_url)
    await storage.ping()
    await storage.write({"k": {"n": 1}})

    await storage.close()
    await storage.close()  # idempotent

    assert storage.closed
    with pytest.raises(RuntimeError, match="closed"):
        await storage.read(["k"])
    with pytest.raises(RuntimeError, match="closed"):
        await storage.ping()


@pytest.mark.parametrize("backend", DURABLE_BACKENDS, indirect=True)
async def test_state_survives_a_restart(storage_url: str) -> None:
    async with open_storage(storage_url) as before:
        await before.write({"k": {"n": 1}})
    async with open_storage(storage_url) as after:
        assert without_etag((await after.read(["k"]))["k"]) == {"n": 1}


async def test_ping_reports_an_unusable_sqlite_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    storage = open_storage(f"sqlite:///{blocker}/state.sqlite3")
    try:
        with pytest.raises(StorageUnavailableError, match="not-a-directory"):
            await storage.ping()
    finally:
        await storage.close()


async def test_ping_reports_an_unreachable_postgres() -> None:
    storage = open_storage("postgresql://postgres:secret@127.0.0.1:1/test")
    try:
        with pytest.raises(StorageUnavailableError) as unreachable:
            await storage.ping()
        assert "127.0.0.1" in str(unreachable.value)
        assert "secret" not in str(unreachable.value)
    finally:
        await storage.close()


# -- backend specifics -----------------------------------------------------------------------------


async def test_sqlite_file_settings_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "state.sqlite3"
    async with open_storage(f"sqlite:///{path}") as storage:
        await storage.write({"k": {"n": 1, "text": "été"}})
        synchronous = await storage._run(
            lambda connection: connection.execute("PRAGMA synchronous").fetchone()[0]
        )
    assert synchronous == 1  # NORMAL

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = [row[1:3] for row in connection.execute(f"PRAGMA table_info({DEFAULT_TABLE})")]
        assert columns == [("key", "TEXT"), ("etag", "TEXT"), ("document", "TEXT")]
        row = connection.execute(
            f"SELECT json_extract(document, '$.text') FROM {DEFAULT_TABLE} WHERE key = 'k'"
        ).fetchone()
    assert row == ("été",)


@pytest.mark.postgres
async def test_postgres_schema_and_jsonb_documents(
    make_url: Callable[[str], str], postgres_url: str
) -> None:
    url = make_url("postgresql")
    table = url.rsplit("table=", 1)[1]
    async with open_storage(url) as storage:
        await storage.write({"user/1": {"language": "fr", "shortlist": ["S1"]}})
        await storage.write({"odd": {"text": "nul \x00 inside"}})
        assert (await storage.read(["odd"]))["odd"]["text"] == "nul \x00 inside"

    connection = await asyncpg.connect(postgres_url)
    try:
        columns = await connection.fetch(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_name = $1 ORDER BY ordinal_position",
            table,
        )
        language = await connection.fetchval(
            f"SELECT document->>'language' FROM \"{table}\" WHERE key = 'user/1'"
        )
    finally:
        await connection.close()
    assert [tuple(column) for column in columns] == [
        ("key", "text", "NO"),
        ("etag", "text", "NO"),
        ("document", "jsonb", "NO"),
    ]
    assert language == "fr"


# -- open_storage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["mysql://localhost/x", "data/hallway.sqlite3", "redis://:secret@host:6379", ""],
)
def test_unknown_schemes_are_refused_clearly(url: str) -> None:
    with pytest.raises(ValueError) as refused:
        open_storage(url)
    message = str(refused.value)
    assert "\n" not in message
    for accepted in ("memory://", "sqlite:///", "postgresql://"):
        assert accepted in message
    assert "secret" not in message


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///",
        "sqlite://relative.sqlite3",
        "sqlite:///x.sqlite3?table=1bad",
        "sqlite:///x.sqlite3?mode=ro",
        "postgresql://localhost/x?table=bad-name",
        'memory://?table=a"b',
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        open_storage(url)


async def test_sqlite_relative_paths_follow_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    storage = open_storage("sqlite:///data/x.sqlite3?table=custom_state")
    monkeypatch.chdir(REPO_ROOT)  # resolved when opened, not on first use
    async with storage:
        await storage.write({"k": {"n": 1}})
    with sqlite3.connect(tmp_path / "data" / "x.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM custom_state").fetchone() == (1,)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("memory://", "memory"),
        ("sqlite:///never-opened/x.sqlite3", "sqlite"),
        ("postgresql://postgres@127.0.0.1:1/test", "postgresql"),
        ("postgres://postgres@127.0.0.1:1/test?table=t1&sslmode=disable", "postgresql"),
    ],
)
async def test_open_storage_kinds_and_laziness(
    url: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    storage = open_storage(url)  # opens nothing yet
    assert storage.kind == kind
    assert "secret" not in repr(storage)
    await storage.close()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
async def test_async_context_manager_closes(storage_url: str) -> None:
    async with open_storage(storage_url) as storage:
        await storage.ping()
    assert storage.closed
