"""Agreements in a real browser, over the demo's parties, people and working groups: CMSA's liaison officer drafts a
memorandum with Roscosmos and NASA and gives it texts in English, Chinese and Russian; Roscosmos changes the Russian
text and the other two languages are flagged out of step until confirmed; the three parties' officers register
their public keys and sign the canonical hash with their private keys (kept here, "on their own computers"); the
memorandum enters into force on the last signature; a commitment is marked and its implementation status changes.

Run with `.venv/bin/pytest -m browser tests/browser/test_agreements_journey.py`. Chromium comes from the system
(`apt-get install chromium`), never from `playwright install`. Screenshots go to `test-results/agreements-*.png`.
"""

from __future__ import annotations

import json
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
PASSWORD = "wenchang-2018-demo"
OFFICERS = {"cmsa": "yang-liwei", "roscosmos": "alexey-sokolov", "nasa": "michael-reynolds"}
TEXTS = {
    "en": "# Memorandum on telemedicine\n\nThe Parties have agreed as follows:\n\n## Article 1 Purpose\n\n"
    "The Parties cooperate in telemedicine for remote regions.\n\n## Article 2 Working group\n\n"
    "The Parties entrust the joint working group on telemedicine with a pilot network by 2026.\n\n"
    "## Article 3 Entry into force\n\nThis Memorandum enters into force on the date of the last signature.\n",
    "zh": "# 远程医疗备忘录\n\n各方达成协议如下：\n\n## 第一条 宗旨\n\n各方在面向偏远地区的远程医疗方面开展合作。\n\n"
    "## 第二条 工作组\n\n各方委托远程医疗联合工作组于2026年前建成试点网络。\n\n## 第三条 生效\n\n本备忘录自最后一方签字之日起生效。\n",
    "ru": "# Меморандум о телемедицине\n\nСтороны договорились о следующем:\n\n## Статья 1 Цель\n\n"
    "Стороны сотрудничают в области телемедицины для отдалённых регионов.\n\n## Статья 2 Рабочая группа\n\n"
    "Стороны поручают совместной рабочей группе по телемедицине создать пилотную сеть к 2026 году.\n\n"
    "## Статья 3 Вступление в силу\n\nНастоящий Меморандум вступает в силу с даты последней подписи.\n",
}


class Browser:
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
        self.page.screenshot(path=str(RESULTS / f"agreements-{self.shots:02d}-{label}.png"), full_page=True)

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
            self.page.get_by_role("button", name=name).first.click()

    def status(self) -> str:
        return self.page.get_by_role("status").inner_text().strip()


@pytest.fixture
def cast(db: Any) -> Any:
    """The demo's parties, people (officers with accounts) and working groups; no registry, to stay quick."""
    from spacebridge import demo as demo_module
    from spacebridge.parties.models import Role
    from spacebridge.parties.services import account_create, role_assign

    spec = json.loads(demo_module.DEMO_FILE.read_text(encoding="utf-8"))
    secretariat = account_create(
        username=demo_module.DEMO_USERNAME, email="secretariat@example.org", password=PASSWORD, staff=True
    )
    role_assign(
        user=secretariat, role=Role.objects.get(code="secretariat"), party=None, by=secretariat, check_permission=False
    )
    parties = demo_module._load_parties(spec, secretariat)
    people = demo_module._load_people(spec, parties, secretariat)
    demo_module._load_groups(spec, parties, people, secretariat)
    return secretariat


