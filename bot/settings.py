"""Settings from command-line flags and the environment, read once and checked loudly.

Every flag has an environment variable of the same meaning; a flag wins over the variable.
The environment is an injected mapping so tests never touch `os.environ`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogue.importers import FORMATS

DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue" / "data" / "wpc2016.json"
DEFAULT_STORAGE = "sqlite:///data/hallway.sqlite3"
DEFAULT_PORT = 3978
DEFAULT_MAX_BODY = 256 * 1024
DEFAULT_POLL_SECONDS = 2.0
DEFAULT_NUDGE_TICK_SECONDS = 5.0
DEFAULT_NUDGE_RATE = 30.0
DEFAULT_NUDGE_CONVERSATION_RATE = 7.0
DEFAULT_NUDGE_LEAD_MINUTES = 10.0
DEFAULT_NOTICE_DEBOUNCE_SECONDS = 120.0
DEFAULT_DIGEST_TIME = "08:00"
DEFAULT_DIRECT_LINE_ENDPOINT = "https://directline.botframework.com/v3/directline"
WEBCHAT_BUNDLES = ("cdn", "local")
MAX_WORKERS = 64


class SettingsError(ValueError):
    """A setting has a value Hallway cannot use; the message names the flag and variable."""


@dataclass(frozen=True)
class BotCredentials:
    """The standard Bot Framework settings, under botbuilder's attribute names."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""
    # Where inbound tokens are checked; overridable so tests can serve their own keys.
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    CHANNEL_SERVICE: str | None = None
    """The US Government cloud's channel service URL, for bots registered there."""

    @property
    def enabled(self) -> bool:
        return bool(self.APP_ID)


