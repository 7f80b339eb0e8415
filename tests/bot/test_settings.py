import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.settings import DEFAULT_STORAGE, DEMO_CATALOGUE, Settings, SettingsError


def test_defaults_serve_the_demo_agenda_on_3978_with_sqlite() -> None:
    settings = Settings.from_sources([], {})
    assert settings.catalogue == DEMO_CATALOGUE
    assert settings.port == 3978
    assert settings.storage_url == DEFAULT_STORAGE
    assert settings.now is None
    assert not settings.credentials.enabled


def test_environment_is_read_and_flags_win() -> None:
    env = {
        "CATALOGUE": "env.json",
        "CONFERENCE_TIMEZONE": "Europe/Paris",
        "PORT": "8080",
        "STORAGE_URL": "memory://",
        "CONFERENCE_NOW": "2016-07-11T09:30",
        "MicrosoftAppId": "app-id",
        "MicrosoftAppPassword": "secret",
        "MicrosoftAppType": "SingleTenant",
        "MicrosoftAppTenantId": "tenant",
    }
    settings = Settings.from_sources(["--port", "9000", "--catalogue", "flag.json"], env)
    assert settings.catalogue == Path("flag.json")
    assert settings.port == 9000
    assert settings.timezone == ZoneInfo("Europe/Paris")
    assert settings.storage_url == "memory://"
    assert settings.now == datetime(2016, 7, 11, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert settings.credentials.APP_ID == "app-id"
    assert settings.credentials.APP_TYPE == "SingleTenant"
    assert settings.credentials.APP_TENANTID == "tenant"


@pytest.mark.parametrize(
    ("argv", "env", "names"),
    [
        (["--port", "eighty"], {}, "--port"),
        (["--port", "70000"], {}, "--port"),
        (["--timezone", "Mars/Olympus"], {}, "--timezone"),
        (["--now", "yesterday-ish"], {}, "--now"),
        (["--format", "docx"], {}, "--format"),
        ([], {"PORT": "x"}, "PORT"),
        (["--workers", "0"], {}, "--workers"),
        (["--workers", "two"], {}, "--workers"),
        ([], {"WORKERS": "65"}, "WORKERS"),
        (["--workers", "2", "--storage", "memory://"], {}, "cannot share memory:// storage"),
    ],
)
def test_bad_values_name_the_setting(argv: list[str], env: dict[str, str], names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        Settings.from_sources(argv, env)


def test_reply_tokens_come_from_the_bot_framework_tenant_when_endpoints_are_set() -> None:
    """Any TO_BOT_FROM_CHANNEL_* setting switches botbuilder to parameterized authentication,
    which has no login URL of its own: Hallway names the Bot Framework tenant."""
    assert Settings.from_sources([], {}).credentials.TO_CHANNEL_FROM_BOT_LOGIN_URL is None
    inbound = {"TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": "https://keys.example/openid"}
    multi = Settings.from_sources([], inbound).credentials
    assert (
        multi.TO_CHANNEL_FROM_BOT_LOGIN_URL == "https://login.microsoftonline.com/botframework.com"
    )
    single = Settings.from_sources(
        [], {**inbound, "MicrosoftAppType": "SingleTenant", "MicrosoftAppTenantId": "t-1"}
    ).credentials
    assert single.TO_CHANNEL_FROM_BOT_LOGIN_URL == "https://login.microsoftonline.com/t-1"
    mine = Settings.from_sources(
        [], {**inbound, "TO_CHANNEL_FROM_BOT_LOGIN_URL": "https://login.example/tenant"}
    ).credentials
    assert mine.TO_CHANNEL_FROM_BOT_LOGIN_URL == "https://login.example/tenant"


def test_sovereign_cloud_settings_are_read() -> None:
    env = {
        "CHANNEL_SERVICE": "https://botframework.azure.us",
        "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.us",
    }
    credentials = Settings.from_sources([], env).credentials
    assert credentials.CHANNEL_SERVICE == "https://botframework.azure.us"
    assert credentials.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE == "https://api.botframework.us"


def test_workers_come_from_the_flag_the_environment_or_the_cores() -> None:
    assert Settings.from_sources([], {}).workers == 1
    assert Settings.from_sources([], {"WORKERS": "3"}).workers == 3
    assert Settings.from_sources(["--workers", "2"], {"WORKERS": "3"}).workers == 2
    assert Settings.from_sources(["--workers", "auto"], {}).workers == len(os.sched_getaffinity(0))
