"""The Teams app package: a manifest that validates against the real 1.29 schema, icons Teams
accepts, French strings that fit the manifest, and a command that says clearly what is wrong."""

from __future__ import annotations

import copy
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot import teams_package as tp
from bot.settings import DEMO_CATALOGUE
from catalogue.ask import Answerer, Intent
from catalogue.commands import Action, parse_command
from catalogue.importers import load

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HALLWAY_SHARED") or Path(__file__).resolve().parents[3] / "shared")
SCHEMAS = SHARED / "schemas"
MANIFEST_SCHEMA = SCHEMAS / f"MicrosoftTeams.v{tp.MANIFEST_VERSION}.schema.json"
LOCALIZATION_SCHEMA = SCHEMAS / f"MicrosoftTeams.Localization.v{tp.MANIFEST_VERSION}.schema.json"
SEARCH_QUERY = SHARED / "activities" / "teams-invoke-composeExtension-query.json"

APP_ID = "0b4f1a3e-2c5d-4e6f-8a9b-1c2d3e4f5a6b"
ENDPOINT = "https://hallway.example.org/api/messages"
FILES = ["manifest.json", "color.png", "outline.png", "fr.json"]


def _shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is missing: set HALLWAY_SHARED to the shared test material")
    return path


@pytest.fixture(scope="module")
def options() -> tp.PackageOptions:
    return tp.package_options(app_id=APP_ID, endpoint=ENDPOINT)


