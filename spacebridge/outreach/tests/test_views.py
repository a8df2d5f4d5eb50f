"""The news pages, the approval of a joint announcement through the pages, the transparency page, the sitemap and
the portal home page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from spacebridge.access.models import Level
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.tests.factories import news
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user
from spacebridge.projects.tests.factories import project_with
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_news_pages_show_published_news_only() -> None:
    live = news()
    future = news(publish_at=timezone.now() + timedelta(days=1))
    draft = news(publish=False)
    html = _client().get("/news/").content.decode()
    assert live.title.text["en"] in html and future.title.text["en"] not in html
    page = _client().get(live.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == ["en", "zh", "ru"]
    assert '<meta property="og:type" content="article">' in page
    for hidden in (future, draft):
        assert _client().get(hidden.get_absolute_url()).status_code == 404
    writer = _client(secretariat_user())
    assert writer.get(draft.get_absolute_url()).status_code == 200
    assert _client().get("/news/?page=abc&language=xx").status_code == 200


def test_every_party_approves_through_the_pages_and_it_appears(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    parties = [PartyFactory(code="cmsa"), PartyFactory(code="ibmp", country="RU")]
    officers = [member_of(p, role="liaison_officer") for p in parties]
    secretariat = _client(secretariat_user())
    form = {"title_en": "Joint news", "title_zh": "联合新闻", "title_ru": "Совместная новость", "title_original": "en",
            "summary_original": "en", "body_en": "Text", "body_zh": "正文", "body_ru": "Текст", "body_original": "en",
            "joint": "on", "parties": [p.pk for p in parties]}
    bad = secretariat.post("/news/new/", {**form, "parties": [parties[0].pk]})
    assert bad.status_code == 400 and "parties" in bad.context["form"].errors
    created = secretariat.post("/news/new/", form)
    assert created.status_code == 302
    item = NewsItem.objects.get()
    secretariat.post(f"/news/{item.slug}/publish/", {"publish_at": ""})
    item.refresh_from_db()
    assert item.status == NewsItem.Status.AWAITING_APPROVAL
    for officer, party in zip(officers, parties, strict=True):
        assert _client().get("/news/").content.decode().count("Joint news") == 0
        client = _client(officer)
        manage = client.get("/news/manage/").content.decode()
        assert "Joint news" in manage
        page = client.get(item.get_absolute_url()).content.decode()
        assert f"Approve for {party.short_name}" in page
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/news/{item.slug}/approve/", {"party": party.code}).status_code == 302
    assert "Joint news" in _client().get("/news/").content.decode()
    assert "Joint news" in _client().get("/").content.decode()
    # approving for a party one is not the officer of is refused
    stranger = member_of(PartyFactory(), role="liaison_officer")
    assert _client(stranger).post(f"/news/{item.slug}/approve/", {"party": "cmsa"}).status_code == 403


def test_transparency_page_figures_per_party() -> None:
    from spacebridge.records import services as record_services

    owner, asker = PartyFactory(code="ibmp", country="RU"), PartyFactory(code="jsc", country="US")
    record = shared_record(owner_party=owner, level=Level.OWNER)
    requester = member_of(asker)
    record_services.access_request_create(by=requester, record=record, party=asker, justification="We need the flight protocol for the joint study.")
    page = _client().get("/news/transparency/")
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.party == owner)
    assert (row.received, row.answered, row.pending) == (1, 0, 1)
    assert record.reference not in page.content.decode()


def test_sitemap_lists_public_objects_only() -> None:
    public_project = project_with(name={"en": "Public project"})
    hidden_project = project_with(name={"en": "Hidden project"}, level=Level.PLATFORM)
    public_record = shared_record(level=Level.PUBLIC)
    owner_record = shared_record(level=Level.OWNER)
    live, draft = news(), news(publish=False)
    response = _client().get("/sitemap.xml")
    tree = etree.fromstring(response.content)
    locations = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in locations}
    assert {public_project.get_absolute_url(), public_record.get_absolute_url(), live.get_absolute_url(), "/"} <= paths
    assert not {hidden_project.get_absolute_url(), owner_record.get_absolute_url(), draft.get_absolute_url()} & paths


def test_robots_txt_points_crawlers_at_the_sitemap_and_away_from_the_back_office() -> None:
    response = _client().get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /api/" in text


def test_the_home_page_shows_the_cooperation_at_a_glance() -> None:
    ru = PartyFactory(code="ibmp", country="RU", short_name="IBMP")
    from spacebridge.core.multilingual import MultilingualText

    record = shared_record(owner_party=ru, level=Level.PUBLIC, title=MultilingualText({"en": "Bone loss in orbit"}))
    hidden = shared_record(owner_party=ru, level=Level.PLATFORM, title=MultilingualText({"en": "Members-only data"}))
    project_with(name={"en": "World Space City"}, lead=ru, milestones=(("Master plan", date(2019, 6, 30), "achieved"),))
    item = news()
    html = _client().get("/").content.decode()
    assert record.title.get("en") in html and hidden.title.get("en") not in html
    assert "World Space City" in html and item.title.text["en"] in html
    chart = re.search(r'<svg[^>]*class="chart".*?</svg>', html, re.S).group(0)
    assert "IBMP: 1 records shared" in chart  # the hidden record is not counted for the public
    assert 'type="application/atom+xml"' in html and "<script src" not in html


def test_transparency_shows_agreements_in_force_with_their_implementation() -> None:
    from spacebridge.access.services import release_set
    from spacebridge.agreements.models import Agreement, AgreementParty, Commitment
    from spacebridge.core.multilingual import MultilingualText

    cn, ru = PartyFactory(code="cmsa"), PartyFactory(code="ibmp", country="RU")
    agreements = {}
    for reference, state in [("MOU-2018-001", "done"), ("MOU-2019-001", "open"), ("MOU-2020-001", "open")]:
        agreement = Agreement.objects.create(reference=reference, title=MultilingualText({"en": reference}), status="in_force", lead_party=cn)
        AgreementParty.objects.create(agreement=agreement, party=cn, position=0)
        AgreementParty.objects.create(agreement=agreement, party=ru, position=1)
        Commitment.objects.create(agreement=agreement, article_key="1", passage=MultilingualText({"en": "Exchange data"}),
                                  state=state, due_on=date(2020, 1, 1) if reference == "MOU-2019-001" else date(2099, 1, 1))
        agreements[reference] = agreement
    for agreement in list(agreements.values())[:2]:
        release_set(obj=agreement, by=None, level=Level.PUBLIC, check_permission=False)
    html = _client().get("/news/transparency/").content.decode()
    assert "MOU-2018-001</a> <small>(implemented)" in html
    assert "MOU-2019-001</a> <small>(commitments late)" in html
    assert "MOU-2020-001" not in html  # its lead party has not released it
    assert "MOU-2020-001</a> <small>(on track)" in _client(member_of(cn, role="liaison_officer")).get("/news/transparency/").content.decode()
