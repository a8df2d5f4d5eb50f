"""The public face in a real browser, over the demo content: the liaison officers of CMSA, IBMP and NASA approve the
joint announcement of the follow-up symposium one after the other; it stays off the portal and the feeds until the
last approval, then appears on the portal and in the Atom feed of each language at once. The portfolio's timeline is
photographed, and axe-core finds no serious or critical violation on the home page, a project page, a record page
and the search page in English, Chinese and Russian.

Run with `.venv/bin/pytest -m browser tests/browser/test_outreach_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`; axe-core from the npm registry
(`npm ci --prefix tests/browser/axe`). Screenshots go to `test-results/outreach-*.png`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread: the data must be committed, and the data migrations' rows restored.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "wenchang-2018-demo"
SLUG = "follow-up-symposium-on-space-medicine-announced"
TITLES = {
    "en": "Follow-up symposium on space medicine announced for Wenchang",
    "zh": "航天医学后续研讨会将在文昌举行",
    "ru": "Объявлен симпозиум-продолжение по космической медицине в Вэньчане",
}
OFFICERS = [("yang-liwei", "CMSA"), ("dmitry-kuznetsov", "IBMP"), ("michael-reynolds", "NASA")]
INTERFACE = {"en": "en", "zh": "zh-hans", "ru": "ru"}


class Browser:
    def __init__(self, chromium: Any, base_url: str) -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.shots = 0
        self.context: Any = None
        self.page: Any = None
        self.open("en")

    def open(self, language: str) -> None:
        """A fresh visitor whose interface language is ``language`` (the language cookie the switcher sets)."""
        if self.context is not None:
            self.context.close()
        # axe-core is injected as a script tag: the page's CSP (nonces only) is bypassed for the test's own script.
        self.context = self.chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        host = self.base_url.split("//", 1)[1].split(":")[0]
        self.context.add_cookies([{"name": "django_language", "value": INTERFACE[language], "domain": host, "path": "/"}])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def go(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        return response

    def shot(self, label: str) -> None:
        RESULTS.mkdir(exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=str(RESULTS / f"outreach-{self.shots:02d}-{label}.png"), full_page=True)

    def sign_in(self, username: str) -> None:
        self.open("en")
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert self.page.locator(".site-header .who").inner_text() == username

    def axe(self, label: str) -> None:
        """No serious or critical WCAG 2.1 A/AA violation on the page."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not bad, f"{label}: {bad}"

    def feed(self, language: str) -> Any:
        response = self.page.request.get(f"{self.base_url}/news/feed/{language}.atom")
        assert response.status == 200
        parsed = feedparser.parse(response.body())
        assert not parsed.bozo, parsed.bozo_exception
        return parsed


@pytest.fixture
def browser(live_server: Any, demo: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (never `playwright install`)")
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: npm ci --prefix tests/browser/axe")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        browser = Browser(chromium, live_server.url)
        try:
            yield browser
        finally:
            browser.context.close()
            chromium.close()


def _on_portal(browser: Browser) -> bool:
    browser.open("en")
    browser.go("/")
    return TITLES["en"] in browser.page.locator("main").inner_text()


def test_every_party_approves_a_joint_announcement_and_it_goes_out_in_every_language(browser: Browser) -> None:
    page = browser.page
    for number, (username, party) in enumerate(OFFICERS, start=1):
        assert not _on_portal(browser)
        assert all(TITLES[lang] not in {e.title for e in browser.feed(lang).entries} for lang in TITLES)
        browser.sign_in(username)
        page = browser.page
        browser.go("/news/manage/")
        page.locator("#awaiting-heading + ul").get_by_role("link", name=TITLES["en"]).click()
        page.wait_for_url(f"**/news/{SLUG}/")
        if number == 1:
            browser.shot("awaiting-approval")
        with page.expect_navigation():
            page.get_by_role("button", name=f"Approve for {party}").click()
        assert page.get_by_role("status").inner_text().strip() == f"Approved for {party}."
    browser.shot("approved-by-every-party")

    assert _on_portal(browser)
    browser.shot("on-the-portal")
    for language, title in TITLES.items():
        entries = {e.title: e for e in browser.feed(language).entries}
        assert title in entries, f"not in the {language} feed"
        assert entries[title].link.endswith(f"/news/{SLUG}/")
        browser.open(language)
        browser.go("/")
        assert title in browser.page.locator("main").inner_text()
    browser.shot("on-the-portal-in-russian")


def test_portfolio_and_accessibility_in_each_language(browser: Browser) -> None:
    browser.go("/projects/")
    page = browser.page
    assert page.locator("svg.timeline").is_visible()
    assert page.locator("svg.timeline title").first.text_content().startswith("Timeline of 3 projects")
    browser.shot("portfolio")
    browser.page.emulate_media(media="print")
    browser.shot("portfolio-print")
    browser.go("/records/")  # as a visitor: the newest public record
    record_url = browser.page.locator("main a[href^='/records/SB-']").first.get_attribute("href")
    assert record_url, "the demo has public records"
    queries = {"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}
    for language in ("en", "zh", "ru"):
        browser.open(language)
        browser.go(record_url)
        browser.axe(f"record page ({language})")
        browser.go(f"/search/?q={queries[language]}")
        assert browser.page.locator("main ol li").count() > 0, f"no hits for {queries[language]}"
        browser.axe(f"search page ({language})")
        browser.shot(f"search-{language}")
        browser.go("/")
        browser.axe(f"home page ({language})")
        browser.shot(f"home-{language}")
        browser.go("/projects/space-medical-university/")
        browser.axe(f"project page ({language})")
        browser.shot(f"project-{language}")
        browser.go("/news/transparency/")
        browser.axe(f"transparency page ({language})")
