"""`python -m catalogue check`: what an organiser sees, and its exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.__main__ import main
from tests.conftest import CATALOGUES, ROOT


def check(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check", *argv])
    return status, capsys.readouterr().out


def test_demo_agenda_report(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check("catalogue/data/wpc2016.json", capsys=capsys)
    assert status == 0
    assert "native agenda, usable" in out
    assert "America/Toronto" in out
    assert "Transforming our world together" in out
    assert "skipped     0" in out


def test_json_report_has_the_agreed_keys(capsys: pytest.CaptureFixture[str]) -> None:
    path = CATALOGUES / "frab-xml" / "fosdem-2023-schedule.xml"
    if not path.exists():
        pytest.skip(f"{path} not found")
    status, out = check(str(path), "--timezone", "Europe/Brussels", "--json", capsys=capsys)
    found = json.loads(out)
    assert status == 0
    assert found["format"] == "frab-xml"
    assert found["timezone"] == "Europe/Brussels"
    assert found["sessions"] == 780
    assert found["skipped"] == [] and isinstance(found["warnings"], list)
    assert {k["title"] for k in found["keynotes"]} >= {"Celebrating 25 years of Open Source"}
    assert found["days"] == {"2023-02-04": 403, "2023-02-05": 377}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b'{"colour": "blue"}', "unknown shape"),
        (b"<schedule><conference><title>X</title>", "XML"),
        (b"just some words", "not a known agenda format"),
    ],
)
def test_unusable_files_get_one_line_and_exit_2(
    tmp_path: Path, content: bytes, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "agenda.bin"
    path.write_bytes(content)
    status, out = check(str(path), capsys=capsys)
    assert status == 2
    assert out.count("\n") == 1
    assert str(path) in out and reason in out


def test_truncated_real_xml_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = CATALOGUES / "frab-xml" / "fosdem-2026-schedule.xml"
    if not source.exists():
        pytest.skip(f"{source} not found")
    path = tmp_path / "truncated.xml"
    path.write_bytes(source.read_bytes()[:5000])
    status, out = check(str(path), "--json", capsys=capsys)
    assert status == 2
    assert json.loads(out)["usable"] is False


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check("/nonexistent/agenda.json", capsys=capsys)
    assert status == 2 and "no such file" in out


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "check", "catalogue/data/wpc2016.json", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sessions"] >= 80