@dataclass(frozen=True)
class Settings:
    catalogue: Path = DEMO_CATALOGUE
    catalogue_format: str | None = None
    timezone: ZoneInfo | None = None
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    workers: int = 1
    """Processes serving the port (one per core); more than one needs SQLite or PostgreSQL."""
    storage_url: str = DEFAULT_STORAGE
    now: datetime | None = None
    first_day: date | None = None
    admin_token: str = ""
    public_url: str = ""
    """Where attendees reach the bot's own pages (download links); default http://localhost:PORT."""
    catalogue_poll_seconds: float = DEFAULT_POLL_SECONDS
    max_body_bytes: int = DEFAULT_MAX_BODY
    log_level: str = "INFO"
    credentials: BotCredentials = field(default_factory=BotCredentials)
    direct_line_secret: str = ""
    """Azure Bot Direct Line channel secret; only ever used server-side (bot/webchat)."""
    direct_line_endpoint: str = DEFAULT_DIRECT_LINE_ENDPOINT
    webchat_allowed_origins: tuple[str, ...] = ()
    webchat_public: bool = False
    """Let the local Direct Line answer other machines than this one."""
    webchat_bundle: str = ""
    """`cdn` or `local`; empty: `local` with the local Direct Line, else `cdn`."""
    nudge_tick_seconds: float = DEFAULT_NUDGE_TICK_SECONDS
    """How often the nudge dispatcher looks for due nudges; 0 turns sending off."""
    nudge_rate: float = DEFAULT_NUDGE_RATE
    """Nudges a second for the whole bot (Teams: about 30-50 per tenant)."""
    nudge_conversation_rate: float = DEFAULT_NUDGE_CONVERSATION_RATE
    """Nudges a second to one conversation (Teams: about 7)."""
    nudge_lead_minutes: float = DEFAULT_NUDGE_LEAD_MINUTES
    """How long before a shortlisted session its nudge is due."""
    notice_debounce_seconds: float = DEFAULT_NOTICE_DEBOUNCE_SECONDS
    """Agenda edits this close together make one schedule-change notice per attendee."""
    digest_time: time = time(8, 0)
    """Local time (conference zone) of the morning summary, for attendees who ask for it."""

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://localhost:{self.port}"

    @classmethod
    def from_sources(cls, argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
        args = _parser(environ).parse_args(list(argv))
        timezone = _zone(args.timezone) if args.timezone else None
        return cls(
            catalogue=Path(args.catalogue) if args.catalogue else DEMO_CATALOGUE,
            catalogue_format=args.format or None,
            timezone=timezone,
            host=args.host,
            port=_int(args.port, "--port / PORT", minimum=0, maximum=65535),
            workers=_workers(args.workers, args.storage),
            storage_url=args.storage,
            now=_instant(args.now, timezone) if args.now else None,
            first_day=_date(args.first_day) if args.first_day else None,
            admin_token=environ.get("ADMIN_TOKEN", ""),
            public_url=environ.get("PUBLIC_URL", "").rstrip("/"),
            catalogue_poll_seconds=_seconds(
                environ.get("CATALOGUE_POLL_SECONDS", str(DEFAULT_POLL_SECONDS)),
                "CATALOGUE_POLL_SECONDS",
            ),
            max_body_bytes=_int(
                environ.get("MAX_BODY_BYTES", str(DEFAULT_MAX_BODY)), "MAX_BODY_BYTES", minimum=1
            ),
            log_level=environ.get("LOG_LEVEL", "INFO").upper(),
            credentials=BotCredentials(
                APP_ID=environ.get("MicrosoftAppId", ""),
                APP_PASSWORD=environ.get("MicrosoftAppPassword", ""),
                APP_TYPE=environ.get("MicrosoftAppType", "") or "MultiTenant",
                APP_TENANTID=environ.get("MicrosoftAppTenantId", ""),
                TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=environ.get(
                    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL"
                ),
                TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=environ.get("TO_BOT_FROM_CHANNEL_TOKEN_ISSUER"),
                TO_CHANNEL_FROM_BOT_LOGIN_URL=_login_url(environ),
                TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=environ.get("TO_CHANNEL_FROM_BOT_OAUTH_SCOPE"),
                CHANNEL_SERVICE=environ.get("CHANNEL_SERVICE"),
            ),
            direct_line_secret=environ.get("DIRECT_LINE_SECRET", ""),
            direct_line_endpoint=_http_url(
                environ.get("DIRECT_LINE_ENDPOINT") or DEFAULT_DIRECT_LINE_ENDPOINT,
                "DIRECT_LINE_ENDPOINT",
            ),
            webchat_allowed_origins=_origins(environ.get("WEBCHAT_ALLOWED_ORIGINS", "")),
            webchat_public=_flag(environ.get("WEBCHAT_PUBLIC", ""), "WEBCHAT_PUBLIC"),
            webchat_bundle=_choice(
                environ.get("WEBCHAT_BUNDLE", ""), WEBCHAT_BUNDLES, "WEBCHAT_BUNDLE"
            ),
            nudge_tick_seconds=_seconds(
                environ.get("NUDGE_TICK_SECONDS", str(DEFAULT_NUDGE_TICK_SECONDS)),
                "NUDGE_TICK_SECONDS",
            ),
            nudge_rate=_rate(environ.get("NUDGE_RATE", str(DEFAULT_NUDGE_RATE)), "NUDGE_RATE"),
            nudge_conversation_rate=_rate(
                environ.get("NUDGE_CONVERSATION_RATE", str(DEFAULT_NUDGE_CONVERSATION_RATE)),
                "NUDGE_CONVERSATION_RATE",
            ),
            nudge_lead_minutes=_seconds(
                environ.get("NUDGE_LEAD_MINUTES", str(DEFAULT_NUDGE_LEAD_MINUTES)),
                "NUDGE_LEAD_MINUTES",
            ),
            notice_debounce_seconds=_seconds(
                environ.get("NOTICE_DEBOUNCE_SECONDS", str(DEFAULT_NOTICE_DEBOUNCE_SECONDS)),
                "NOTICE_DEBOUNCE_SECONDS",
            ),
            digest_time=_time_of_day(
                environ.get("DIGEST_TIME") or DEFAULT_DIGEST_TIME, "DIGEST_TIME"
            ),
        )


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise SettingsError(message)


def _parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="app.py", description="Hallway, the conference attendee bot (Bot Framework)."
    )
    parser.add_argument(
        "--catalogue",
        default=environ.get("CATALOGUE"),
        help="agenda file (env CATALOGUE); default: the bundled WPC 2016 demo agenda",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=environ.get("CATALOGUE_FORMAT") or None,
        help="agenda format (env CATALOGUE_FORMAT); default: detected from the content",
    )
    parser.add_argument(
        "--timezone",
        default=environ.get("CONFERENCE_TIMEZONE"),
        help="conference time zone, e.g. Europe/Paris, for agendas that state none "
        "(env CONFERENCE_TIMEZONE)",
    )
    parser.add_argument(
        "--first-day",
        default=environ.get("CATALOGUE_FIRST_DAY") or None,
        help="date of the first day (YYYY-MM-DD), for agendas that name days only by weekday "
        "(env CATALOGUE_FIRST_DAY)",
    )
    parser.add_argument("--host", default=environ.get("HOST", "0.0.0.0"), help="(env HOST)")
    parser.add_argument(
        "--port", default=environ.get("PORT", str(DEFAULT_PORT)), help="(env PORT) default 3978"
    )
    parser.add_argument(
        "--workers",
        default=environ.get("WORKERS", "1"),
        help="processes serving the port, e.g. one per core, or 'auto' for one per core "
        "(env WORKERS) default 1",
    )
    parser.add_argument(
        "--storage",
        default=environ.get("STORAGE_URL") or DEFAULT_STORAGE,
        help="sqlite:///path, postgresql://… or memory:// (env STORAGE_URL); "
        f"default {DEFAULT_STORAGE}",
    )
    parser.add_argument(
        "--now",
        default=environ.get("CONFERENCE_NOW") or None,
        help="rehearsal: start the clock at this ISO instant, e.g. 2016-07-11T09:30 "
        "(env CONFERENCE_NOW); local times are in the conference time zone",
    )
    return parser


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(
            f"--timezone / CONFERENCE_TIMEZONE: unknown time zone {name!r} "
            "(use an IANA name such as Europe/Paris)"
        ) from error