@pytest.fixture(scope="module")
def package(options: tp.PackageOptions) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(tp.build_package(options))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def manifest(package: dict[str, bytes]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(package["manifest.json"])
    return document


@pytest.fixture(scope="module")
def french(package: dict[str, bytes]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(package["fr.json"])
    return document


# --- schema validation -----------------------------------------------------------------------


def _lift_ref_siblings(node: Any) -> Any:
    """Draft-04 ignores every keyword beside a `$ref` (so `"$ref": ..., "maxLength": 30` checks
    no length); move the `$ref` into an `allOf` so both apply, as the schema's authors meant."""
    if isinstance(node, list):
        return [_lift_ref_siblings(item) for item in node]
    if not isinstance(node, dict):
        return node
    lifted = {key: _lift_ref_siblings(value) for key, value in node.items()}
    if "$ref" in lifted and len(lifted) > 1:
        lifted["allOf"] = [*lifted.pop("allOf", []), {"$ref": lifted.pop("$ref")}]
    return lifted


@cache
def _validators(
    path: Path,
) -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator]:
    """The validator the schema declares ($schema: draft-04), and a strict one that also
    honours what draft-04 silently skips: `const` (used for manifestVersion) and keywords
    beside `$ref`. Both load the file locally; nothing is fetched."""
    schema = json.loads(_shared(path).read_text(encoding="utf-8"))
    declared = jsonschema.validators.validator_for(schema)
    assert declared is jsonschema.Draft4Validator, "the Teams schemas declare draft-04"
    # Structure only: a few patterns (in Office add-in parts we do not use) are ECMAScript
    # regexes, like \p{L}, that Python's `re` cannot compile.
    declared.check_schema(schema, format_checker=None)
    strict_class = jsonschema.validators.extend(
        declared, {"const": jsonschema.Draft6Validator.VALIDATORS["const"]}
    )
    checker = declared.FORMAT_CHECKER
    return (
        declared(schema, format_checker=checker),
        strict_class(_lift_ref_siblings(copy.deepcopy(schema)), format_checker=checker),
    )


def _problems(document: dict[str, Any], path: Path) -> list[str]:
    problems = []
    for validator in _validators(path):
        for error in validator.iter_errors(document):
            problems.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
    return problems


def test_manifest_uses_the_newest_schema_in_shared() -> None:
    versions = [
        tuple(int(part) for part in match.group(1).split("."))
        for file in _shared(SCHEMAS).glob("MicrosoftTeams.v*.schema.json")
        if (match := re.fullmatch(r"MicrosoftTeams\.v([0-9.]+)\.schema\.json", file.name))
    ]
    newest = ".".join(map(str, max(versions)))
    assert newest == tp.MANIFEST_VERSION
    assert f"/v{newest}/" in tp.MANIFEST_SCHEMA
    assert f"/v{newest}/" in tp.LOCALIZATION_SCHEMA


def test_manifest_validates_against_the_teams_schema(manifest: dict[str, Any]) -> None:
    assert _problems(manifest, MANIFEST_SCHEMA) == []
    assert manifest["manifestVersion"] == tp.MANIFEST_VERSION


def test_strict_validation_does_catch_what_draft_04_skips(manifest: dict[str, Any]) -> None:
    """Guards the strict validator itself: these pass plain draft-04 and must not pass here."""
    wrong = copy.deepcopy(manifest)
    wrong["manifestVersion"] = "1.5"
    assert any("manifestVersion" in problem for problem in _problems(wrong, MANIFEST_SCHEMA))
    french = {
        "name.short": "x" * 31,
        "description.short": "court",
        "description.full": "long",
    }
    assert any("name.short" in problem for problem in _problems(french, LOCALIZATION_SCHEMA))


def test_manifest_with_other_inputs_validates_too() -> None:
    options = tp.package_options(
        app_id=APP_ID.upper(),
        endpoint="https://bots.contoso.com:8443/hallway/api/messages",
        version="2.10.3",
        name="x" * tp.MAX_SHORT_NAME,
        short_description="y" * tp.MAX_SHORT_DESCRIPTION,
        full_description="z" * tp.MAX_FULL_DESCRIPTION,
        website_url="https://contoso.com/hallway",
        privacy_url="https://contoso.com/privacy",
        terms_url="https://contoso.com/terms",
    )
    manifest = tp.build_manifest(options)
    assert _problems(manifest, MANIFEST_SCHEMA) == []
    assert _problems(tp.build_localization_fr(options), LOCALIZATION_SCHEMA) == []
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bots.contoso.com"]
    assert manifest["version"] == "2.10.3"
    assert manifest["developer"]["privacyUrl"] == "https://contoso.com/privacy"


# --- what the manifest says ------------------------------------------------------------------


def test_manifest_identifies_the_bot_and_its_host(manifest: dict[str, Any]) -> None:
    assert manifest["$schema"] == (
        "https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
    )
    assert manifest["id"] == APP_ID
    assert manifest["version"] == "1.0.0"
    assert manifest["developer"]["name"] == "Hallway"
    assert all(
        manifest["developer"][key].startswith("https://")
        for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["accentColor"] == "#4B53BC"
    assert manifest["permissions"] == ["identity", "messageTeamMembers"]
    assert manifest["validDomains"] == ["hallway.example.org"]
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000


def test_bot_talks_in_every_scope_with_a_command_list_each(manifest: dict[str, Any]) -> None:
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False
    lists = {scope: entry["commands"] for entry in bot["commandLists"] for scope in entry["scopes"]}
    assert set(lists) == {"personal", "team", "groupChat"}
    assert [c["title"] for c in lists["personal"]] == [
        "what's on now",
        "what's next",
        "after the keynote",
        "show my shortlist",
        "export my shortlist",
        "help",
    ]
    # The shortlist is private, so team channels and group chats are not offered it.
    for scope in ("team", "groupChat"):
        assert [c["title"] for c in lists[scope]] == [
            "what's on now",
            "what's next",
            "after the keynote",
            "help",
        ]
    for command in lists["personal"]:
        assert 0 < len(command["title"]) <= tp.MAX_COMMAND_TITLE
        assert 0 < len(command["description"]) <= tp.MAX_COMMAND_DESCRIPTION


def test_search_extension_matches_the_real_teams_query(manifest: dict[str, Any]) -> None:
    (extension,) = manifest["composeExtensions"]
    assert extension["botId"] == APP_ID
    commands = {command["id"]: command for command in extension["commands"]}
    query = json.loads(_shared(SEARCH_QUERY).read_text(encoding="utf-8"))
    command = commands[query["value"]["commandId"]]
    assert command["id"] == "searchCmd"
    assert command["type"] == "query"
    assert command["title"] == "Search sessions"
    assert command["initialRun"] is True
    assert command["context"] == ["compose", "commandBox"]
    names = [parameter["name"] for parameter in command["parameters"]]
    assert [parameter["name"] for parameter in query["value"]["parameters"]] == names
    assert names == ["searchKeywords"]


def test_search_parameter_is_the_one_the_bot_reads(manifest: dict[str, Any]) -> None:
    from bot.teams import SEARCH_PARAMETER

    (command,) = manifest["composeExtensions"][0]["commands"]
    assert command["parameters"][0]["name"] == SEARCH_PARAMETER


def _understood(text: str, answerer: Answerer, now: datetime) -> Action | Intent:
    command = parse_command(text)
    return command.action if command else answerer.answer(text, now).intent


def test_every_command_title_is_a_question_the_bot_understands() -> None:
    """Teams sends a command's title, in the user's language, as the message text."""
    answerer = Answerer.for_catalogue(load(DEMO_CATALOGUE))
    now = datetime(2016, 7, 11, 13, 30, tzinfo=UTC)  # during the first WPC keynote
    expected = [Intent.NOW, Intent.NEXT, Intent.AFTER, Action.SHOW, Action.EXPORT, Intent.HELP]
    assert len(tp.COMMANDS) == len(expected)
    for command, meaning in zip(tp.COMMANDS, expected, strict=True):
        assert _understood(command.title, answerer, now) == meaning, command.title
        assert _understood(command.title_fr, answerer, now) == meaning, command.title_fr


# --- French ----------------------------------------------------------------------------------


def test_manifest_points_at_the_french_file(
    manifest: dict[str, Any], package: dict[str, bytes]
) -> None:
    info = manifest["localizationInfo"]
    assert info["defaultLanguageTag"] == "en"
    # Language only, so Teams uses it for fr-FR, fr-CA, fr-BE and fr-CH users alike.
    assert info["additionalLanguages"] == [{"languageTag": "fr", "file": "fr.json"}]
    assert "fr.json" in package


def test_french_strings_validate_against_the_localization_schema(french: dict[str, Any]) -> None:
    assert _problems(french, LOCALIZATION_SCHEMA) == []
    assert french["$schema"] == (
        "https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/"
        "MicrosoftTeams.Localization.schema.json"
    )


def _at(document: Any, key: str) -> Any:
    """The value a localization key like `bots[0].commandLists[1].commands[2].title` names."""
    for part in key.split("."):
        name, *indexes = re.findall(r"[^\[\]]+", part)
        document = document[name]
        for index in indexes:
            document = document[int(index)]
    return document


def test_every_french_string_translates_an_english_one(
    manifest: dict[str, Any], french: dict[str, Any]
) -> None:
    keys = [key for key in french if key != "$schema"]
    for key in keys:
        english = _at(manifest, key)
        assert isinstance(english, str), key
        assert french[key].strip(), key
    titles = [key for key in keys if key.endswith(".title")]
    # Every command, in every list, and the search command with its parameter.
    assert len(titles) == sum(len(e["commands"]) for e in manifest["bots"][0]["commandLists"]) + 2
    assert french["composeExtensions[0].commands[0].title"] == "Chercher des sessions"
    for key in titles:
        assert len(french[key]) <= tp.MAX_COMMAND_TITLE, key
    for key in keys:
        if key.endswith(".description") and not key.startswith("description"):
            assert len(french[key]) <= tp.MAX_COMMAND_DESCRIPTION, key


# --- the package and its icons ---------------------------------------------------------------


def _decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, channels and unfiltered rows of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks: list[tuple[bytes, bytes]] = []
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + predictor) & 0xFF
            else:
                assert kind == 0, f"unknown filter {kind}"
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def _pixels(rows: list[bytes], channels: int) -> list[tuple[int, ...]]:
    return [tuple(row[i : i + channels]) for row in rows for i in range(0, len(row), channels)]


def test_package_holds_exactly_the_manifest_icons_and_french(options: tp.PackageOptions) -> None:
    with zipfile.ZipFile(io.BytesIO(tp.build_package(options))) as archive:
        assert archive.namelist() == FILES
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_color_icon_is_192_square_in_the_brand_colour_with_a_white_glyph(
    package: dict[str, bytes],
) -> None:
    width, height, channels, rows = _decode_png(package["color.png"])
    assert (width, height) == (192, 192)
    pixels = _pixels(rows, channels)
    brand = (0x4B, 0x53, 0xBC)
    assert pixels[0][:3] == pixels[-1][:3] == brand  # solid background to the corners
    assert channels == 3 or all(pixel[3] == 255 for pixel in pixels)  # opaque
    colours = {pixel[:3] for pixel in pixels}
    assert colours == {brand, (255, 255, 255)}
    white = sum(pixel[:3] == (255, 255, 255) for pixel in pixels)
    assert 0.15 < white / len(pixels) < 0.6


def test_outline_icon_is_32_square_white_on_transparent(package: dict[str, bytes]) -> None:
    width, height, channels, rows = _decode_png(package["outline.png"])
    assert (width, height) == (32, 32)
    assert channels == 4, "the outline icon needs an alpha channel"
    pixels = _pixels(rows, channels)
    for pixel in pixels:
        assert pixel[3] == 0 or pixel == (255, 255, 255, 255), pixel
    opaque = sum(pixel[3] == 255 for pixel in pixels)
    assert 0.1 < opaque / len(pixels) < 0.6
    assert pixels[0][3] == pixels[31][3] == 0  # transparent corners


def test_same_inputs_give_the_same_bytes(options: tp.PackageOptions) -> None:
    first = tp.build_package(options)
    assert tp.build_package(tp.package_options(app_id=APP_ID, endpoint=ENDPOINT)) == first
    other = tp.package_options(app_id=APP_ID, endpoint=ENDPOINT, version="1.0.1")
    assert tp.build_package(other) != first


# --- checking inputs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--app-id", "hallway"], "--app-id 'hallway' is not a GUID"),
        (["--app-id", APP_ID + "0"], "is not a GUID"),
        (["--app-id", "{" + APP_ID + "}"], "is not a GUID"),
        (
            ["--endpoint", "http://hallway.example.org/api/messages"],
            "Teams only calls bots over https",
        ),
        (["--endpoint", "hallway.example.org/api/messages"], "is not an https URL"),
        (["--endpoint", "https:///api/messages"], "is not an https URL"),
        (["--endpoint", "https://localhost:3978/api/messages"], "Teams cannot reach"),
        (["--endpoint", "https://example.org:99999/api/messages"], "is not a URL"),
        (["--version", "1.0"], "is not MAJOR.MINOR.PATCH"),
        (["--version", "v1.0.0"], "is not MAJOR.MINOR.PATCH"),
        (["--name", "A conference guide named Hallway"], "Teams allows at most 30"),
        (["--name", "  "], "--name must not be empty"),
        (["--short-description", "x" * 81], "Teams allows at most 80"),
        (["--privacy-url", "http://example.org/privacy"], "must be an https URL"),
    ],
)
def test_bad_input_exits_2_and_says_what_is_wrong(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "package.zip"
    base = {"--app-id": APP_ID, "--endpoint": ENDPOINT, "--out": str(out)}
    base.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    assert tp.main([item for pair in base.items() for item in pair]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert not out.exists()


def test_every_problem_is_reported_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        tp.main(["--app-id", "x", "--endpoint", "http://h.org/api/messages", "--version", "1"]) == 2
    )
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("teams_package: error: ") for line in lines)


