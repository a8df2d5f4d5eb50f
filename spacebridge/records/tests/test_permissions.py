"""Who may do what with a record (reading is the access policy's, tested with the pages)."""

from __future__ import annotations

from typing import Any

import pytest

from spacebridge.access.models import Level
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.permissions import can_approve_export, can_decide_release, can_edit_record, can_submit_for
from spacebridge.records.tests import test_views
from spacebridge.records.tests.test_views import World

pytestmark = pytest.mark.django_db

world = test_views.world  # the shared fixture


def test_who_edits_a_record(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    parent = PartyFactory(code="ras-t", country="RU")
    world.ru.parent = parent
    world.ru.save()
    parent_liaison = member_of(parent, role="liaison_officer", username="elena")
    creator = member_of(world.ru, role="member", username="creator")
    record.created_by = creator
    record.save(update_fields=["created_by"])
    assert can_edit_record(world.ru_liaison, record)
    assert can_edit_record(parent_liaison, record)  # a parent party's officer acts for its sub-parties
    assert can_edit_record(creator, record)
    assert not can_edit_record(world.ru_member, record)
    assert not can_edit_record(world.ru_export, record)
    assert not can_edit_record(world.cn_member, record)


def test_who_decides_and_approves_releases(world: World) -> None:
    record = world.record(level=Level.PUBLIC)
    assert can_decide_release(world.ru_liaison, record)
    assert not can_decide_release(world.ru_export, record)
    assert not can_decide_release(world.ru_member, record)
    assert can_approve_export(world.ru_export, record)
    assert not can_approve_export(world.ru_liaison, record)
    assert not can_approve_export(world.cn_member, record)


def test_who_shares_records_for_a_party(world: World, django_user_model: Any) -> None:
    assert can_submit_for(world.ru_member, world.ru)
    assert not can_submit_for(world.ru_member, world.cn)
    assert not can_submit_for(django_user_model.objects.create(username="nobody"), world.ru)
