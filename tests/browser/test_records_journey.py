"""The exchange registry in a real browser, over the demo content: a Russian party's member shares a record with a
file, the party's liaison officer releases it to one delegation (China), a member of a US party asks for access,
the liaison officer grants it, and the American opens the record.

Run with `.venv/bin/pytest -m browser tests/browser/test_records_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`. Screenshots go to `test-results/records-*.png`.
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
    # The live server runs in another thread: the data must be committed, and the data migrations' rows restored.
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
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
MEMBER, LIAISON = "mikhail-orlov", "dmitry-kuznetsov"  # IBMP, Moscow
CHINESE, AMERICAN = "li-xue", "kevin-brooks"  # Hainan Medical University; NASA Johnson Space Center


class Browser:
    """One Chromium page on the live server; every step leaves a screenshot."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = 0

    def go(self, path: str, status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path} answered {response and response.status}"
        return response

    def shot(self, label: str) -> None:
        RESULTS.mkdir(exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=str(RESULTS / f"records-{self.shots:02d}-{label}.png"), full_page=True)

    def sign_in(self, username: str) -> None:
        if self.page.locator(".site-header .who").count():
            with self.page.expect_navigation():
                self.page.get_by_role("button", name="Sign out").click()
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


def _member_accounts(secretariat: Any) -> None:
    """The demo gives accounts to officers only; these members sign in for the journey, as the secretariat would
    invite them."""
    from spacebridge.parties.models import Person, Role
    from spacebridge.parties.services import account_create, person_link_user, role_assign

    for username in (MEMBER, CHINESE, AMERICAN):
        person = Person.objects.get(email=f"{username.replace('-', '.')}@example.org")
        user = account_create(username=username, email=person.email, password=PASSWORD, by=secretariat)
        person_link_user(person=person, user=user, by=secretariat)
        party = person.current_affiliations()[0].party
        role_assign(user=user, role=Role.objects.get(code="member"), party=party, by=secretariat)


