"""The benchmarks' own machinery works: the synthetic catalogue is a valid, deterministic native
agenda that Hallway loads and indexes, and the load benchmark measures it. No timings are
asserted here; speed and memory targets live in `python -m benchmarks.catalogue_load`."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from benchmarks import catalogue_load
from benchmarks.synthetic import DAYS, TIMEZONE, main, synthetic_sessions, write_synthetic
from catalogue.ask import Answerer
from catalogue.check import report
from catalogue.importers import detect_format, load
from catalogue.model import Kind
from catalogue.search import SearchIndex

SESSIONS = 200


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("synthetic") / "s.json", SESSIONS, seed=1)


def test_synthetic_catalogue_loads_every_session_cleanly(synthetic: Path) -> None:
    assert detect_format(synthetic.read_text(encoding="utf-8")) == "native"
    catalogue = load(synthetic)
    found = report(catalogue)

    assert len(catalogue.sessions) == SESSIONS
    assert catalogue.format == "native"
    assert found["skipped"] == [] and found["warnings"] == []
    assert found["timezone"] == TIMEZONE
    assert len(found["days"]) == DAYS
    assert len(found["rooms"]) > 5
    assert len(found["tracks"]) > 5
    assert found["speakers"] > 20
    assert len(found["keynotes"]) == DAYS
    kinds = {s.kind for s in catalogue.sessions}
    assert {Kind.KEYNOTE, Kind.TALK, Kind.WORKSHOP, Kind.MEAL, Kind.BOOTH} <= kinds
    assert Kind.OTHER not in kinds  # every kind given or recognised from the title
    assert {s.language for s in catalogue.sessions} == {"en", "fr"}
    for session in catalogue.sessions:
        assert session.title and session.abstract
        assert session.start.utcoffset() is not None
        assert session.start < session.end


def test_rooms_never_double_booked(synthetic: Path) -> None:
    catalogue = load(synthetic)
    by_room: dict[str, list[tuple[datetime, datetime]]] = {}
    for session in catalogue.sessions:
        by_room.setdefault(session.room, []).append((session.start, session.end))
    for room, slots in by_room.items():
        if room.startswith("Expo Hall"):
            continue
        for (_, end), (start, _) in pairwise(slots):
            assert end <= start, room


def test_synthetic_catalogue_is_indexed(synthetic: Path) -> None:
    catalogue = load(synthetic)
    answerer = Answerer.for_catalogue(catalogue)
    assert answerer.catalogue is catalogue
    workshop = next(s for s in catalogue.sessions if s.title.startswith("Hands-on lab: "))
    found = SearchIndex(catalogue).search(workshop.title)
    assert workshop.id in [match.session.id for match in found]


def test_same_seed_same_bytes_other_seed_other_catalogue(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a.json", 60, seed=7).read_bytes()
    again = write_synthetic(tmp_path / "b.json", 60, seed=7).read_bytes()
    other = write_synthetic(tmp_path / "c.json", 60, seed=8).read_bytes()
    assert first == again
    assert first != other
    document = json.loads(first)
    assert document["hallway"] == 1
    assert len(document["sessions"]) == 60


def test_small_counts_are_exact() -> None:
    for count in (1, 7, 99, 100, 101):
        assert sum(1 for _ in synthetic_sessions(count, seed=3)) == count


def test_command_line_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cli.json"
    assert main([str(target), "--sessions", "25", "--seed", "2"]) == 0
    assert "wrote 25 sessions" in capsys.readouterr().out
    assert len(load(target).sessions) == 25


def test_measure_reports_sessions_and_memory(synthetic: Path) -> None:
    run = catalogue_load.measure(str(synthetic), None, trace=True)
    assert run.sessions == SESSIONS
    assert run.skipped == 0
    assert run.rss_peak_kib > 0
    assert run.traced_peak is not None and run.traced_peak > 0


@pytest.mark.slow
def test_benchmark_command_runs_a_scenario_in_a_fresh_process(
    synthetic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = catalogue_load.main(
        [
            "--scenario",
            "synthetic-50k",
            "--synthetic",
            str(synthetic),
            "--sessions",
            str(SESSIONS),
            "--repeat",
            "1",
            "--no-tracemalloc",
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    row = next(line for line in out.splitlines() if line.startswith(f"synthetic-{SESSIONS}"))
    assert row.split()[1:3] == ["1", str(SESSIONS)]


@pytest.mark.slow
def test_nudge_fanout_sends_every_nudge_once_and_reports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A tiny run of `python -m benchmarks.nudge_fanout`: the app's dispatcher to a local
    connector process; it must report a rate and memory, and every nudge exactly once."""
    from benchmarks import nudge_fanout

    assert nudge_fanout.main(["--nudges", "40", "--storage", "sqlite", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "exactly once: yes" in out
    assert "40 at the connector" in out and "nudges/s" in out
    assert "RSS MB through the run" in out
