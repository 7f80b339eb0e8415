"""The load generator works against a bot process: every turn gets its reply, matched by
`replyToId`, with no errors. A couple of seconds each, 4 users; no throughput or latency is
asserted here (speed lives in `python -m benchmarks.load`). The soak benchmark runs here too, at
a tiny size, through its kill -9 and restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import soak
from benchmarks.load import bots
from benchmarks.load.bots import BotCommand
from benchmarks.load.generator import LoadGenerator, Plan, Result, say
from benchmarks.load.scenarios import Scenario, all_scenarios
from bot.shortlist_store import ShortlistStore
from bot.storage import open_storage
from tests.paths import ACTIVITIES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (ACTIVITIES / "emulator-message-user-hello.json").exists(),
        reason=f"no shared activities at {ACTIVITIES}",
    ),
]

PLAN = Plan(users=4, seconds=2.0, warmup=0.5, turn_timeout=5.0)


def assert_every_turn_answered(result: Result) -> None:
    assert dict(result.errors) == {}, result.error_examples
    assert result.turns > 0
    assert result.started == result.turns + result.warmup_turns
    assert result.extra_replies == 0
    assert result.stray_replies == 0
    assert len(result.latencies_ms) == result.turns
    assert result.rss_before_kib and result.rss_after_kib
    assert result.bot_cpu_seconds is not None


async def test_floor_bot_answers_every_turn() -> None:
    async with bots.running(bots.floor_bot()) as bot, LoadGenerator() as generator:
        result = await generator.run(bot.url, PLAN, say("Hello"), pid=bot.pid)
    assert_every_turn_answered(result)
    assert "Traceback" not in bot.final_output


async def run_scenario(scenario: Scenario) -> tuple[Result, BotCommand, str]:
    """The scenario's bot under `PLAN`: the result, how the bot was started, all it printed."""
    async with (
        scenario.prepare() as command,
        bots.running(command) as bot,
        LoadGenerator() as generator,
    ):
        result = await generator.run(
            bot.url, PLAN, scenario.shape, check=scenario.check, pid=bot.pid
        )
    return result, command, bot.final_output


async def test_hallway_answers_every_help_turn() -> None:
    result, _, output = await run_scenario(all_scenarios()["hallway-help"])
    assert_every_turn_answered(result)
    assert "Traceback" not in output


async def test_hallway_with_two_workers_answers_every_question_and_is_measured_whole() -> None:
    """`--workers 2`: the scenario starts a supervisor and two workers; CPU and memory are
    those of all three processes."""
    result, command, output = await run_scenario(all_scenarios(workers=2)["hallway-kubernetes"])
    assert "--workers" in command.args
    assert_every_turn_answered(result)
    assert result.processes == 3
    assert result.pss_after_kib is not None
    assert result.rss_after_kib is not None and result.rss_after_kib > result.pss_after_kib
    assert "Traceback" not in output


async def test_soak_through_kill_9_loses_nothing_acknowledged(tmp_path: Path) -> None:
    """The soak benchmark at a tiny size, with its kill path: SIGKILL mid-slice, a restart on
    the same SQLite file, and every acknowledged shortlist change found in the database."""
    storage = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    ledger = soak.Ledger()
    report = await soak.soak(240, 4, 3, storage, kill_at=0.5, ledger=ledger, verbose=False)

    assert report.ok, (report.problems, report.lost)
    assert [w.number for w in report.windows if w.killed] == [2]
    assert {w.life for w in report.windows} == {1, 2}  # it went on after the restart
    assert sum(w.result.turns for w in report.windows if w.life == 2) > 0
    assert report.kill and ledger.in_flight_at_kill > 0
    assert 0 < report.acknowledged_before_kill < report.acknowledged
    assert report.checked > 0

    # The check sees a loss: take one acknowledged add back out of the database.
    owner, session_id, _, _ = next(
        e for e in ledger.expectations() if e[2] == frozenset({soak.PRESENT})
    )
    store = open_storage(storage)
    try:
        await ShortlistStore(store).remove(owner, session_id)
    finally:
        await store.close()
    again = soak.SoakReport()
    await soak.verify(ledger, storage, again)
    assert [line.split(":")[0] for line in again.lost] == [f"{owner.user_id} {session_id}"]
