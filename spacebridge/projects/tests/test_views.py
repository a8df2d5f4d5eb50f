"""The portfolio and project pages: only what the viewer may see, filters, the server-drawn timeline, metadata."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client
from lxml import etree

from spacebridge.access.models import Level
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.projects.tests.factories import project_with

pytestmark = pytest.mark.django_db


def test_the_portfolio_shows_public_projects_to_everyone_and_member_projects_to_members() -> None:
    ru = PartyFactory(code="ibmp", country="RU")
    public = project_with(name={"en": "World Space City"}, participants=(ru,),
                          milestones=(("Master plan", date(2019, 6, 30), "achieved"),))
    members_only = project_with(name={"en": "Quiet project"}, level=Level.PLATFORM)
    anonymous = Client().get("/projects/")
    html = anonymous.content.decode()
    assert anonymous.status_code == 200 and "World Space City" in html and "Quiet project" not in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    tree = etree.fromstring(svg.encode())
    assert tree.get("role") == "group" and "Master plan" in svg and "<script" not in html
    assert Client().get(members_only.get_absolute_url()).status_code == 404
    member = Client()
    member.force_login(member_of(ru))
    assert "Quiet project" in member.get("/projects/").content.decode()
    assert member.get(members_only.get_absolute_url()).status_code == 200
    assert public.get_absolute_url() == "/projects/world-space-city/"


def test_the_portfolio_filters() -> None:
    ru, us = PartyFactory(country="RU"), PartyFactory(country="US")
    project_with(name={"en": "Russian-led"}, lead=ru, status="active", start=date(2018, 1, 1), end=date(2019, 12, 31))
    project_with(name={"en": "American-led"}, lead=us, status="completed", start=date(2021, 1, 1), end=None)
    client = Client()

    def names(query: str) -> set[str]:
        return {p.name.get("en") for p in client.get("/projects/" + query).context["projects"]}

    assert names("?country=ru") == {"Russian-led"}
    assert names(f"?party={us.code}") == {"American-led"}
    assert names("?status=completed") == {"American-led"}
    assert names("?year=2019") == {"Russian-led"}
    assert names("?year=2030") == {"American-led"}
    assert names("?q=american") == {"American-led"}
    # values that mean nothing are ignored, never an error
    assert names("?status=bogus&year=99999999999&country=zz&q=") == {"Russian-led", "American-led"}


def test_the_project_page_in_each_language_with_schema_org_and_opengraph() -> None:
    lead = PartyFactory(code="hainmc")
    project = project_with(
        lead=lead,
        name={"en": "Space Medical University", "zh": "航天医科大学", "ru": "Космический медицинский университет"},
        latitude="20.0442", longitude="110.1983", agreements=["MOU-2018-001"],
    )
    for language, name in [("en", "Space Medical University"), ("zh-hans", "航天医科大学"), ("ru", "Космический медицинский университет")]:
        client = Client(headers={"accept-language": language})
        html = client.get(project.get_absolute_url()).content.decode()
        assert f'<meta property="og:title" content="{name}">' in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["@type"] == "Project" and data["name"] == name
        assert data["location"]["geo"]["latitude"] == pytest.approx(20.0442)
        assert data["member"][0]["@type"] == "Organization"
        assert "MOU-2018-001" in html
    assert Client().get("/projects/no-such-project/").status_code == 404


def test_the_lead_partys_liaison_officer_records_milestones_on_the_page() -> None:
    from spacebridge.projects.models import Milestone

    lead, other = PartyFactory(), PartyFactory()
    project = project_with(lead=lead, milestones=(("Opening", date(2027, 3, 1), "planned"),))
    milestone = Milestone.objects.get()
    officer = Client()
    officer.force_login(member_of(lead, role="liaison_officer"))
    page = officer.get(project.get_absolute_url()).content.decode()
    assert "Record progress" in page and "Add a milestone" in page
    answer = officer.post(f"/projects/{project.slug}/milestones/{milestone.pk}/", {"status": "achieved", "achieved_on": "2026-11-20"})
    assert answer.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, str(milestone.achieved_on)) == ("achieved", "2026-11-20")
    bad = officer.post(f"/projects/{project.slug}/milestones/{milestone.pk}/", {"status": "dreaming"}, follow=True)
    assert "Select a valid choice" in bad.content.decode()
    added = officer.post(f"/projects/{project.slug}/milestones/",
                         {"title_en": "Charter", "title_original": "en", "due_on": "2029-09-01", "status": "planned"})
    assert added.status_code == 302 and Milestone.objects.count() == 2
    stranger = Client()
    stranger.force_login(member_of(other, role="liaison_officer"))
    assert "Record progress" not in stranger.get(project.get_absolute_url()).content.decode()
    assert stranger.post(f"/projects/{project.slug}/milestones/{milestone.pk}/", {"status": "missed"}).status_code == 403
    assert Client().post(f"/projects/{project.slug}/milestones/{milestone.pk}/", {"status": "missed"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "achieved"
