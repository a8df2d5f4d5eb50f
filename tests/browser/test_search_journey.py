"""The search in a real browser over the demo content: a Chinese member searches 骨质流失 (bone loss), finds the
English and Russian studies, sees what else was searched, narrows the results with a facet and opens a hit — all
with the keyboard and without JavaScript of the page's own.

Run with `.venv/bin/pytest -m browser tests/browser/test_search_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`. Screenshots go to `test-results/search-*.png`.
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


@pytest.fixture
def page(live_server: Any, demo: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (never `playwright install`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60_000)  # a shared, busy machine
        page.base_url = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            chromium.close()


def _shot(page: Any, label: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"search-{label}.png"), full_page=True)


def test_a_chinese_search_finds_english_and_russian_studies_and_narrows_by_a_facet(page: Any) -> None:
    response = page.goto(page.base_url + "/search/?mode=lexical", timeout=120_000)
    assert response.status == 200
    # The search box has the focus: type and press Enter.
    page.keyboard.type("骨质流失")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=%E9%AA%A8" in page.url
    also = page.locator(".also-searched").inner_text()
    assert "bone loss" in also and "потеря костной массы" in also
    titles = page.locator(".hit h3").all_inner_texts()
    assert any(re.search(r"[Bb]one", title) for title in titles), titles
    assert page.locator(".hit mark").count() > 0
    total = int(re.search(r"\d+", page.get_by_role("status").inner_text()).group())
    assert total >= 10
    _shot(page, "01-results")
    # The delegation facet's smallest delegation (the list is by count): the Russian party's study.
    facet = page.locator("nav.facet a[href*='delegation=']").last
    label = facet.inner_text()
    with page.expect_navigation():
        facet.click()
    narrowed = int(re.search(r"\d+", page.get_by_role("status").inner_text()).group())
    assert 0 < narrowed < total, (page.url, label, narrowed)
    assert page.locator("a[aria-current=true]").count() == 1
    assert label.split()[0] in page.locator("a[aria-current=true]").inner_text()
    _shot(page, "02-narrowed")
    first = page.locator(".hit h3 a").first
    with page.expect_navigation():
        first.click()
    assert re.search(r"/records/SB-\d{4}-\d{6}/$", page.url)
    _shot(page, "03-record")