@pytest.fixture
def browser(live_server: Any, demo: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    _member_accounts(demo)

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (never `playwright install`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield Browser(page, live_server.url)
        finally:
            context.close()
            chromium.close()


def _share(browser: Browser) -> str:
    """The IBMP member shares a record with a file and publishes it; returns its reference."""
    page = browser.page
    browser.sign_in(MEMBER)
    browser.go("/records/")
    page.get_by_role("link", name="Share a record").click()
    page.wait_for_url(re.compile(r"/records/new/$"))
    page.select_option("select[name=type]", label="Clinical protocol")
    page.select_option("select[name=identifier_scheme_0]", "doi")
    page.fill("input[name=identifier_value_0]", "not-a-doi")
    browser.submit("Save as a draft")  # no title, a bad DOI: the form comes back with its errors
    assert page.locator(".form-errors").is_visible()
    assert "Enter the text in at least one language." in page.locator(".field.has-error").first.inner_text()
    assert "is not a valid DOI" in page.locator("td.has-error").inner_text()
    browser.shot("share-form-errors")
    page.fill("input[name=title_en]", "Countermeasure protocol against bone loss on long flights")
    page.fill("input[name=title_ru]", "Протокол профилактики потери костной массы в длительных полётах")
    page.select_option("select[name=title_original]", "ru")
    page.fill("textarea[name=abstract_en]", "Resistive exercise and bisphosphonates, 180-day missions.")
    page.fill("input[name=keywords_en]", "bone loss, countermeasures")
    page.fill("input[name=keywords_ru]", "потеря костной массы, профилактика")
    page.fill("input[name=published_on]", "2018-01-15")
    page.fill("input[name=licence]", "CC-BY-4.0")
    page.select_option("select[name=identifier_scheme_0]", "url")
    page.fill("input[name=identifier_value_0]", "https://imbp.ru/protocols/bone-2018")
    page.fill("input[name=contributor_name_0]", "Mikhail Orlov")
    browser.shot("share-form")
    browser.submit("Save as a draft")
    match = re.search(r"/records/(SB-\d{4}-\d{6})/$", page.url)
    assert match, page.url
    assert "saved as a draft" in browser.status()
    page.set_input_files(
        "input[name=file]", files=[{"name": "protocol.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    browser.submit("Add the file")
    assert page.locator("table.files").get_by_role("link", name="protocol.pdf").is_visible()
    assert "application/pdf" in page.locator("table.files").inner_text()
    browser.shot("draft-with-file")
    page.fill("input[name=note]", "First version")
    browser.submit("Publish")
    assert "Version 1 published." == browser.status()
    return match.group(1)


def _release_to_china(browser: Browser, reference: str) -> None:
    page = browser.page
    browser.sign_in(LIAISON)
    browser.go(f"/records/{reference}/")
    page.get_by_role("link", name="Decide who receives this record").click()
    page.wait_for_url(re.compile(r"/release/$"))
    page.get_by_label("named parties and delegations").check()
    page.get_by_label("China").check()
    page.fill("textarea[name=reason]", "Joint countermeasure work with the Chinese delegation")
    browser.shot("release-form")
    browser.submit("Decide")
    assert browser.status() == "Release decided and recorded on the record."
    decisions = page.locator(".release-decisions").inner_text()
    assert "delegation of China" in decisions and "Joint countermeasure work" in decisions
    page.locator("details.who-can-see summary").click()
    assert "delegation of China" in page.locator("details.who-can-see").inner_text()
    browser.shot("released-to-china")


def test_share_release_request_and_grant(browser: Browser) -> None:
    page = browser.page
    reference = _share(browser)
    _release_to_china(browser, reference)

    browser.sign_in(CHINESE)
    browser.go(f"/records/{reference}/")
    assert page.locator("h1").inner_text().startswith("Countermeasure protocol")
    assert "Протокол профилактики" in page.locator(".other-languages").first.inner_text()
    browser.shot("seen-by-china")
    with page.expect_navigation():
        page.get_by_role("button", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    browser.shot("seen-by-china-in-chinese")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()

    browser.sign_in(AMERICAN)
    browser.go(f"/records/{reference}/", status=404)
    browser.shot("hidden-from-the-us")
    browser.go("/records/")
    page.get_by_role("link", name="Ask for access to a record").click()
    page.fill("input[name=reference]", reference)
    page.fill("textarea[name=justification]", "NASA bone-loss team: we compare countermeasure protocols.")
    browser.shot("access-request-form")
    browser.submit("Send the request")
    assert f"If a record {reference} exists and may be shared" in page.locator("main").inner_text()
    browser.shot("access-request-sent")

    browser.sign_in(LIAISON)
    browser.go(f"/records/{reference}/")
    assert "JSC" in page.locator("#pending-heading + ul").inner_text()
    browser.go("/records/requests/")
    browser.shot("requests-to-my-party")
    page.get_by_role("link", name="Read and answer").click()
    page.get_by_label("Grant access").check()
    page.fill("textarea[name=reason]", "Shared under the Wenchang 2018 memorandum.")
    browser.shot("answer-form")
    browser.submit("Send the answer")
    assert browser.status() == "Access granted to JSC."

    browser.sign_in(AMERICAN)
    browser.go(f"/records/{reference}/")
    assert page.locator("h1").inner_text().startswith("Countermeasure protocol")
    assert "Access granted on request" in page.locator(".release-decisions").inner_text()
    download = page.request.get(f"{browser.base_url}/records/{reference}/files/protocol.pdf")
    assert download.status == 200 and download.body() == PDF
    assert download.headers["content-disposition"].startswith("attachment")
    browser.shot("opened-by-the-us")
    browser.go("/records/?country=RU&type=clinical_protocol")
    assert reference in page.locator("#record-rows").inner_text()
    browser.shot("list-seen-by-the-us")
    browser.go("/records/transparency/")
    assert "JSC" in page.locator("main").inner_text()
    browser.shot("transparency")


@pytest.fixture
def versioned_record(demo: Any) -> str:
    """A public IBMP record published twice (title and licence changed), on a thesaurus subject; made before the
    browser starts, since Playwright's event loop must not run while the test touches the ORM."""
    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.parties.models import Party
    from spacebridge.records.models import Concept, RecordType
    from spacebridge.records.services import record_create, record_publish, record_release, record_update

    owner = Party.objects.get(code="ibmp")
    subjects = list(Concept.objects.filter(pref__text__en__icontains="bone")[:1])
    record = record_create(
        by=demo,
        owner_party=owner,
        check_permission=False,
        type=RecordType.objects.get(code="dataset"),
        title=MultilingualText({"en": "Bone density of cosmonauts, 2015-2020", "ru": "Плотность костей космонавтов"}),
        abstract=MultilingualText({"en": "Densitometry before and after six-month missions."}),
        licence="CC0-1.0",
        subjects=subjects,
    )
    record_publish(record=record, by=demo, check_permission=False, note="First release of the data")
    record.refresh_from_db()
    record_update(
        record=record,
        by=demo,
        check_permission=False,
        title=MultilingualText({"en": "Bone mineral density of cosmonauts, 2015-2021"}),
        licence="CC-BY-4.0",
    )
    record_publish(record=record, by=demo, check_permission=False, note="2021 flights added; licence CC BY")
    record_release(record=record, by=demo, level="public", check_permission=False, reason="Open data")
    return record.reference


def test_versions_and_the_thesaurus_for_a_visitor(versioned_record: str, browser: Browser) -> None:
    page = browser.page
    browser.go(f"/records/{versioned_record}/versions/")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"from=1&to=2"))
    diff = page.locator("dl.diff").inner_text()
    assert "Bone density of cosmonauts" in diff and "Bone mineral density of cosmonauts" in diff
    assert "CC0-1.0" in diff and "CC-BY-4.0" in diff
    browser.shot("versions-diff")
    browser.go("/records/concepts/")
    browser.shot("thesaurus-tree")
    browser.go("/records/concepts/?q=骨")
    browser.shot("thesaurus-search")
    browser.go(f"/records/{versioned_record}/")
    subject = page.locator("ul.tags a").first
    if subject.count():
        subject.click()
        page.wait_for_url(re.compile(r"/records/concepts/[^/]+/$"))
        assert versioned_record in page.locator("main").inner_text()
        browser.shot("concept")
