"""The web chat in a real browser: Debian's headless chromium driven by Playwright, against
`python app.py` started as an operator would, on the rehearsal clock of the demo agenda.

Never downloads a browser: it launches /usr/bin/chromium (`apt-get install chromium`) and skips,
saying so, when that is not installed. Screenshots go to tests/webchat/artifacts/.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import running_bot

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
EXECUTABLE = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SENDBOX = "[data-id='webchat-sendbox-input']"
CARD = ".ac-adaptiveCard"
# Every CSP violation the page meets, with where it happened.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


@dataclass(frozen=True)
class Script:
    """What an attendee does, in one language."""

    locale: str
    lang: str
    welcome: str
    question: str
    add_button: str
    added: str
    show_list: str
    list_lead: str


ENGLISH = Script(
    locale="en-US",
    lang="en",
    welcome="your guide to Microsoft Worldwide Partner Conference 2016",
    question="what's on after the keynote?",
    add_button="Add to my shortlist",
    added="to your shortlist",
    show_list="show my shortlist",
    list_lead="Your shortlist",
)
FRENCH = Script(
    locale="fr-FR",
    lang="fr",
    welcome="votre guide pour Microsoft Worldwide Partner Conference 2016",
    question="qu'est-ce qu'il y a après la plénière ?",
    add_button="Ajouter à ma sélection",
    added="ajoutée à votre sélection",
    show_list="ma liste",
    list_lead="Votre sélection",
)


def chromium_or_skip() -> Any:
    playwright = pytest.importorskip(
        "playwright.async_api", reason="Playwright for Python is not installed"
    )
    if EXECUTABLE is None:
        pytest.skip(
            f"no chromium at {CHROMIUM}: install Debian's package "
            "(apt-get install -y chromium); .ci/run does"
        )
    return playwright


@pytest.fixture(scope="module")
def async_api() -> Any:
    return chromium_or_skip()


@pytest.mark.parametrize("script", [ENGLISH, FRENCH], ids=["en", "fr"])
async def test_ask_add_to_shortlist_and_see_it_in_the_browser(
    async_api: Any, script: Script
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with (
        running_bot("--now", "2016-07-11T09:30", "--storage", "memory://") as bot,
        async_api.async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(
            executable_path=EXECUTABLE,
            args=CHROMIUM_ARGS,
        )
        try:
            context = await browser.new_context(
                locale=script.locale, viewport={"width": 1000, "height": 1200}
            )
            page = await context.new_page()
            requests: list[str] = []
            problems: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: (
                    problems.append(f"console: {message.text}") if message.type == "error" else None
                ),
            )
            await page.add_init_script(CSP_PROBE)
            await converse(page, bot.url, script)
            violations = await page.evaluate("window.__cspViolations")
        finally:
            await browser.close()

    assert violations == []
    assert problems == []
    own = bot.url
    outside = [
        url
        for url in requests
        if not (url.startswith((f"{own}/", f"blob:{own}/", "data:")) or url == own)
    ]
    assert outside == [], f"the page reached outside {own}"
    assert f"{own}/static/webchat.js" in " ".join(requests)  # the pinned copy, not a CDN


async def converse(page: Any, url: str, script: Script) -> None:
    response = await page.goto(f"{url}/")
    assert response.status == 200
    assert await page.locator("html").get_attribute("lang") == script.lang
    assert await page.locator("h1").inner_text() == "Microsoft Worldwide Partner Conference 2016"

    # The bot welcomes the attendee, in their language, as soon as the chat opens.
    await page.get_by_text(script.welcome).first.wait_for(timeout=20_000)

    sendbox = page.locator(SENDBOX)
    await sendbox.fill(script.question)
    await sendbox.press("Enter")
    add = page.get_by_role("button", name=script.add_button)
    await add.first.wait_for(timeout=15_000)
    cards = page.locator(CARD, has=add)
    assert await cards.count() >= 3, "expected several session cards"
    first_card = cards.first
    title = (await first_card.locator(".ac-textBlock").first.inner_text()).strip()
    assert title
    await page.screenshot(path=str(ARTIFACTS / f"webchat-{script.lang}-cards.png"))

    await first_card.get_by_role("button", name=script.add_button).click()
    await page.get_by_text(script.added).first.wait_for(timeout=15_000)
    confirmation = await page.get_by_text(script.added).first.inner_text()
    assert title in confirmation

    before = await page.get_by_text(title, exact=True).count()
    await sendbox.fill(script.show_list)
    await sendbox.press("Enter")
    lead = page.locator(CARD).filter(has_text=script.list_lead)
    await lead.first.wait_for(timeout=15_000)
    assert await lead.last.get_by_text(title, exact=True).count() == 1
    assert await page.get_by_text(title, exact=True).count() == before + 1
    await lead.last.scroll_into_view_if_needed()
    await page.wait_for_timeout(500)  # Web Chat scrolls smoothly
    await page.screenshot(path=str(ARTIFACTS / f"webchat-{script.lang}-shortlist.png"))
