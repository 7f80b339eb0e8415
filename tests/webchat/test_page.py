"""The page and its files, without a browser: branding, language, CSP, the pinned bundle."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.webchat.page import CDN_BUNDLE, STATIC, WEBCHAT_SHA256, WEBCHAT_VERSION
from catalogue.model import Catalogue
from tests.webchat.conftest import REHEARSAL, StartApp, WebChatClient


def policy(header: str) -> dict[str, list[str]]:
    directives = (d.strip().split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def page_config(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="hallway-config">(.*?)</script>', html)
    assert match, "no config in the page"
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_the_pinned_bundle_is_the_one_recorded() -> None:
    bundle = STATIC / "webchat.js"
    assert hashlib.sha256(bundle.read_bytes()).hexdigest() == WEBCHAT_SHA256
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert WEBCHAT_SHA256 in readme and WEBCHAT_VERSION in readme
    assert f"/{WEBCHAT_VERSION}/" in CDN_BUNDLE
    licence = (STATIC / "WEBCHAT-LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and WEBCHAT_VERSION in licence


async def test_the_page_is_branded_and_english_by_default(webchat: WebChatClient) -> None:
    async with webchat.session.get(f"{webchat.base_url}/") as response:
        assert response.status == 200
        html = await response.text()
        headers = response.headers
    assert "<title>Microsoft Worldwide Partner Conference 2016 · Hallway</title>" in html
    assert '<html lang="en">' in html
    config = page_config(html)
    assert config["locale"] == "en-US" and config["available"] is True
    assert config["tokenUrl"] == "/api/directline/token"
    assert config["domain"] is None  # the page's own origin: the local Direct Line
    assert re.search(r'src="/static/webchat\.js\?v=[0-9a-f]{12}"', html)
    assert headers["Cache-Control"] == "no-store"
    assert headers["Vary"] == "Accept-Language"


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("fr-CA", "fr"),
        ("en-US,fr;q=0.5", "en"),
        ("de-DE,fr;q=0.8,en;q=0.5", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        ("fr;q=abc, en", "en"),
    ],
)
async def test_the_page_follows_the_browsers_language(
    webchat: WebChatClient, accept_language: str, lang: str
) -> None:
    async with webchat.session.get(
        f"{webchat.base_url}/", headers={"Accept-Language": accept_language}
    ) as response:
        html = await response.text()
    assert f'<html lang="{lang}">' in html
    assert page_config(html)["locale"] == {"fr": "fr-FR", "en": "en-US"}[lang]
    if lang == "fr":
        assert "Demandez à Hallway" in html


async def test_lang_in_the_address_wins(webchat: WebChatClient) -> None:
    async with webchat.session.get(
        f"{webchat.base_url}/?lang=fr", headers={"Accept-Language": "en"}
    ) as response:
        assert page_config(await response.text())["locale"] == "fr-FR"


async def test_the_local_page_may_only_reach_its_own_origin(webchat: WebChatClient) -> None:
    async with webchat.session.get(f"{webchat.base_url}/") as response:
        csp = policy(response.headers["Content-Security-Policy"])
        html = await response.text()
    nonce = page_config(html)["nonce"]
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"][:2] == ["'self'", f"'nonce-{nonce}'"]
    host = webchat.base_url.removeprefix("http://")
    assert csp["connect-src"] == ["'self'", f"ws://{host}", f"wss://{host}"]
    assert csp["frame-ancestors"] == ["'self'"]
    # No address outside the page's own origin appears in the page at all.
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


async def test_with_a_secret_the_bundle_comes_from_microsofts_cdn(start_app: StartApp) -> None:
    client = await start_app(
        Settings(
            storage_url="memory://",
            now=REHEARSAL,
            direct_line_secret="s",
            direct_line_endpoint="https://europe.directline.botframework.com/v3/directline",
            webchat_allowed_origins=("https://conference.example",),
        )
    )
    async with client.session.get(f"{client.base_url}/") as response:
        csp = policy(response.headers["Content-Security-Policy"])
        html = await response.text()
    assert f'src="{CDN_BUNDLE}"' in html
    assert csp["script-src"] == ["'self'", "https://cdn.botframework.com"]
    assert csp["connect-src"] == [
        "'self'",
        "https://europe.directline.botframework.com",
        "wss://europe.directline.botframework.com",
    ]
    assert csp["frame-ancestors"] == ["'self'", "https://conference.example"]
    config = page_config(html)
    assert config["domain"] == "https://europe.directline.botframework.com/v3/directline"
    async with client.session.get(f"{client.base_url}/static/webchat.js") as response:
        assert response.status == 404  # not served unless WEBCHAT_BUNDLE=local


async def test_the_bundle_is_served_compressed_and_cached(webchat: WebChatClient) -> None:
    async with webchat.session.get(f"{webchat.base_url}/") as response:
        html = await response.text()
    match = re.search(r'src="(/static/webchat\.js\?v=([0-9a-f]+))"', html)
    assert match
    url = f"{webchat.base_url}{match.group(1)}"
    async with webchat.session.get(
        url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False
    ) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        body = gzip.decompress(await response.read())
        etag = response.headers["ETag"]
    assert hashlib.sha256(body).hexdigest() == WEBCHAT_SHA256
    async with webchat.session.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status == 304


async def test_a_conference_name_cannot_inject_markup(start_app: StartApp, tmp_path: Path) -> None:
    agenda = {
        "hallway": 1,
        "conference": {"name": "</script><script>alert(1)</script> & Co", "timezone": "UTC"},
        "sessions": [
            {"id": "s1", "title": "Talk", "start": "2026-06-02T09:00", "end": "2026-06-02T10:00"}
        ],
    }
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps(agenda), encoding="utf-8")
    from catalogue.importers import load

    catalogue: Catalogue = load(path)
    client = await start_app(Settings(storage_url="memory://"), catalogue=catalogue)
    async with client.session.get(f"{client.base_url}/") as response:
        html = await response.text()
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    page_config(html)  # still parses
