"""The supervisor on its own, in a process of its own (it blocks signals and forks)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT


def run_supervisor(code: str, within: float = 30) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(
        """
        import logging, sys
        from bot.workers import Supervisor
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=within
    )


def test_a_worker_that_cannot_start_stops_everything_after_five_tries() -> None:
    done = run_supervisor(
        "sys.exit(Supervisor(2, lambda worker: 3, first_pause_seconds=0.01).run())"
    )
    assert done.returncode == 1
    assert "died 5 times right after starting (exit code 3); stopping Hallway" in done.stderr
    assert done.stderr.count("starting it again") >= 4


def test_workers_know_their_place_and_only_the_first_sends_nudges() -> None:
    done = run_supervisor(
        """
        def serve(worker):
            print(f"serving {worker.index} of {worker.count}, nudges {worker.sends_nudges}")
            return 0
        sys.exit(Supervisor(2, serve, first_pause_seconds=0.01).run())
        """
    )
    assert "serving 0 of 2, nudges True" in done.stdout
    assert "serving 1 of 2, nudges False" in done.stdout
    assert done.returncode == 1  # exiting on their own, over and over, is dying young too
