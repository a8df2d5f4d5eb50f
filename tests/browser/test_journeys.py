"""Journeys in a real browser: Playwright drives Debian's Chromium against the live server, over the demo content.

Run with `.venv/bin/pytest -m browser` (the default run deselects them). Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`. Every page visited is saved as a screenshot under
`test-results/`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread: the data must be committed, and the data migrations' roles restored.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "wenchang-2018-demo"


class Journey:
    """One browser page on the live server, and the screenshots it leaves behind."""

    def __init__(self, page: Any, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.name = name

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        return response

    def shot(self, label: str) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, username: str = "secretariat", password: str = PASSWORD) -> None:
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.shot("login")
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert self.page.locator(".site-header .who").inner_text() == username

    def lang(self) -> str:
        return self.page.locator("html").get_attribute("lang")


@pytest.fixture
def journey(request: Any, live_server: Any, demo: Any) -> Iterator[Journey]:
    """A fresh Chromium per test, started after the demo content is in the database and closed before it is
    flushed (Playwright's event loop must not be running while the test touches the ORM)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (never `playwright install`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield Journey(page, live_server.url, request.node.name.removeprefix("test_"))
        finally:
            context.close()
            browser.close()


def translated(text: str, language: str) -> str:
    """``text`` as the committed catalogue of ``language`` has it."""
    from django.utils import translation

    with translation.override(language):
        return str(translation.gettext(text))


def test_sign_in_as_the_secretariat(journey: Journey) -> None:
    journey.sign_in()
    assert journey.lang() == "en"
    assert journey.page.get_by_role("link", name="Back office").is_visible()
    journey.shot("home")


def test_switch_to_chinese_and_to_russian(journey: Journey) -> None:
    parties = {language: translated("Parties", language) for language in ("zh-hans", "ru")}
    assert parties["zh-hans"] != "Parties" and parties["ru"] != "Parties", (
        "the zh and ru catalogues translate 'Parties'"
    )
    journey.sign_in()
    journey.go("/parties/")
    nav = journey.page.locator("nav.main-nav")
    assert nav.get_by_role("link", name="Parties", exact=True).is_visible()

    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name="中文").click()
    assert journey.lang() == "zh-Hans"
    assert nav.get_by_role("link", name=parties["zh-hans"], exact=True).is_visible()
    assert journey.page.get_by_role("button", name="中文").get_attribute("aria-current") == "true"
    journey.shot("zh-Hans")

    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name="Русский").click()
    assert journey.lang() == "ru"
    assert nav.get_by_role("link", name=parties["ru"], exact=True).is_visible()
    assert journey.page.url.endswith("/parties/"), "the switcher returns to the same page"
    journey.shot("ru")


def test_register_a_party_and_see_who_can_see_it(journey: Journey) -> None:
    page = journey.page
    journey.sign_in()
    journey.go("/parties/")
    page.get_by_role("link", name="Register a party").click()
    page.wait_for_url(re.compile(r"/parties/new/$"))
    page.fill("input[name=code]", "hainan-spacemed")
    page.fill("input[name=name_en]", "Hainan Space Medicine Centre")
    page.fill("input[name=name_zh]", "海南航天医学中心")
    page.fill("input[name=name_ru]", "Хайнаньский центр космической медицины")
    page.select_option("select[name=name_original]", "zh")
    page.fill("input[name=short_name]", "HSMC")
    page.select_option("select[name=kind]", "hospital")
    page.select_option("select[name=country]", "CN")
    parent = page.locator("select[name=parent] option", has_text="Hainan Government").first.get_attribute("value")
    page.select_option("select[name=parent]", parent)
    page.fill("input[name=website]", "https://hsmc.example.org")
    journey.shot("party-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    assert page.url.endswith("/parties/hainan-spacemed/")
    assert page.locator("h1").inner_text() == "Hainan Space Medicine Centre (HSMC)", "shown in the viewer's language"
    assert page.locator("li[lang=zh-Hans]").inner_text().startswith("海南航天医学中心")
    assert page.get_by_role("status").inner_text().strip() == "Party HSMC registered."

    panel = page.locator("details.who-can-see")
    assert not panel.evaluate("element => element.open")
    panel.locator("summary").click()
    assert panel.evaluate("element => element.open")
    sentences = panel.locator("ul li").all_inner_texts()
    assert any(s.startswith("Visible to everyone, including visitors who are not signed in") for s in sentences), (
        sentences
    )
    assert panel.locator(".viewer").inner_text() == "You see it under this release."
    journey.shot("party-detail")


def test_a_name_in_cyrillic_finds_yang_liwei(journey: Journey) -> None:
    page = journey.page
    journey.sign_in()
    journey.go("/parties/people/")
    page.get_by_label("Name in any script").fill("Ян Ливэй")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    rows = page.locator("#person-rows")
    assert "Yang Liwei" in rows.inner_text()
    assert "杨利伟" in rows.inner_text()
    assert "Zhang Xiaoming" not in rows.inner_text()
    journey.shot("people-search")
    rows.get_by_role("link", name=re.compile("杨利伟|Yang Liwei")).first.click()
    page.wait_for_url(re.compile(r"/parties/people/\d+/$"))
    journey.shot("person-detail")


def test_tab_reaches_the_skip_link_first(journey: Journey) -> None:
    page = journey.page
    journey.go("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({cls: document.activeElement.className, href: document.activeElement.href})")
    assert focused["cls"] == "skip" and focused["href"].endswith("#main")
    assert page.locator("a.skip").is_visible(), "the skip link shows when it has the focus"
    journey.shot("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_public_pages_for_a_visitor(journey: Journey) -> None:
    journey.go("/")
    assert journey.page.locator("h1").is_visible()
    journey.shot("home-visitor")
    journey.go("/parties/")
    journey.shot("parties-visitor")
    journey.go("/parties/delegations/RU/")
    journey.shot("delegation-ru")
