"""Events in a real browser, over the demo content: a visitor registers for the upcoming Wenchang symposium with a
name and an e-mail address, confirms it by the link in the e-mail and receives the confirmation with the event's
.ics; two members register, the event is full and the second joins the waiting list; when the first cancels, the
place goes to the one waiting (with the .ics again). The organiser sees the participant list, the public does not.
axe-core finds no serious or critical violation on the event pages in English, Chinese and Russian.

Run with `.venv/bin/pytest -m browser tests/browser/test_events_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`; axe-core from the npm registry
(`npm ci --prefix tests/browser/axe`). Screenshots go to `test-results/events-*.png`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from icalendar import Calendar

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
SLUG = "wenchang-2027"
TITLE = "Second Wenchang Symposium on Space Technology and Human Health"
INTERFACE = {"en": "en", "zh": "zh-hans", "ru": "ru"}
# Yang Liwei holds one of the three places in the demo; the visitor and Alexey Sokolov take the others.
FIRST_MEMBER, WAITING_MEMBER, ORGANISER = "alexey-sokolov", "michael-reynolds", "lin-mingjie"


class Browser:
    def __init__(self, chromium: Any, base_url: str) -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.shots = 0
        self.context: Any = None
        self.page: Any = None
        self.open("en")

    def open(self, language: str, time_zone: str = "") -> None:
        """A fresh visitor whose interface language is ``language`` (and time zone, if given)."""
        if self.context is not None:
            self.context.close()
        # axe-core is injected as a script tag: the page's CSP (nonces only) is bypassed for the test's own script.
        self.context = self.chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        host = self.base_url.split("//", 1)[1].split(":")[0]
        cookies = [{"name": "django_language", "value": INTERFACE[language], "domain": host, "path": "/"}]
        if time_zone:
            cookies.append({"name": "sb_tz", "value": time_zone, "domain": host, "path": "/"})
        self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def go(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        return response

    def shot(self, label: str) -> None:
        RESULTS.mkdir(exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=str(RESULTS / f"events-{self.shots:02d}-{label}.png"), full_page=True)

    def sign_in(self, username: str) -> None:
        self.open("en")
        self.go("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert self.page.locator(".site-header .who").inner_text() == username

    def submit(self, name: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name).click()

    def status(self) -> str:
        return self.page.get_by_role("status").inner_text().strip()

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


@pytest.fixture
def browser(live_server: Any, demo: Any, settings: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    # The e-mails go out inside the request (the live server shares this process's mail outbox).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
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


def _message_to(address: str, subject_start: str) -> Any:
    found = [m for m in mail.outbox if address in m.to and m.subject.startswith(subject_start)]
    assert found, f"no e-mail “{subject_start}…” to {address}: {[(m.to, m.subject) for m in mail.outbox]}"
    return found[-1]


def _calendar_of(message: Any) -> Calendar:
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    assert attachments, f"{message.subject} has no .ics"
    name, content, mimetype = attachments[0]
    assert name == f"{SLUG}.ics" and mimetype == "text/calendar"
    return Calendar.from_ical(content)


def _visitor_registers(browser: Browser) -> None:
    browser.open("en", time_zone="Europe/Moscow")
    browser.go("/events/")
    browser.page.get_by_role("link", name=TITLE).click()
    browser.page.wait_for_url(re.compile(f"/events/{SLUG}/$"))
    main = browser.page.locator("main").inner_text()
    assert "28 January 2027" in main and "Asia/Shanghai, UTC+08:00" in main and "Europe/Moscow, UTC+03:00" in main
    assert "1 of 3 places taken" in main
    assert browser.page.get_by_role("link", name="Participants").count() == 0
    browser.submit("Register")  # empty: the form comes back with its errors
    assert browser.page.locator(".form-errors").is_visible()
    browser.shot("visitor-form-errors")
    browser.page.fill("input[name=name]", "Anna Petrova")
    browser.page.fill("input[name=email]", "anna.petrova@example.org")
    browser.page.fill("input[name=affiliation]", "Sechenov University")
    browser.submit("Register")
    assert "open the link we sent" in browser.status()
    assert "e-mail address not confirmed yet" in browser.page.locator(".registration-status").inner_text()
    browser.shot("visitor-unconfirmed")
    message = _message_to("anna.petrova@example.org", "Confirm your registration")
    link = re.search(r"https?://\S+/events/wenchang-2027/registration/\S+/", message.body)
    assert link, message.body
    browser.go(urlsplit(link.group(0)).path)  # the mail names the configured address; the test server is elsewhere
    browser.submit("Confirm my registration")
    assert browser.page.locator(".registration-status").inner_text().strip() == "confirmed"
    browser.shot("visitor-confirmed")
    calendar = _calendar_of(_message_to("anna.petrova@example.org", "Registration confirmed"))
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["summary"]) == TITLE
    assert vevent.decoded("dtstart") == datetime(2027, 1, 28, 1, 0, tzinfo=UTC)
    assert str(vevent["dtstart"].params["TZID"]) == "Asia/Shanghai"
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")][1].startswith("Eight years of cooperation")


def _members_fill_it(browser: Browser) -> None:
    browser.sign_in(FIRST_MEMBER)
    browser.go(f"/events/{SLUG}/")
    browser.submit("Register")
    assert "You are registered" in browser.status()
    assert "3 of 3 places taken" in browser.page.locator("#registration").inner_text()
    _calendar_of(_message_to("alexey.sokolov@example.org", "Registration confirmed"))

    browser.sign_in(WAITING_MEMBER)
    browser.go(f"/events/{SLUG}/")
    assert "The event is full: if you register, you join the waiting list." in browser.page.locator("#registration").inner_text()
    browser.shot("full")
    browser.submit("Register")
    assert "you are on the waiting list" in browser.status()
    registration = browser.page.locator("#registration").inner_text()
    assert "on the waiting list (number 1 on the waiting list)" in registration
    assert "1 person on the waiting list" in registration
    browser.shot("waiting-list")
    waiting = _message_to("michael.reynolds@example.org", "On the waiting list")
    assert not waiting.attachments


def _cancel_and_promote(browser: Browser) -> None:
    browser.sign_in(FIRST_MEMBER)
    browser.go(f"/events/{SLUG}/")
    browser.submit("Cancel my registration")
    assert browser.status() == "Your registration is cancelled."
    _calendar_of(_message_to("michael.reynolds@example.org", "Registration confirmed"))

    browser.sign_in(WAITING_MEMBER)
    browser.go(f"/events/{SLUG}/")
    assert "Your registration: confirmed" in browser.page.locator("#registration").inner_text()
    browser.shot("promoted")

    browser.sign_in(ORGANISER)
    browser.go(f"/events/{SLUG}/")
    browser.page.get_by_role("link", name="Participants").click()
    browser.page.wait_for_url(re.compile("/participants/$"))
    participants = browser.page.locator("main").inner_text()
    assert "Anna Petrova" in participants and "Michael Reynolds" in participants and "Alexey Sokolov" in participants
    browser.shot("participants")
    browser.go(f"/events/{SLUG}/edit/")
    assert browser.page.locator("input[name=starts_at]").input_value() == "2027-01-28T09:00"  # the event's local time
    browser.shot("edit-form")
    browser.axe("event form")
    browser.go(f"/events/{SLUG}/programme/")
    browser.shot("programme-editor")
    browser.axe("programme editor")
    browser.open("en")
    browser.go(f"/events/{SLUG}/participants/", status=404)


def test_register_confirm_fill_wait_and_promote(browser: Browser) -> None:
    _visitor_registers(browser)
    _members_fill_it(browser)
    _cancel_and_promote(browser)
    _accessible_in_every_language(browser)  # in the same test: the demo loads once


def _accessible_in_every_language(browser: Browser) -> None:
    titles = {"en": "International Symposium", "zh": "和平利用空间技术国际研讨会", "ru": "Международный симпозиум"}
    for language in ("en", "zh", "ru"):
        browser.open(language, time_zone="America/New_York")
        browser.go("/events/wenchang-2018/")
        assert titles[language] in browser.page.locator("h1").inner_text()
        browser.shot(f"wenchang-2018-{language}")
        browser.axe(f"wenchang-2018 ({language})")
        browser.go(f"/events/{SLUG}/")
        browser.axe(f"{SLUG} ({language})")
        browser.go("/events/")
        browser.axe(f"events ({language})")
    browser.shot("list-ru")
