"""The pages that change a working group: who reaches them, what bad input answers, what the group page then shows."""

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


def _client(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _ml(prefix: str, **texts: str) -> dict[str, str]:
    return {f"{prefix}_{code}": text for code, text in texts.items()} | {f"{prefix}_original": next(iter(texts))}


def _membership(world, user, role="co_chair") -> GroupMembership:  # type: ignore[no-untyped-def]
    return GroupMembership.objects.get(group=world.group, person=user.person, role=role)


def test_the_secretariat_sets_up_a_group_and_others_may_not(world):
    secretariat = _client(world.secretariat)
    assert 'href="/groups/new/"' in secretariat.get("/groups/").content.decode()
    assert 'href="/groups/new/"' not in _client(world.cn_chair).get("/groups/").content.decode()
    assert _client(world.cn_chair).get("/groups/new/").status_code == 403
    form = {"acronym": "wg-bio", "status": "proposed"} | _ml("name", en="Space biology", zh="空间生物学")
    assert _client(world.cn_chair).post("/groups/new/", form).status_code == 403
    assert not WorkingGroup.objects.filter(acronym="WG-BIO").exists()
    response = secretariat.post("/groups/new/", form)
    assert response.status_code == 302 and response["Location"] == "/groups/WG-BIO/"
    group = WorkingGroup.objects.get(acronym="WG-BIO")
    assert group.name.get("zh") == "空间生物学" and group.status == "proposed"
    assert AuditEntry.objects.filter(verb="group.created", actor=world.secretariat).count() == 2  # WG-MED, WG-BIO
    assert "Space biology" in secretariat.get("/groups/WG-BIO/").content.decode()


def test_bad_group_input_is_the_form_again_with_messages_and_nothing_written(world):
    secretariat = _client(world.secretariat)
    before = AuditEntry.objects.count()
    response = secretariat.post("/groups/new/", {"acronym": "WG/MED", "status": "proposed", "name_original": "en"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter the text in at least one language." in body or "This field is required." in body
    response = secretariat.post("/groups/new/", {"acronym": "WG/X", "status": "proposed"} | _ml("name", en="X"))
    assert response.status_code == 422 and "An acronym is up to 20 Latin letters" in response.content.decode()
    response = secretariat.post("/groups/new/", {"acronym": "wg-med", "status": "proposed"} | _ml("name", en="X"))
    assert response.status_code == 422 and "already exists" in response.content.decode()
    response = secretariat.post("/groups/new/", {"acronym": "WG-X", "status": "dormant"} | _ml("name", en="X"))
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert WorkingGroup.objects.count() == 1 and AuditEntry.objects.count() == before
    response = _client(world.secretariat, "ru").post(
        "/groups/new/", {"acronym": "WG/X", "status": "proposed"} | _ml("name", en="X"))
    assert response.status_code == 422 and "Аббревиатура" in response.content.decode()


def test_co_chairs_edit_the_charter_in_several_languages(world):
    ConceptFactory(code="bone-loss", pref=MultilingualText({"en": "Bone loss", "ru": "Потеря костной массы"}, "en"))
    chair = _client(world.cn_chair)
    page = chair.get("/groups/WG-MED/").content.decode()
    assert 'href="/groups/WG-MED/charter/"' in page
    assert 'href="/groups/WG-MED/charter/"' not in _client(world.outsider).get("/groups/WG-MED/").content.decode()
    assert 'value="Space medicine"' in chair.get("/groups/WG-MED/charter/").content.decode()
    response = chair.post("/groups/WG-MED/charter/", {
        "status": "active", "subjects": "bone-loss",
        **_ml("name", en="Space medicine", zh="空间医学", ru="Космическая медицина"),
        **_ml("mandate", ru="Изучать потерю костной массы", en="Study bone loss"),
        **_ml("scope", en="Long-duration flight"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    world.group.refresh_from_db()
    assert world.group.mandate.original == "ru" and world.group.name.get("zh") == "空间医学"
    assert [c.code for c in world.group.subjects.all()] == ["bone-loss"]
    entry = AuditEntry.objects.filter(verb="group.charter_changed").latest("pk")
    assert entry.actor == world.cn_chair and "mandate" in entry.changes and "subjects" in entry.changes
    page = _client(world.us_chair, "ru").get("/groups/WG-MED/").content.decode()
    assert "Изучать потерю костной массы" in page and "Потеря костной массы" in page
    # The edit page offers what is there: the subject with its label.
    assert "bone-loss — Bone loss" in chair.get("/groups/WG-MED/charter/").content.decode()


def test_charter_refuses_outsiders_and_bad_subjects(world):
    form = {"status": "active", "subjects": "no-such-concept"} | _ml("name", en="Renamed")
    outsider = _client(world.outsider)
    assert outsider.get("/groups/WG-MED/charter/").status_code == 403
    assert outsider.post("/groups/WG-MED/charter/", form).status_code == 403
    assert Client().get("/groups/WG-MED/charter/").status_code == 302  # to the sign-in page
    assert outsider.get("/groups/WG-NONE/charter/").status_code == 404
    response = _client(world.cn_chair).post("/groups/WG-MED/charter/", form)
    assert response.status_code == 422 and "“no-such-concept” is not in the thesaurus" in response.content.decode()
    world.group.refresh_from_db()
    assert world.group.name.get() == "Space medicine"
    assert not AuditEntry.objects.filter(verb="group.charter_changed").exists()


def test_the_secretariat_adds_members_parties_and_people(world):
    esa = world.outsider.person.affiliations.get().party
    assert _client(world.cn_chair).get("/groups/WG-MED/members/new/").status_code == 403
    assert 'href="/groups/WG-MED/members/new/"' not in _client(world.cn_chair).get("/groups/WG-MED/").content.decode()
    secretariat = _client(world.secretariat)
    assert 'href="/groups/WG-MED/members/new/"' in secretariat.get("/groups/WG-MED/").content.decode()
    response = secretariat.post("/groups/WG-MED/members/new/", {"party": esa.pk, "role": "member_party"})
    assert response.status_code == 302
    response = secretariat.post("/groups/WG-MED/members/new/", {
        "party": esa.pk, "person": world.outsider.person.pk, "role": "observer", "start": "2026-01-01"})
    assert response.status_code == 302
    page = secretariat.get("/groups/WG-MED/").content.decode()
    assert "ESA" in page and f"{world.outsider.person.display_name()} (ESA)" in page
    assert AuditEntry.objects.filter(verb="group.member_added", changes__party="esa").count() == 2


def test_bad_membership_input_is_refused_with_reasons(world):
    secretariat = _client(world.secretariat)
    before = GroupMembership.objects.count()
    cases = [
        ({"party": world.cn.pk, "person": world.cn_chair.person.pk, "role": "member_party"}, "“member party” is for"),
        ({"party": world.cn.pk, "role": "observer"}, "A party without a person joins as a member party."),
        ({"party": world.cn.pk, "role": "member_party", "start": "2026-05-01", "end": "2026-04-01"},
         "The end of a membership cannot come before its start."),
        ({"party": 10**9, "role": "member_party"}, "Select a valid choice"),
        ({"party": world.cn.pk, "role": "member_party", "start": "yesterday"}, "Enter a valid date."),
    ]
    for form, message in cases:
        response = secretariat.post("/groups/WG-MED/members/new/", form)
        assert response.status_code == 422 and message in response.content.decode(), form
    assert GroupMembership.objects.count() == before


def test_a_role_change_keeps_the_history_on_the_group_page(world):
    chair = _client(world.cn_chair)
    membership = _membership(world, world.ru_chair)
    page = chair.get("/groups/WG-MED/").content.decode()
    assert f'href="/groups/WG-MED/members/{membership.pk}/role/"' in page
    assert _client(world.outsider).get(f"/groups/WG-MED/members/{membership.pk}/role/").status_code == 403
    day = date.today()
    response = chair.post(f"/groups/WG-MED/members/{membership.pk}/role/", {"role": "member", "on": day.isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end == day - timedelta(days=1)
    assert _membership(world, world.ru_chair, "member").start == day
    page = chair.get("/groups/WG-MED/").content.decode()
    history = page.split("Role history", 1)[1]
    assert f"{world.ru_chair.person.display_name()} (IBMP) — co-chair" in history
    assert "Change role" in page
    assert AuditEntry.objects.filter(verb="group.member_added", changes__role="member").exists()
    # The same role again, a party's membership and a date before the start are refused, with nothing written.
    new = _membership(world, world.ru_chair, "member")
    party = GroupMembership.objects.get(group=world.group, party=world.ru, person=None)
    before = GroupMembership.objects.count()
    for pk, form, message in (
        (new.pk, {"role": "member", "on": (day + timedelta(days=3)).isoformat()}, "already holds this role"),
        (new.pk, {"role": "secretary", "on": day.isoformat()}, "must start after the current one began"),
        (new.pk, {"role": "member_party", "on": day.isoformat()}, "Select a valid choice"),
        (party.pk, {"role": "secretary", "on": day.isoformat()}, "a member party’s membership ends instead"),
    ):
        response = chair.post(f"/groups/WG-MED/members/{pk}/role/", form)
        assert response.status_code == 422 and message in response.content.decode().replace("&#x27;", "’"), form
    assert GroupMembership.objects.count() == before


def test_ending_a_membership(world):
    chair = _client(world.cn_chair)
    membership = _membership(world, world.us_chair)
    response = chair.post(f"/groups/WG-MED/members/{membership.pk}/end/", {"end": "not a date"})
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()
    yesterday = date.today() - timedelta(days=1)
    response = chair.post(f"/groups/WG-MED/members/{membership.pk}/end/", {"end": yesterday.isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end == yesterday
    assert AuditEntry.objects.filter(verb="group.member_left").count() == 1
    history = chair.get("/groups/WG-MED/").content.decode().split("Role history", 1)[1]
    assert world.us_chair.person.display_name() in history
    # The American co-chair no longer runs the group.
    assert _client(world.us_chair).get("/groups/WG-MED/charter/").status_code == 403
    assert chair.get("/groups/WG-MED/members/999999/end/").status_code == 404
    assert chair.get(f"/groups/WG-MED/members/{10**30}/end/").status_code == 404


def test_work_plan_items_are_added_by_runners_for_member_parties(world):
    esa = world.outsider.person.affiliations.get().party
    chair = _client(world.cn_chair)
    assert 'href="/groups/WG-MED/plan/new/"' in chair.get("/groups/WG-MED/").content.decode()
    assert _client(world.outsider).get("/groups/WG-MED/plan/new/").status_code == 403
    form = {"kind": "deliverable", "owner_party": world.ru.pk, "due_on": "2027-03-01"} | _ml(
        "title", en="Shared bed-rest data set", ru="Общий набор данных")
    response = chair.post("/groups/WG-MED/plan/new/", form | {"owner_party": esa.pk})
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    response = chair.post("/groups/WG-MED/plan/new/", form | {"due_on": ""})
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert not WorkPlanItem.objects.exists()
    response = chair.post("/groups/WG-MED/plan/new/", form)
    assert response.status_code == 302
    item = WorkPlanItem.objects.get()
    assert item.owner_party == world.ru and item.due_on == date(2027, 3, 1)
    assert AuditEntry.objects.filter(verb="group.plan_item_added", actor=world.cn_chair).exists()
    page = _client(world.us_chair, "ru").get("/groups/WG-MED/").content.decode()
    assert "Общий набор данных" in page


def test_work_plan_progress_links_only_records_the_user_may_see(world):
    item = work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", owner_party=world.cn,
                              due_on=date(2026, 1, 1), title=MultilingualText({"en": "Protocol agreed"}, "en"))
    public = shared_record(owner_party=world.ru, level="public")
    private = shared_record(owner_party=world.ru, level="owner")  # only IBMP's people see it
    chair = _client(world.cn_chair)
    url = f"/groups/WG-MED/plan/{item.pk}/"
    assert f'href="{url}"' in chair.get("/groups/WG-MED/").content.decode()
    response = chair.post(url, {"status": "done", "due_on": "2026-01-01", "evidence": private.reference})
    assert response.status_code == 422
    assert f"No record you can see has the reference {private.reference}" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "planned" and not item.evidence.exists()
    response = chair.post(url, {"status": "done", "due_on": "2026-02-01", "evidence": public.reference.lower()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.done_on == date.today() and item.due_on == date(2026, 2, 1)
    assert list(item.evidence.all()) == [public]
    entry = AuditEntry.objects.filter(verb="group.plan_item_changed").latest("pk")
    assert entry.changes["evidence"] == [[], [public.reference]] and entry.changes["status"] == ["planned", "done"]
    page = chair.get("/groups/WG-MED/").content.decode()
    assert public.reference in page


def test_evidence_a_user_cannot_see_survives_their_update(world):
    item = work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", owner_party=world.ru,
                              due_on=date(2026, 1, 1), title=MultilingualText({"en": "Data shared"}, "en"))
    private = shared_record(owner_party=world.ru, level="owner")
    work_plan_item_update(item=item, by=world.ru_chair, evidence=[private])
    chair = _client(world.cn_chair)
    page = chair.get(f"/groups/WG-MED/plan/{item.pk}/").content.decode()
    assert private.reference not in page
    assert chair.post(f"/groups/WG-MED/plan/{item.pk}/", {"status": "in_progress", "due_on": "2026-03-01",
                                                          "evidence": ""}).status_code == 302
    assert list(item.evidence.all()) == [private]
    assert _client(world.cn_chair).get("/groups/WG-MED/plan/999999/").status_code == 404
    # The group page lists evidence to those who may see it only.
    assert private.reference not in chair.get("/groups/WG-MED/").content.decode()
    assert private.reference in _client(world.ru_chair).get("/groups/WG-MED/").content.decode()


def test_the_group_page_costs_the_same_queries_however_many_rows(world):
    """The group page, with its edit links, reads as many queries with one work-plan item as with seven (each with
    evidence) and four more member parties: no query per row, no choice list built."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from spacebridge.parties.tests.factories import PartyFactory

    chair = _client(world.cn_chair)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert chair.get("/groups/WG-MED/").status_code == 200
        return len(captured.captured_queries)

    first = work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", owner_party=world.cn,
                               due_on=date(2026, 1, 1), title=MultilingualText({"en": "One"}, "en"))
    work_plan_item_update(item=first, by=world.cn_chair, evidence=[shared_record(owner_party=world.cn)])
    count()  # the first page of a process also fills its caches (content types, zones): not counted
    few = count()
    for n in range(6):
        item = work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", owner_party=world.ru,
                                  due_on=date(2026, 2, 1), title=MultilingualText({"en": f"Item {n}"}, "en"))
        work_plan_item_update(item=item, by=world.cn_chair, evidence=[shared_record(owner_party=world.ru)])
    for n in range(4):
        GroupMembership.objects.create(group=world.group, party=PartyFactory(code=f"extra-{n}"), role="member_party")
    page = chair.get("/groups/WG-MED/").content.decode()
    assert page.count("/end/") == 3 + 4 + 3 and page.count('href="/groups/WG-MED/plan/') == 7 + 1
    assert count() == few
