"""The load generator works against a bot process: every turn gets its reply, matched by
`replyToId`, with no errors. A couple of seconds each, 4 users; no throughput or latency is
asserted here (speed lives in `python -m benchmarks.load`)."""

from __future__ import annotations

import pytest

from benchmarks.load import bots
from benchmarks.load.generator import LoadGenerator, Plan, Result, say
from benchmarks.load.scenarios import all_scenarios
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


async def test_hallway_answers_every_help_turn() -> None:
    scenario = all_scenarios()["hallway-help"]
    async with (
        scenario.prepare() as command,
        bots.running(command) as bot,
        LoadGenerator() as generator,
    ):
        result = await generator.run(
            bot.url, PLAN, scenario.shape, check=scenario.check, pid=bot.pid
        )
    assert_every_turn_answered(result)
    assert "Traceback" not in bot.final_output