def _int(value: str, name: str, *, minimum: int, maximum: int | None = None) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise SettingsError(f"{name}: {value!r} is not a whole number") from error
    if number < minimum or (maximum is not None and number > maximum):
        raise SettingsError(f"{name}: {number} is out of range")
    return number


def _workers(value: str, storage_url: str) -> int:
    name = "--workers / WORKERS"
    if value.strip().lower() == "auto":
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        count = count or os.cpu_count() or 1
    else:
        count = _int(value, name, minimum=1, maximum=MAX_WORKERS)
    if count > 1 and storage_url.lower().startswith("memory:"):
        raise SettingsError(
            f"{name}: {count} workers cannot share memory:// storage (each process would keep "
            "its own shortlists); use sqlite:///… or postgresql://…, or one worker"
        )
    return min(count, MAX_WORKERS)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise SettingsError(
            f"--first-day / CATALOGUE_FIRST_DAY: {text!r} is not a date such as 1999-08-06"
        ) from error


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError as error:
        raise SettingsError(f"{name}: {value!r} is not a number of seconds") from error
    if seconds < 0:
        raise SettingsError(f"{name}: must not be negative")
    return seconds


def _time_of_day(value: str, name: str) -> time:
    text = value.strip()
    if len(text) == 4 and text[1] == ":":
        text = f"0{text}"  # "7:45" as people write it
    try:
        at = time.fromisoformat(text)
    except ValueError as error:
        raise SettingsError(f"{name}: {value!r} is not a time of day such as 08:00") from error
    if at.tzinfo is not None:
        raise SettingsError(f"{name}: give a local time without offset, such as 08:00")
    return at


def _rate(value: str, name: str) -> float:
    try:
        rate = float(value)
    except ValueError as error:
        raise SettingsError(f"{name}: {value!r} is not a number per second") from error
    if not 0 < rate < float("inf"):
        raise SettingsError(f"{name}: must be a positive number per second")
    return rate


def _instant(text: str, zone: ZoneInfo | None) -> datetime:
    """Parse `--now`. A time without offset is read in the conference zone, known later."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise SettingsError(
            f"--now / CONFERENCE_NOW: {text!r} is not an ISO date-time such as 2016-07-11T09:30"
        ) from error
    if moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
    return moment


def _http_url(value: str, name: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise SettingsError(f"{name}: {value!r} is not an http(s) URL")
    return value.rstrip("/")


def _origins(value: str) -> tuple[str, ...]:
    """`https://a.example, https://b.example:8443` (or `*`): origins as browsers send them."""
    origins = []
    for item in (part.strip().rstrip("/").lower() for part in value.split(",")):
        if not item:
            continue
        scheme, _, rest = item.partition("://")
        if item != "*" and (scheme not in ("http", "https") or not rest or "/" in rest):
            raise SettingsError(
                f"WEBCHAT_ALLOWED_ORIGINS: {item!r} is not an origin such as https://example.org"
            )
        origins.append(item)
    return tuple(origins)


def _flag(value: str, name: str) -> bool:
    text = value.strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name}: {value!r} is not true or false")


def _choice(value: str, choices: tuple[str, ...], name: str) -> str:
    text = value.strip().lower()
    if text and text not in choices:
        raise SettingsError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return text


PUBLIC_LOGIN = "https://login.microsoftonline.com/"


def _login_url(environ: Mapping[str, str]) -> str | None:
    """Where reply tokens come from. Setting any inbound endpoint (TO_BOT_FROM_CHANNEL_...)
    switches botbuilder to its parameterized authentication, which then has no default login
    URL and asks MSAL's generic ``common`` authority, where Azure AD refuses app tokens: default
    it to the Bot Framework tenant (or the app's own tenant for a single-tenant app)."""
    configured = environ.get("TO_CHANNEL_FROM_BOT_LOGIN_URL")
    if configured:
        return configured
    parameterized = any(
        environ.get(name)
        for name in (
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL",
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER",
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE",
        )
    )
    if not parameterized:
        return None  # botbuilder's own defaults, per app type and tenant
    single_tenant = environ.get("MicrosoftAppType", "").lower() == "singletenant"
    tenant = environ.get("MicrosoftAppTenantId", "") if single_tenant else ""
    return PUBLIC_LOGIN + (tenant or "botframework.com")