@pytest.fixture
def browser(live_server: Any, cast: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

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


def _draft(browser: Browser) -> str:
    page = browser.page
    browser.sign_in(OFFICERS["cmsa"])
    browser.go("/agreements/")
    page.get_by_role("link", name="Draft an agreement").click()
    page.wait_for_url(re.compile(r"/agreements/new/$"))
    page.select_option("select[name=type]", "mou")
    page.fill("input[name=title_en]", "Memorandum on telemedicine for remote regions")
    page.fill("input[name=title_zh]", "关于偏远地区远程医疗的备忘录")
    page.fill("input[name=title_ru]", "Меморандум о телемедицине для отдалённых регионов")
    page.select_option("select[name=title_original]", "zh")
    page.select_option("select[name=lead_party]", "cmsa")
    browser.submit("Create the draft")  # no other party: refused, with the reason on the field
    assert "An agreement needs at least two parties." in page.locator(".form-errors, .error").first.inner_text(), (
        page.locator(".has-error").first.inner_text()
    )
    page.check("input[name=parties][value=roscosmos]")
    page.check("input[name=parties][value=nasa]")
    browser.shot("draft-form")
    browser.submit("Create the draft")
    match = re.search(r"/agreements/(MOU-\d{4}-\d{3})/$", page.url)
    assert match, page.url
    assert "drafted" in browser.status()
    return match.group(1)


def _add_text(browser: Browser, reference: str, language: str, body: str) -> None:
    page = browser.page
    browser.go(f"/agreements/{reference}/texts/new/")
    page.select_option("select[name=language]", language)
    page.fill("textarea[name=body]", body)
    browser.submit("Save the version")
    assert "3 articles" in browser.status() or "4 articles" in browser.status(), browser.status()


def _texts_and_flags(browser: Browser, reference: str) -> None:
    page = browser.page
    for language, body in TEXTS.items():
        _add_text(browser, reference, language, body)
    assert page.locator(".badge.out-of-step").count() == 0
    table = page.locator("table.aligned").inner_text()
    assert "Article 2" in table and "第二条" in table and "Статья 2" in table
    browser.shot("texts-side-by-side")

    browser.sign_in(OFFICERS["roscosmos"])
    _add_text(browser, reference, "ru", TEXTS["ru"].replace("к 2026 году", "к 2027 году"))
    flagged = page.locator("li:has(.badge.out-of-step)")
    assert flagged.count() == 2
    assert sorted(flagged.evaluate_all("items => items.map(i => i.dataset.language)")) == ["en", "zh"]
    browser.shot("out-of-step")
    browser.go(f"/agreements/{reference}/texts/versions/?a=ru:1&b=ru:2")
    assert "к 2027 году" in page.locator(".diff-view").inner_text()
    browser.shot("diff")

    browser.sign_in(OFFICERS["cmsa"])
    browser.go(f"/agreements/{reference}/texts/")
    browser.submit("Confirm English in step")
    browser.submit("Confirm 中文 in step")
    assert page.locator(".badge.out-of-step").count() == 0


def _negotiate_and_sign(browser: Browser, reference: str) -> None:
    from spacebridge.agreements import signing
    from spacebridge.agreements.tests.factories import key_pair

    page = browser.page
    browser.go(f"/agreements/{reference}/")
    page.select_option("select[name=status]", "negotiation")
    browser.submit("Change the status")
    assert browser.status() == "Status: in negotiation."
    for party, officer in OFFICERS.items():
        browser.sign_in(officer)
        private, public = key_pair()  # made on the officer's own computer; only the public half is sent
        browser.go("/agreements/keys/")
        page.select_option("select[name=party]", party)
        page.fill("textarea[name=public_key]", public)
        browser.submit("Register the key")
        assert "registered" in browser.status()
        browser.go(f"/agreements/{reference}/sign/")
        digest = page.locator("#canonical-hash").inner_text().strip()
        section = page.locator(f"section:has(#sign-{party})")
        section.locator("input[name=digital-signature]").fill(signing.sign_digest(private, digest))
        section.locator("input[name=digital-place]").fill("Wenchang")
        if party == "cmsa":
            browser.shot("sign-page")
        with page.expect_navigation():
            section.get_by_role("button", name=re.compile("Sign digitally")).click()
        assert "Signature recorded" in browser.status()
    assert page.locator(".page-head .badge.status-in_force").text_content() == "in force"
    assert page.locator("#parties .badge.verified").count() == 3
    browser.shot("in-force")


def _commitment(browser: Browser, reference: str) -> None:
    page = browser.page
    browser.sign_in("secretariat")
    browser.go(f"/agreements/{reference}/texts/")
    page.locator("#article-2 td").first.get_by_role("link", name="Mark a commitment").click()
    page.wait_for_url(re.compile(r"/commitments/new/"))
    page.fill("textarea[name=passage_en]", "a pilot network by 2026")
    page.fill("textarea[name=passage_zh]", "于2026年前建成试点网络")
    page.check("input[name=responsible_parties][value=cmsa]")
    page.check("input[name=responsible_parties][value=nasa]")
    page.fill("input[name=due_on]", "2026-01-31")
    page.check("input[name=groups][value=WG-TEL]")
    browser.submit("Mark the commitment")
    assert browser.status() == "Commitment marked."
    assert page.locator("#implementation-status").text_content() == "late"
    browser.shot("commitment-late")
    commitment = page.locator("#commitments li[data-status]").first
    commitment.locator("select[name=state]").select_option("done")
    with page.expect_navigation():
        commitment.get_by_role("button", name="Update").click()
    assert page.locator("#implementation-status").text_content() == "done"
    browser.shot("commitment-done")
    browser.go("/agreements/report/")
    assert reference in page.locator("main").inner_text()
    browser.shot("report")


def test_draft_texts_sign_enter_into_force_and_follow_a_commitment(browser: Browser) -> None:
    reference = _draft(browser)
    _texts_and_flags(browser, reference)
    _negotiate_and_sign(browser, reference)
    _commitment(browser, reference)
