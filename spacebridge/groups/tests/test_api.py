"""API writes of the working groups: who may make them, RFC 9457 problems for bad input, audit entries, outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.groups.services import work_plan_item_add, work_plan_item_update
from spacebridge.liaison.tests.factories import build_world
from spacebridge.records.tests.factories import ConceptFactory, shared_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


class Api:
    def __init__(self, user, language: str = "en") -> None:  # type: ignore[no-untyped-def]
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            self.client.force_login(user)

    def post(self, path: str, body: dict):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/v1/groups/{path}", body, content_type="application/json")

    def patch(self, path: str, body: dict):  # type: ignore[no-untyped-def]
        return self.client.patch(f"/api/v1/groups/{path}", body, content_type="application/json")

    def get(self, path: str):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1/groups/{path}")


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def _en(text: str) -> dict:
    return {"original": "en", "text": {"en": text}}


def test_the_secretariat_creates_a_group(world):
    body = {"acronym": "wg-bio", "name": {"original": "zh", "text": {"zh": "空间生物学", "en": "Space biology"}}}
    _problem(Api(None).post("", body), 401)
    assert "secretariat" in _problem(Api(world.cn_chair).post("", body), 403)["detail"]
    response = Api(world.secretariat).post("", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["acronym"] == "WG-BIO" and created["status"] == "proposed" and created["members"] == []
    assert WorkingGroup.objects.get(acronym="WG-BIO").name.original == "zh"
    assert AuditEntry.objects.filter(verb="group.created", changes__acronym="WG-BIO").count() == 1


def test_bad_group_input_is_a_problem_and_writes_nothing(world):
    api = Api(world.secretariat)
    before = AuditEntry.objects.count()
    assert "already exists" in _problem(api.post("", {"acronym": "WG-MED", "name": _en("X")}), 422)["detail"]
    assert "acronym" in _problem(api.post("", {"acronym": "WG/MED", "name": _en("X")}), 422)["errors"]
    assert "status" in _problem(api.post("", {"acronym": "WG-X", "name": _en("X"), "status": "dormant"}),
                                422)["errors"]
    _problem(api.post("", {"acronym": "WG-X", "name": {"original": "en", "text": {}}}), 422)
    _problem(api.post("", {"acronym": "WG-X"}), 422)
    problem = _problem(Api(world.secretariat, "ru").post("", {"acronym": "WG/X", "name": _en("X")}), 422)
    assert "Аббревиатура" in problem["detail"]
    assert WorkingGroup.objects.count() == 1 and AuditEntry.objects.count() == before


def test_co_chairs_change_the_charter(world):
    ConceptFactory(code="bone-loss")
    body = {"mandate": {"original": "ru", "text": {"ru": "Потеря костной массы", "en": "Bone loss"}},
            "subjects": ["bone-loss"], "status": "concluded"}
    _problem(Api(world.outsider).patch("WG-MED", body), 403)
    _problem(Api(world.cn_chair).patch("WG-NOPE", body), 404)
    response = Api(world.cn_chair).patch("wg-med", body)
    assert response.status_code == 200, response.content
    group = response.json()
    assert group["status"] == "concluded" and group["subjects"] == ["bone-loss"]
    assert group["mandate"]["text"]["ru"] == "Потеря костной массы" and group["name"]["text"]["en"] == "Space medicine"
    entry = AuditEntry.objects.filter(verb="group.charter_changed").latest("pk")
    assert entry.actor == world.cn_chair and entry.changes["status"] == ["active", "concluded"]
    problem = _problem(Api(world.cn_chair).patch("WG-MED", {"subjects": ["bone-loss", "nothing"], "status": "active"}),
                       422)
    assert "“nothing” is not in the thesaurus" in problem["detail"]
    _problem(Api(world.cn_chair).patch("WG-MED", {"status": "dormant"}), 422)
    _problem(Api(world.cn_chair).patch("WG-MED", {"mandate": {"original": "xx", "text": {"xx": "?"}}}), 422)
    assert Api(world.us_chair).get("WG-MED").json()["status"] == "concluded"


def test_the_secretariat_adds_members_and_runners_end_them_and_change_roles(world):
    api = Api(world.secretariat)
    _problem(Api(world.cn_chair).post("WG-MED/memberships", {"party": "esa"}), 403)
    response = api.post("WG-MED/memberships", {"party": "ESA"})
    assert response.status_code == 201 and response.json()["role"] == "member_party"
    response = api.post("WG-MED/memberships", {"party": "esa", "person": world.outsider.person.pk, "role": "observer",
                                               "start": "2026-01-01"})
    assert response.status_code == 201
    observer = response.json()
    assert observer["person_id"] == world.outsider.person.pk and observer["current"]
    assert AuditEntry.objects.filter(verb="group.member_added", changes__party="esa").count() == 2
    for body, field in (({"party": "nope"}, "party"), ({"party": "esa", "person": 10**9, "role": "member"}, "person"),
                        ({"party": "esa", "person": world.outsider.person.pk, "role": "member_party"}, "role"),
                        ({"party": "esa", "role": "member_party", "start": "2026-02-01", "end": "2026-01-01"}, "end")):
        assert field in _problem(api.post("WG-MED/memberships", body), 422)["errors"], body

    chair = Api(world.cn_chair)
    url = f"WG-MED/memberships/{observer['id']}"
    _problem(Api(world.outsider).post(f"{url}/role", {"role": "member", "on": "2026-06-01"}), 403)
    response = chair.post(f"{url}/role", {"role": "member", "on": "2026-06-01"})
    assert response.status_code == 201 and response.json()["start"] == "2026-06-01"
    members = [m for m in chair.get("WG-MED").json()["members"] if m["person_id"] == world.outsider.person.pk]
    assert sorted((m["role"], m["end"]) for m in members) == [("member", None), ("observer", "2026-05-31")]
    _problem(chair.post(f"{url}/role", {"role": "secretary", "on": "2026-01-01"}), 422)
    new_id = response.json()["id"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = chair.post(f"WG-MED/memberships/{new_id}/end", {"end": yesterday})
    assert response.status_code == 200 and response.json()["end"] == yesterday and not response.json()["current"]
    assert AuditEntry.objects.filter(verb="group.member_left").count() == 2
    _problem(chair.post(f"WG-MED/memberships/{new_id}/end", {"end": "2025-01-01"}), 422)
    _problem(chair.post("WG-MED/memberships/999999/end", {"end": yesterday}), 404)
    _problem(chair.post(f"WG-MED/memberships/{10**30}/end", {"end": yesterday}), 404)
    party = GroupMembership.objects.get(group=world.group, party=world.cn, person=None)
    _problem(chair.post(f"WG-MED/memberships/{party.pk}/role", {"role": "member", "on": "2026-06-01"}), 422)


def test_work_plan_through_the_api(world):
    chair = Api(world.cn_chair)
    body = {"kind": "deliverable", "title": _en("Shared data set"), "owner_party": "ibmp", "due_on": "2027-01-01"}
    _problem(Api(world.outsider).post("WG-MED/work-plan", body), 403)
    assert "owner_party" in _problem(chair.post("WG-MED/work-plan", body | {"owner_party": "esa"}), 422)["errors"]
    _problem(chair.post("WG-MED/work-plan", body | {"kind": "wish"}), 422)
    _problem(chair.post("WG-MED/work-plan", body | {"due_on": "soon"}), 422)
    assert not WorkPlanItem.objects.exists()
    response = chair.post("WG-MED/work-plan", body)
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["owner_party"] == "ibmp" and item["status"] == "planned" and item["reference"] == f"WG-MED/plan/{item['id']}"
    assert AuditEntry.objects.filter(verb="group.plan_item_added").count() == 1

    public = shared_record(owner_party=world.ru, level="public")
    private = shared_record(owner_party=world.ru, level="owner")
    url = f"WG-MED/work-plan/{item['id']}"
    problem = _problem(chair.patch(url, {"status": "done", "evidence": [private.reference]}), 422)
    assert private.reference in problem["detail"] and "evidence" in problem["errors"]
    assert WorkPlanItem.objects.get().status == "planned"
    _problem(chair.patch(url, {"status": "finished"}), 422)
    _problem(Api(world.outsider).patch(url, {"status": "done"}), 403)
    _problem(chair.patch("WG-MED/work-plan/999999", {"status": "done"}), 404)
    response = chair.patch(url, {"status": "done", "due_on": "2027-02-01", "evidence": [public.reference]})
    assert response.status_code == 200, response.content
    updated = response.json()
    assert updated["status"] == "done" and updated["done_on"] == date.today().isoformat()
    assert updated["evidence"] == [public.reference] and updated["due_on"] == "2027-02-01"
    entry = AuditEntry.objects.filter(verb="group.plan_item_changed").latest("pk")
    assert entry.changes["due_on"] == ["2027-01-01", "2027-02-01"]
    assert Api(world.us_chair).get("WG-MED").json()["work_plan"][0]["evidence"] == [public.reference]


def test_evidence_hidden_from_the_caller_stays_and_is_not_shown(world):
    item = work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", owner_party=world.ru,
                              due_on=date(2026, 1, 1), title=MultilingualText({"en": "Data shared"}, "en"))
    private = shared_record(owner_party=world.ru, level="owner")
    public = shared_record(owner_party=world.ru, level="public")
    work_plan_item_update(item=item, by=world.ru_chair, evidence=[private])
    response = Api(world.cn_chair).patch(f"WG-MED/work-plan/{item.pk}", {"evidence": [public.reference]})
    assert response.status_code == 200 and response.json()["evidence"] == [public.reference]
    assert {r.pk for r in item.evidence.all()} == {private.pk, public.pk}
    evidence = Api(world.ru_chair).get("WG-MED").json()["work_plan"][0]["evidence"]
    assert evidence == sorted([private.reference, public.reference])
