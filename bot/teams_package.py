"""The Microsoft Teams app package: the zip an administrator uploads to install Hallway.

    python -m bot.teams_package --app-id 00000000-0000-0000-0000-000000000000 \\
        --endpoint https://hallway.example.org/api/messages [--out hallway-teams.zip]

The zip holds `manifest.json` (manifest schema 1.29), `color.png` (192×192), `outline.png`
(32×32, white on transparent) and `fr.json` (the French strings). Everything is built by pure
functions here (the manifest as a dict, the icons as PNG bytes, the zip as bytes) and the same
inputs always give a byte-identical zip.

The icons are drawn with integer geometry and written as PNG with the standard library only.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST_VERSION = "1.29"
MANIFEST_SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}"
    "/MicrosoftTeams.schema.json"
)
LOCALIZATION_SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}"
    "/MicrosoftTeams.Localization.schema.json"
)

MANIFEST_FILE = "manifest.json"
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
COLOR_SIZE = 192
OUTLINE_SIZE = 32

# Teams falls back from the user's "fr-ca" or "fr-fr" to "fr", so a language-only file reaches
# every French-speaking attendee.
DEFAULT_LANGUAGE = "en"
FRENCH = "fr"
FRENCH_FILE = "fr.json"

BRAND = "#4B53BC"
WHITE = (255, 255, 255)

SEARCH_COMMAND = "searchCmd"
SEARCH_PARAMETER = "searchKeywords"

DEFAULT_OUT = "hallway-teams.zip"
DEFAULT_NAME = "Hallway"
DEFAULT_VERSION = "1.0.0"
PROJECT_URL = "https://github.com/hallway-bot/hallway"
DEFAULT_PRIVACY_URL = f"{PROJECT_URL}#privacy"
DEFAULT_TERMS_URL = f"{PROJECT_URL}#licence"

# Limits Teams enforces on the strings of the manifest.
MAX_SHORT_NAME = 30
MAX_FULL_NAME = 100
MAX_SHORT_DESCRIPTION = 80
MAX_FULL_DESCRIPTION = 4000
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_SEMVER = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """An input the package cannot be built from; the message says which and why."""


@dataclass(frozen=True, slots=True)
class BotCommand:
    """One entry of the bot's command menu, in English and French. Teams sends the title
    as the message text, so both titles must be questions the bot understands."""

    title: str
    description: str
    title_fr: str
    description_fr: str
    personal_only: bool = False
    """Shortlists are private: their commands are offered in the personal chat only."""


COMMANDS: tuple[BotCommand, ...] = (
    BotCommand(
        "what's on now",
        "The sessions under way right now",
        "en ce moment",
        "Les sessions en cours",
    ),
    BotCommand(
        "what's next",
        "The sessions starting next",
        "et ensuite",
        "Les prochaines sessions",
    ),
    BotCommand(
        "after the keynote",
        "What's on once the keynote ends (or after any session you name)",
        "après la plénière",
        "Ce qui suit la plénière (ou toute autre session que vous nommez)",
    ),
    BotCommand(
        "show my shortlist",
        "Your shortlisted sessions, day by day",
        "ma sélection",
        "Vos sessions retenues, jour par jour",
        personal_only=True,
    ),
    BotCommand(
        "export my shortlist",
        "Your shortlist as a calendar file for Outlook, Google or Apple Calendar",
        "exporte ma sélection",
        "Votre sélection en fichier d'agenda pour Outlook, Google ou Apple Calendrier",
        personal_only=True,
    ),
    BotCommand(
        "help",
        "What you can ask Hallway, in English or French",
        "aide",
        "Ce que vous pouvez demander à Hallway, en français ou en anglais",
    ),
)

# One command list per scope, as Teams recommends; the index is the one `fr.json` refers to.
SCOPES: tuple[str, ...] = ("personal", "team", "groupChat")

SEARCH_TITLE = "Search sessions"
SEARCH_DESCRIPTION = "Find sessions by title, topic, speaker or room and share one"
SEARCH_PARAMETER_TITLE = "Keywords"
SEARCH_PARAMETER_DESCRIPTION = "A title, topic, speaker or room, e.g. SMB"
SEARCH_TITLE_FR = "Chercher des sessions"
SEARCH_DESCRIPTION_FR = "Trouvez une session par titre, sujet, intervenant ou salle, et partagez-la"
SEARCH_PARAMETER_TITLE_FR = "Mots-clés"
SEARCH_PARAMETER_DESCRIPTION_FR = "Un titre, un sujet, un intervenant ou une salle, par ex. SMB"

SHORT_DESCRIPTION = (
    "Ask what's on now, next or after the keynote; keep a private session shortlist."
)
FULL_DESCRIPTION = (
    "Hallway is your guide to the conference agenda, right in Teams. Ask it in plain English "
    'or French: "what\'s on now?", "what\'s next?", "what\'s on after the keynote?", '
    '"anything about cloud this afternoon?", or just type a title, a topic or a speaker. '
    "It answers from the conference's own session catalogue with session cards, gives times in "
    "the conference's time zone and copes with typos.\n\n"
    'In a personal chat, keep a private shortlist: tap "Add to my shortlist" on any session, '
    'say "show my shortlist" to see it day by day, or "export my shortlist" to get a calendar '
    "file for Outlook, Google or Apple Calendar.\n\n"
    "In team channels and group chats, @mention Hallway to look at the agenda together. From "
    "the message box, search the sessions and drop a session card into any conversation."
)
SHORT_DESCRIPTION_FR = "Ce qui se passe maintenant, ensuite, après la plénière ; votre sélection."
FULL_DESCRIPTION_FR = (
    "Hallway est votre guide du programme de la conférence, directement dans Teams. "
    "Posez-lui vos questions en français ou en anglais : « qu'est-ce qu'il y a en ce moment ? », "
    "« et ensuite ? », « qu'est-ce qu'il y a après la plénière ? », « quelque chose sur le "
    "cloud cet après-midi ? », ou tapez simplement un titre, un sujet ou un nom. Il répond à "
    "partir du programme officiel de la conférence avec des cartes de session, donne les heures "
    "dans le fuseau horaire de la conférence et tolère les fautes de frappe.\n\n"
    "En conversation privée, gardez votre sélection personnelle : touchez « Ajouter à ma "
    "sélection » sur une session, dites « ma sélection » pour la voir jour par jour, ou "
    "« exporte ma sélection » pour obtenir un fichier d'agenda pour Outlook, Google ou Apple "
    "Calendrier.\n\n"
    "Dans les canaux d'équipe et les conversations de groupe, mentionnez @Hallway pour consulter "
    "le programme ensemble. Depuis la zone de message, cherchez une session et insérez sa carte "
    "dans n'importe quelle conversation."
)


@dataclass(frozen=True, slots=True)
class PackageOptions:
    """Everything the package is built from, already checked (see `package_options`)."""

    app_id: str
    endpoint: str
    host: str
    version: str = DEFAULT_VERSION
    name: str = DEFAULT_NAME
    full_name: str = ""
    short_description: str = SHORT_DESCRIPTION
    full_description: str = FULL_DESCRIPTION
    short_description_fr: str = SHORT_DESCRIPTION_FR
    full_description_fr: str = FULL_DESCRIPTION_FR
    website_url: str = PROJECT_URL
    privacy_url: str = DEFAULT_PRIVACY_URL
    terms_url: str = DEFAULT_TERMS_URL

    @property
    def full_name_en(self) -> str:
        return self.full_name or f"{self.name} – your conference guide"

    @property
    def full_name_fr(self) -> str:
        return self.full_name or f"{self.name} – votre guide de la conférence"


# --- checking the inputs ---------------------------------------------------------------------


def check_app_id(value: str) -> str:
    """The Microsoft App ID of the Azure Bot, as a lowercase GUID."""
    text = value.strip()
    if not _GUID.fullmatch(text):
        raise PackageError(
            f"--app-id {value!r} is not a GUID: use the Microsoft App ID of the Azure Bot "
            "registration, like 0b4f1a3e-2c5d-4e6f-8a9b-1c2d3e4f5a6b "
            "(Azure portal > your Azure Bot > Configuration > Microsoft App ID)"
        )
    return text.lower()


def check_endpoint(value: str) -> str:
    """The host of the bot's public messaging endpoint (https only), for `validDomains`."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (reading it rejects a malformed port)
    except ValueError as error:
        raise PackageError(f"--endpoint {value!r} is not a URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme == "http":
        raise PackageError(
            f"--endpoint {value!r} uses http: Teams only calls bots over https. "
            "Give the public https URL of /api/messages; for a bot on your laptop, "
            "use an https tunnel (for example Microsoft dev tunnels or ngrok)"
        )
    host = (parts.hostname or "").lower()
    if scheme != "https" or not host:
        raise PackageError(
            f"--endpoint {value!r} is not an https URL: give the bot's public messaging "
            "endpoint, like https://hallway.example.org/api/messages"
        )
    if host == "localhost" or host.endswith(".localhost") or host.startswith("127."):
        raise PackageError(
            f"--endpoint {value!r} points at this machine, which Teams cannot reach: "
            "give the public https URL (or an https tunnel to this machine)"
        )
    return host


def check_version(value: str) -> str:
    if not _SEMVER.fullmatch(value):
        raise PackageError(
            f"--version {value!r} is not MAJOR.MINOR.PATCH (like 1.0.0); raise it each time "
            "you upload a changed package"
        )
    return value


def check_url(flag: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise PackageError(f"{flag} {value!r} must be an https URL")
    return value


def check_text(flag: str, value: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise PackageError(f"{flag} must not be empty")
    if len(text) > limit:
        raise PackageError(
            f"{flag} is {len(text)} characters long; Teams allows at most {limit}: {text!r}"
        )
    return text


def package_options(
    *,
    app_id: str,
    endpoint: str,
    version: str = DEFAULT_VERSION,
    name: str = DEFAULT_NAME,
    full_name: str = "",
    short_description: str | None = None,
    full_description: str | None = None,
    short_description_fr: str | None = None,
    full_description_fr: str | None = None,
    website_url: str = PROJECT_URL,
    privacy_url: str = DEFAULT_PRIVACY_URL,
    terms_url: str = DEFAULT_TERMS_URL,
) -> PackageOptions:
    """Check every input; a `PackageError` lists every problem, one per line.

    A description given in English only is used for French too, rather than leaving French
    users with the stock text about something else."""
    short_en = SHORT_DESCRIPTION if short_description is None else short_description
    full_en = FULL_DESCRIPTION if full_description is None else full_description
    if short_description_fr is None:
        short_description_fr = SHORT_DESCRIPTION_FR if short_description is None else short_en
    if full_description_fr is None:
        full_description_fr = FULL_DESCRIPTION_FR if full_description is None else full_en
    problems: list[str] = []

    def checked(check: Callable[..., str], *args: Any) -> str:
        try:
            return check(*args)
        except PackageError as error:
            problems.append(str(error))
            return ""

    options = PackageOptions(
        app_id=checked(check_app_id, app_id),
        endpoint=endpoint.strip(),
        host=checked(check_endpoint, endpoint),
        version=checked(check_version, version),
        name=checked(check_text, "--name", name, MAX_SHORT_NAME),
        full_name=checked(check_text, "--full-name", full_name, MAX_FULL_NAME) if full_name else "",
        short_description=checked(
            check_text, "--short-description", short_en, MAX_SHORT_DESCRIPTION
        ),
        full_description=checked(check_text, "--description", full_en, MAX_FULL_DESCRIPTION),
        short_description_fr=checked(
            check_text, "--short-description-fr", short_description_fr, MAX_SHORT_DESCRIPTION
        ),
        full_description_fr=checked(
            check_text, "--description-fr", full_description_fr, MAX_FULL_DESCRIPTION
        ),
        website_url=checked(check_url, "--website-url", website_url),
        privacy_url=checked(check_url, "--privacy-url", privacy_url),
        terms_url=checked(check_url, "--terms-url", terms_url),
    )
    if not full_name and options.name:
        checked(check_text, "--name (in the full name)", options.full_name_en, MAX_FULL_NAME)
        checked(check_text, "--name (in the French full name)", options.full_name_fr, MAX_FULL_NAME)
    if problems:
        raise PackageError("\n".join(problems))
    return options


# --- the manifest ----------------------------------------------------------------------------


def scope_commands(scope: str) -> tuple[BotCommand, ...]:
    """The commands offered in one scope: shortlist commands only where the list is shown."""
    return tuple(c for c in COMMANDS if scope == "personal" or not c.personal_only)


def build_manifest(options: PackageOptions) -> dict[str, Any]:
    """The Teams app manifest (schema 1.29), English strings; French ones are in `fr.json`."""
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": options.version,
        "id": options.app_id,
        "localizationInfo": {
            "defaultLanguageTag": DEFAULT_LANGUAGE,
            "additionalLanguages": [{"languageTag": FRENCH, "file": FRENCH_FILE}],
        },
        "developer": {
            "name": DEFAULT_NAME,
            "websiteUrl": options.website_url,
            "privacyUrl": options.privacy_url,
            "termsOfUseUrl": options.terms_url,
        },
        "name": {"short": options.name, "full": options.full_name_en},
        "description": {"short": options.short_description, "full": options.full_description},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": BRAND,
        "bots": [
            {
                "botId": options.app_id,
                "scopes": list(SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": [scope],
                        "commands": [
                            {"title": c.title, "description": c.description}
                            for c in scope_commands(scope)
                        ],
                    }
                    for scope in SCOPES
                ],
            }
        ],
        "composeExtensions": [
            {
                "botId": options.app_id,
                "commands": [
                    {
                        "id": SEARCH_COMMAND,
                        "type": "query",
                        "title": SEARCH_TITLE,
                        "description": SEARCH_DESCRIPTION,
                        "initialRun": True,
                        "context": ["compose", "commandBox"],
                        "parameters": [
                            {
                                "name": SEARCH_PARAMETER,
                                "title": SEARCH_PARAMETER_TITLE,
                                "description": SEARCH_PARAMETER_DESCRIPTION,
                                "inputType": "text",
                            }
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [options.host],
    }


def build_localization_fr(options: PackageOptions) -> dict[str, Any]:
    """`fr.json`: the French strings, keyed by their place in `build_manifest`'s output."""
    strings: dict[str, Any] = {
        "$schema": LOCALIZATION_SCHEMA,
        "name.short": options.name,
        "name.full": options.full_name_fr,
        "description.short": options.short_description_fr,
        "description.full": options.full_description_fr,
    }
    for list_index, scope in enumerate(SCOPES):
        for index, command in enumerate(scope_commands(scope)):
            key = f"bots[0].commandLists[{list_index}].commands[{index}]"
            strings[f"{key}.title"] = command.title_fr
            strings[f"{key}.description"] = command.description_fr
    search = "composeExtensions[0].commands[0]"
    strings[f"{search}.title"] = SEARCH_TITLE_FR
    strings[f"{search}.description"] = SEARCH_DESCRIPTION_FR
    strings[f"{search}.parameters[0].title"] = SEARCH_PARAMETER_TITLE_FR
    strings[f"{search}.parameters[0].description"] = SEARCH_PARAMETER_DESCRIPTION_FR
    return strings


# --- the icons -------------------------------------------------------------------------------

Pixel = tuple[int, ...]
Painter = Callable[[int, int], Pixel]


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def _in_box(x: int, y: int, left: int, top: int, right: int, bottom: int) -> bool:
    """Whether pixel (x, y) lies in the half-open box [left, right) × [top, bottom)."""
    return left <= x < right and top <= y < bottom


def _in_rounded_box(
    x: int, y: int, left: int, top: int, right: int, bottom: int, radius: int
) -> bool:
    """Whether the centre of pixel (x, y) lies in the box with rounded corners. Exact integer
    arithmetic on doubled coordinates (a pixel's centre is at x + ½)."""
    if not _in_box(x, y, left, top, right, bottom):
        return False
    px, py = 2 * x + 1, 2 * y + 1
    cx = min(max(px, 2 * (left + radius)), 2 * (right - radius))
    cy = min(max(py, 2 * (top + radius)), 2 * (bottom - radius))
    return (px - cx) ** 2 + (py - cy) ** 2 <= (2 * radius) ** 2


def _in_triangle(x: int, y: int, corners: tuple[tuple[int, int], ...]) -> bool:
    """Whether the centre of pixel (x, y) lies in the triangle (corners on pixel corners)."""
    px, py = 2 * x + 1, 2 * y + 1
    signs = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        signs.append((2 * bx - 2 * ax) * (py - 2 * ay) - (2 * by - 2 * ay) * (px - 2 * ax))
    return all(s >= 0 for s in signs) or all(s <= 0 for s in signs)


def _in_letter_h(x: int, y: int, left: int, top: int, right: int, bottom: int, stem: int) -> bool:
    middle = (top + bottom) // 2
    return (
        _in_box(x, y, left, top, left + stem, bottom)
        or _in_box(x, y, right - stem, top, right, bottom)
        or _in_box(x, y, left, middle - stem // 2, right, middle + stem - stem // 2)
    )


def _color_pixel(x: int, y: int) -> Pixel:
    """192×192: a white speech bubble with a brand-coloured H, on the brand colour."""
    bubble = _in_rounded_box(x, y, 28, 36, 164, 132, 28) or _in_triangle(
        x, y, ((50, 124), (90, 124), (42, 162))
    )
    if bubble and not _in_letter_h(x, y, 66, 58, 126, 110, 16):
        return WHITE
    return _hex_rgb(BRAND)


def _outline_pixel(x: int, y: int) -> Pixel:
    """32×32: the same bubble and H as white strokes; everything else transparent white."""
    ring = _in_rounded_box(x, y, 2, 3, 30, 23, 6) and not _in_rounded_box(x, y, 4, 5, 28, 21, 4)
    tail = _in_triangle(x, y, ((7, 21), (13, 21), (5, 29)))
    glyph = _in_letter_h(x, y, 10, 8, 22, 18, 2)
    return (*WHITE, 255 if ring or tail or glyph else 0)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(width: int, height: int, painter: Painter, *, alpha: bool) -> bytes:
    """A PNG (8 bits per channel, RGB or RGBA, no filtering) of `painter(x, y)` pixels."""
    channels = 4 if alpha else 3
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            pixel = painter(x, y)
            if len(pixel) != channels:
                raise ValueError(f"pixel ({x}, {y}) has {len(pixel)} channels, not {channels}")
            rows.extend(pixel)
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


def color_icon() -> bytes:
    """The 192×192 full-colour icon."""
    return encode_png(COLOR_SIZE, COLOR_SIZE, _color_pixel, alpha=False)


def outline_icon() -> bytes:
    """The 32×32 outline icon: white strokes on a transparent background."""
    return encode_png(OUTLINE_SIZE, OUTLINE_SIZE, _outline_pixel, alpha=True)


# --- the zip ---------------------------------------------------------------------------------


def _json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def package_files(options: PackageOptions) -> dict[str, bytes]:
    """The files of the package, by name, in the order they are zipped."""
    return {
        MANIFEST_FILE: _json_bytes(build_manifest(options)),
        COLOR_ICON: color_icon(),
        OUTLINE_ICON: outline_icon(),
        FRENCH_FILE: _json_bytes(build_localization_fr(options)),
    }


def build_package(options: PackageOptions) -> bytes:
    """The zip, byte for byte the same for the same options (fixed times and attributes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in package_files(options).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


# --- the command -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.teams_package",
        description="Build the Microsoft Teams app package (zip) for Hallway, to upload in the "
        "Teams admin center or with 'Upload a custom app'.",
    )
    parser.add_argument(
        "--app-id",
        required=True,
        help="the Microsoft App ID (a GUID) of the Azure Bot; also the Teams app id",
    )
    parser.add_argument(
        "--endpoint",
        required=True,
        help="the bot's public https messaging endpoint, e.g. https://hallway.example.org/api/messages",
    )
    parser.add_argument(
        "--out", default=DEFAULT_OUT, help=f"zip to write (default: ./{DEFAULT_OUT})"
    )
    parser.add_argument(
        "--version",
        default=DEFAULT_VERSION,
        help="app version MAJOR.MINOR.PATCH, raised for every new upload "
        f"(default {DEFAULT_VERSION})",
    )
    parser.add_argument(
        "--name",
        default=DEFAULT_NAME,
        help=f"short app name, at most {MAX_SHORT_NAME} characters (default {DEFAULT_NAME})",
    )
    parser.add_argument(
        "--full-name",
        default="",
        help=f"full app name, at most {MAX_FULL_NAME} characters "
        "(default: NAME – your conference guide)",
    )
    parser.add_argument(
        "--short-description",
        help=f"English short description, at most {MAX_SHORT_DESCRIPTION} characters",
    )
    parser.add_argument(
        "--description",
        help=f"English full description, at most {MAX_FULL_DESCRIPTION} characters",
    )
    parser.add_argument(
        "--short-description-fr",
        help="French short description (default: the stock French text, or the English "
        "--short-description when that is given)",
    )
    parser.add_argument(
        "--description-fr",
        help="French full description (default: the stock French text, or the English "
        "--description when that is given)",
    )
    parser.add_argument("--website-url", default=PROJECT_URL, help="developer website (https)")
    parser.add_argument("--privacy-url", default=DEFAULT_PRIVACY_URL, help="privacy statement")
    parser.add_argument("--terms-url", default=DEFAULT_TERMS_URL, help="terms of use")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        options = package_options(
            app_id=args.app_id,
            endpoint=args.endpoint,
            version=args.version,
            name=args.name,
            full_name=args.full_name,
            short_description=args.short_description,
            full_description=args.description,
            short_description_fr=args.short_description_fr,
            full_description_fr=args.description_fr,
            website_url=args.website_url,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
        )
    except PackageError as error:
        for problem in str(error).splitlines():
            sys.stderr.write(f"teams_package: error: {problem}\n")
        return 2
    if not urlsplit(options.endpoint).path.rstrip("/").endswith("/api/messages"):
        sys.stderr.write(
            f"teams_package: note: Hallway answers on /api/messages; check that "
            f"{options.endpoint} reaches it\n"
        )
    out = Path(args.out)
    try:
        out.write_bytes(build_package(options))
    except OSError as error:
        sys.stderr.write(f"teams_package: error: cannot write {out}: {error.strerror}\n")
        return 1
    sys.stdout.write(
        f"Wrote {out.resolve()}: Teams app package for {options.name} {options.version} "
        f"(app and bot id {options.app_id}, manifest {MANIFEST_VERSION}, English and French); "
        f"set the Azure Bot's messaging endpoint to {options.endpoint}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