def test_english_only_description_is_used_for_french_too() -> None:
    options = tp.package_options(
        app_id=APP_ID, endpoint=ENDPOINT, short_description="The WPC 2016 guide"
    )
    assert options.short_description_fr == "The WPC 2016 guide"
    assert options.full_description_fr == tp.FULL_DESCRIPTION_FR
    both = tp.package_options(
        app_id=APP_ID,
        endpoint=ENDPOINT,
        short_description="The WPC 2016 guide",
        short_description_fr="Le guide de la WPC 2016",
    )
    assert tp.build_localization_fr(both)["description.short"] == "Le guide de la WPC 2016"


def test_unwritable_out_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing" / "package.zip"
    assert tp.main(["--app-id", APP_ID, "--endpoint", ENDPOINT, "--out", str(out)]) == 1
    assert f"cannot write {out}" in capsys.readouterr().err


# --- the command, as an operator runs it -----------------------------------------------------


def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot.teams_package", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_command_writes_the_zip_in_the_current_directory(tmp_path: Path) -> None:
    result = _run("--app-id", APP_ID, "--endpoint", ENDPOINT, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "hallway-teams.zip"
    assert result.stdout.count("\n") == 1
    assert str(out) in result.stdout and APP_ID in result.stdout and ENDPOINT in result.stdout
    assert result.stderr == ""
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == FILES
        assert _problems(json.loads(archive.read("manifest.json")), MANIFEST_SCHEMA) == []


@pytest.mark.slow
def test_command_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    outputs = []
    for name in ("first.zip", "second.zip"):
        result = _run("--app-id", APP_ID, "--endpoint", ENDPOINT, "--out", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--app-id", "my-bot", "--endpoint", ENDPOINT], "--app-id 'my-bot' is not a GUID"),
        (
            ["--app-id", APP_ID, "--endpoint", "http://hallway.example.org/api/messages"],
            "uses http: Teams only calls bots over https",
        ),
    ],
)
def test_command_refuses_bad_input_with_exit_2(
    arguments: list[str], message: str, tmp_path: Path
) -> None:
    result = _run(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_command_notes_an_endpoint_that_is_not_the_messages_route(tmp_path: Path) -> None:
    result = _run("--app-id", APP_ID, "--endpoint", "https://hallway.example.org/", cwd=tmp_path)
    assert result.returncode == 0
    assert "note: Hallway answers on /api/messages" in result.stderr
