"""The projects API: lists and reads under the access policy, writes by the secretariat, problems for bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from spacebridge.access.models import Level
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user
from spacebridge.projects.models import Project
from spacebridge.projects.tests.factories import project_with

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_list_and_read_only_what_the_caller_may_see() -> None:
    public = project_with(name={"en": "Public one"})
    hidden = project_with(name={"en": "Members only"}, level=Level.PLATFORM)
    answer = _client().get("/api/v1/projects/")
    assert answer.status_code == 200
    assert [p["slug"] for p in answer.json()["items"]] == [public.slug]
    assert _client().get(f"/api/v1/projects/{hidden.slug}").status_code == 404
    member = _client(member_of(PartyFactory()))
    assert {p["slug"] for p in member.get("/api/v1/projects/").json()["items"]} == {public.slug, hidden.slug}
    assert _client().get("/api/v1/projects/?status=bogus").status_code == 422
    assert _client().get("/api/v1/projects/?limit=0").status_code == 422


def test_the_secretariat_registers_a_project_and_sets_contributions_and_milestones() -> None:
    lead, partner = PartyFactory(code="hainmc"), PartyFactory(code="ibmp", country="RU")
    client = _client(secretariat_user())
    body = {"name": {"original": "en", "text": {"en": "Space Medical University", "ru": "Космический медицинский университет"}},
            "lead_party": "hainmc", "status": "active", "start": "2018-09-01", "latitude": 20.04, "longitude": 110.19,
            "agreements": ["MOU-2018-001"]}
    created = client.post("/api/v1/projects/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert created.json()["participations"][0] == {
        "party": "hainmc", "role": "lead", "contribution_kind": "in_kind",
        "contribution": {"original": "", "text": {}}, "amount": None, "currency": None,
    }
    money = client.put(f"/api/v1/projects/{slug}/participations/{partner.code}",
                       {"contribution_kind": "financial", "amount": "750000", "currency": "RUB"}, content_type="application/json")
    assert money.status_code == 200 and money.json()["participations"][1]["currency"] == "RUB"
    bad = client.put(f"/api/v1/projects/{slug}/participations/{partner.code}",
                     {"contribution_kind": "financial", "amount": "1", "currency": "ABC"}, content_type="application/json")
    assert bad.status_code == 422 and "currency" in bad.json()["errors"]
    milestone = client.post(f"/api/v1/projects/{slug}/milestones",
                            {"title": {"original": "en", "text": {"en": "Opening"}}, "due_on": "2027-03-01"},
                            content_type="application/json")
    assert milestone.status_code == 201
    done = client.patch(f"/api/v1/projects/{slug}/milestones/{milestone.json()['id']}", {"status": "achieved"},
                        content_type="application/json")
    assert done.status_code == 200 and done.json()["achieved_on"]
    assert lead.code == "hainmc"


def test_bad_input_is_a_problem_and_leaves_nothing() -> None:
    PartyFactory(code="hainmc")
    client = _client(secretariat_user())
    base = {"name": {"original": "en", "text": {"en": "X"}}, "lead_party": "hainmc"}
    for extra, field in [({"latitude": 91}, "latitude"), ({"start": "2020-01-01", "end": "2019-01-01"}, "end"),
                         ({"lead_party": "nobody"}, "lead_party"), ({"groups": ["WG-NONE"]}, "groups"),
                         ({"name": {"original": "en", "text": {}}}, "name")]:
        answer = client.post("/api/v1/projects/", {**base, **extra}, content_type="application/json")
        assert answer.status_code == 422, (extra, answer.content)
        assert field in str(answer.json().get("errors")), (extra, answer.json())
    assert not Project.objects.exists()
    member = _client(member_of(PartyFactory()))
    assert member.post("/api/v1/projects/", base, content_type="application/json").status_code == 403
    assert _client().post("/api/v1/projects/", base, content_type="application/json").status_code == 401
