from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership
from spacebridge.groups.services import (
    can_run_group,
    group_charter_update,
    group_role_change,
    work_plan_item_add,
    work_plan_item_update,
)
from spacebridge.liaison.tests.factories import build_world

pytestmark = pytest.mark.django_db


def test_role_change_keeps_the_history_and_only_runners_change_the_charter():
    world = build_world()
    chair = GroupMembership.objects.get(person=world.ru_chair.person, role="co_chair")
    group_role_change(membership=chair, by=world.secretariat, role="member", on=date(2026, 6, 1))
    roles = list(GroupMembership.objects.filter(person=world.ru_chair.person).order_by("pk")
                 .values_list("role", "end", "start"))
    assert roles == [("co_chair", date(2026, 5, 31), None), ("member", None, date(2026, 6, 1))]
    assert can_run_group(world.cn_chair, world.group) and not can_run_group(world.outsider, world.group)
    with pytest.raises(PermissionDenied):
        group_charter_update(group=world.group, by=world.outsider, mandate=MultilingualText({"en": "x"}, "en"))
    group_charter_update(group=world.group, by=world.cn_chair, status="concluded",
                         mandate=MultilingualText({"en": "Bone loss", "ru": "Потеря костной массы"}, "en"))
    world.group.refresh_from_db()
    assert world.group.status == "concluded" and world.group.mandate.get("ru") == "Потеря костной массы"
    assert AuditEntry.objects.filter(verb="group.charter_changed").exists()


def test_work_plan_items_belong_to_member_parties_and_show_on_the_group_page():
    world = build_world()
    with pytest.raises(ValidationError):
        work_plan_item_add(group=world.group, by=world.cn_chair, kind="milestone", due_on=date(2026, 1, 1),
                           title=MultilingualText({"en": "x"}, "en"), owner_party=world.outsider.person
                           .affiliations.get().party)
    item = work_plan_item_add(group=world.group, by=world.cn_chair, kind="deliverable", due_on=date(2026, 1, 1),
                              title=MultilingualText({"en": "Shared data set"}, "en"), owner_party=world.ru)
    assert item.is_overdue(date(2026, 2, 1))
    client = Client()
    client.force_login(world.us_chair)
    page = client.get("/groups/WG-MED/").content.decode()
    assert "Shared data set" in page and "overdue" in page
    work_plan_item_update(item=item, by=world.cn_chair, status="done")
    item.refresh_from_db()
    assert item.done_on == date.today() and not item.is_overdue(date(2026, 2, 1))
    assert Client().get("/groups/WG-MED/").status_code == 302  # signed-in members only
    assert client.get("/api/v1/groups/WG-MED").json()["work_plan"][0]["status"] == "done"
