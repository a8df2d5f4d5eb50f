"""A liaison mechanism in a real browser: a co-chair finds a fair time for Beijing, Moscow and Washington, sets up a
monthly series from the suggestion, prepares and holds the first meeting, records the minutes, each delegation
approves them, a decision is recorded, an action item is closed by its owner, and the co-chair subscribes to the
series and to a personal calendar address.

Run with `.venv/bin/pytest -m browser tests/browser/test_liaison_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`. Screenshots go to `test-results/liaison-*.png`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
CN, RU, US = "chair-cmsa", "chair-ibmp", "chair-nasa"


class Browser:
    def __init__(self, page: Any, base_url: str, password: str) -> None:
        self.page, self.base_url, self.password, self.shots = page, base_url, password, 0
        self.ru_person = 0

    def go(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        return response

    def shot(self, label: str) -> None:
        RESULTS.mkdir(exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=str(RESULTS / f"liaison-{self.shots:02d}-{label}.png"), full_page=True)

    def sign_in(self, username: str) -> None:
        if self.page.locator(".site-header .who").count():
            with self.page.expect_navigation():
                self.page.get_by_role("button", name="Sign out").click()
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", self.password)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert self.page.locator(".site-header .who").inner_text() == username

    def submit(self, name: str, within: str = "main") -> None:
        with self.page.expect_navigation():
            self.page.locator(within).get_by_role("button", name=name).click()


@pytest.fixture
def browser(live_server: Any, settings: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    from spacebridge.liaison.tests.factories import build_world
    from spacebridge.parties.tests.factories import PASSWORD

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = build_world()
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (never `playwright install`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            browser = Browser(page, live_server.url, PASSWORD)
            browser.ru_person = world.ru_chair.person.pk  # read before Playwright runs its event loop
            yield browser
        finally:
            context.close()
            chromium.close()


def _series_from_fair_slot(browser: Browser) -> None:
    page = browser.page
    browser.sign_in(CN)
    browser.go("/liaison/")
    page.get_by_role("link", name="Find a fair time").click()
    page.wait_for_url(re.compile(r"/liaison/slots/"))
    assert page.locator("input[name=zones]").input_value() == "Asia/Shanghai, Europe/Moscow, America/New_York"
    browser.submit("Rank the slots")
    assert page.get_by_role("heading", name="A rotation that shares the inconvenient hour").is_visible()
    browser.shot("fair-slots")
    with page.expect_navigation():
        page.get_by_test_id("use-slot-1").click()
    assert page.locator("input[name=time_zone]").input_value() == "UTC"
    assert page.locator("input[name=rrule]").input_value().startswith("FREQ=MONTHLY;BYDAY=")
    page.select_option("select[name=group]", label="WG-MED — Space medicine")
    page.fill("input[name=title_en]", "Monthly space medicine liaison")
    page.fill("input[name=title_zh]", "航天医学月度联络会议")
    page.select_option("select[name=host_rotation]", label=[])
    for code in ("CMSA", "IBMP", "NASA"):
        page.locator("select[name=host_rotation] option", has_text=code).first.evaluate("o => o.selected = true")
    page.fill("input[name=online_link]", "https://meet.example.org/wg-med")
    browser.submit("Set up the series")
    assert "The liaison series is set up." in page.locator(".messages").inner_text()
    # Washington changes clocks in March; the series says so when it is created.
    assert "clock change" in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", name="Clock changes in the year ahead").is_visible()
    browser.shot("series")


def _hold_first_meeting(browser: Browser) -> str:
    page = browser.page
    page.locator("table.entries tbody tr").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/occurrences/"))
    assert "Beijing" in page.locator("table.times").inner_text()
    browser.submit("Prepare this meeting (agenda, attendance)")
    page.wait_for_url(re.compile(r"/liaison/meetings/\d+/$"))
    meeting_url = page.url.removeprefix(browser.base_url)
    times = page.locator("table.times").inner_text()
    for label in ("Beijing", "Moscow", "Washington", "UTC"):
        assert label in times
    for party in ("CMSA", "IBMP", "NASA"):
        page.select_option("select[name=attendance-party]", label=f"{party} — Party {party.lower()}")
        page.select_option("select[name=attendance-status]", "present")
        browser.submit("Record attendance")
    page.fill("input[name=agenda-title_en]", "Bone-density protocol")
    page.fill("input[name=agenda-minutes_allotted]", "120")
    browser.submit("Add to the agenda")
    assert "runs 30 minutes over the meeting" in page.locator(".messages").inner_text()
    browser.submit("Mark as held")
    browser.shot("meeting-held")
    return meeting_url


def _minutes_approved_by_every_delegation(browser: Browser, meeting_url: str) -> None:
    page = browser.page
    browser.go(meeting_url + "minutes/")
    page.fill("textarea[name=text_en]", "## Summary\n\nThe delegations **agreed** on the protocol.")
    page.fill("textarea[name=text_ru]", "## Итоги\n\nДелегации **согласовали** протокол.")
    browser.submit("Save the minutes")
    assert page.locator(".minutes-text strong").first.inner_text() == "agreed"
    browser.submit("Circulate for approval")
    assert page.get_by_test_id("minutes-status").inner_text() == "circulated for approval"
    for user in (CN, RU, US):
        browser.sign_in(user)
        browser.go(meeting_url + "minutes/")
        if user == RU:
            page.select_option("select[name=answer]", "reservation")
            browser.submit("Record the delegation's answer")  # a reservation needs its text
            assert "Write the reservation" in page.locator(".field.has-error").inner_text()
            page.fill("textarea[name=reservation]", "IBMP reviews item 1 at its scientific council.")
        browser.submit("Record the delegation's answer")
    assert page.get_by_test_id("minutes-status").inner_text() == "approved"
    assert "IBMP reviews item 1" in page.locator("table").first.inner_text()
    browser.shot("minutes-approved")


def _decision_and_action(browser: Browser, meeting_url: str) -> None:
    page = browser.page
    browser.sign_in(CN)
    browser.go(meeting_url)
    page.fill("textarea[name=decision-text_en]", "The joint bone-density protocol is adopted.")
    page.locator("select[name^=decision-position_]").nth(0).select_option("concurs")
    page.locator("select[name^=decision-position_]").nth(1).select_option("reservation")
    page.locator("select[name^=decision-position_]").nth(2).select_option("concurs")
    browser.submit("Record the decision")
    reference = page.locator("#decisions-h + ul .reference").first.inner_text()
    assert re.fullmatch(r"WG-MED/\d{4}-\d{2}/D1", reference), reference
    page.fill("input[name=action-description_en]", "Share the anonymised measurements")
    page.select_option("select[name=action-owner_party]", label="IBMP — Party ibmp")
    page.select_option("select[name=action-owner_person]", str(browser.ru_person))
    page.fill("input[name=action-due_on]", "2027-06-30")
    browser.submit("Add the action item")
    browser.shot("decision-and-action")
    browser.go("/liaison/decisions/?q=bone-density")
    assert reference in page.locator("table.decisions").inner_text()


def _close_action(browser: Browser) -> None:
    page = browser.page
    browser.sign_in(RU)
    browser.go("/liaison/actions/")
    page.locator("table a.reference").first.click()
    page.wait_for_url(re.compile(r"/liaison/actions/\d+/$"))
    page.select_option("select[name=status]", "done")
    browser.submit("Update the action item")
    assert "Say what shows the action is done" in page.locator(".field.has-error").inner_text()
    page.fill("textarea[name=evidence]", "Data set shared in the registry on 2027-01-20.")
    browser.submit("Update the action item")
    assert page.get_by_test_id("action-status").inner_text().startswith("done")
    browser.shot("action-closed")


def _subscribe(browser: Browser) -> None:
    page = browser.page
    browser.sign_in(CN)
    browser.go("/liaison/")
    with page.expect_navigation():
        page.locator("#series-h + ul").get_by_role("link", name="Monthly space medicine liaison").click()
    ics = page.request.get(browser.base_url + page.get_by_test_id("series-ics").get_attribute("href"))
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "RRULE:FREQ=MONTHLY" in ics.text() and "RECURRENCE-ID" in ics.text()
    browser.go("/liaison/calendar/")
    browser.submit("Create a calendar address")
    url = page.get_by_test_id("calendar-url").input_value()
    browser.shot("calendar-address")
    anonymous = page.context.browser.new_context()
    try:
        feed = anonymous.request.get(url)
        assert feed.status == 200 and "RRULE:FREQ=MONTHLY" in feed.text() and "RECURRENCE-ID" in feed.text()
    finally:
        anonymous.close()
    browser.submit("Revoke")
    anonymous = page.context.browser.new_context()
    try:
        assert anonymous.request.get(url).status == 404
    finally:
        anonymous.close()


def test_liaison_journey(browser: Browser) -> None:
    _series_from_fair_slot(browser)
    meeting_url = _hold_first_meeting(browser)
    _minutes_approved_by_every_delegation(browser, meeting_url)
    _decision_and_action(browser, meeting_url)
    _close_action(browser)
    _subscribe(browser)
