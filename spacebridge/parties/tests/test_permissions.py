"""Who may do what: global roles hold everywhere, party roles for their party and its sub-parties only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from spacebridge.parties.models import Role, RoleAssignment
from spacebridge.parties.permissions import Perm, can_edit_party, can_edit_person, has_perm, perms_of
from spacebridge.parties.tests.factories import (
    AffiliationFactory,
    PartyFactory,
    PersonFactory,
    UserFactory,
    member_of,
    secretariat_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    """Roscosmos with its sub-party GCTC, and IBMP beside them."""
    roscosmos = PartyFactory(code="roscosmos", country="RU")
    gctc = PartyFactory(code="gctc", country="RU", parent=roscosmos)
    ibmp = PartyFactory(code="ibmp", country="RU")
    return {"roscosmos": roscosmos, "gctc": gctc, "ibmp": ibmp}


def _fresh(user):  # type: ignore[no-untyped-def]
    """The account as the next request loads it (permissions are cached per request)."""
    return type(user).objects.get(pk=user.pk)


def test_visitors_and_deactivated_accounts_hold_nothing(tree):
    assert not has_perm(AnonymousUser(), Perm.PARTY_EDIT, tree["gctc"])
    assert not has_perm(None, Perm.PARTY_EDIT)
    officer = secretariat_user()
    officer.is_active = False
    officer.save()
    assert not has_perm(_fresh(officer), Perm.PARTY_CREATE)
    assert perms_of(AnonymousUser()) == set()


def test_a_global_role_holds_for_every_party_and_none(tree):
    officer = secretariat_user()
    assert has_perm(officer, Perm.PARTY_CREATE)
    assert all(has_perm(officer, Perm.PARTY_EDIT, party) for party in tree.values())
    assert not has_perm(officer, Perm.RELEASE_DECIDE, tree["gctc"])  # not among the secretariat's permissions


@pytest.mark.parametrize(
    ("party", "allowed"),
    [("roscosmos", True), ("gctc", True), ("ibmp", False), (None, False)],
    ids=["own-party", "sub-party", "other-party", "no-party"],
)
def test_a_party_role_holds_for_its_party_and_sub_parties(tree, party, allowed):
    officer = member_of(tree["roscosmos"], role="liaison_officer")
    assert has_perm(officer, Perm.PARTY_EDIT, tree[party] if party else None) is allowed


def test_a_sub_partys_officer_holds_nothing_for_the_parent(tree):
    officer = member_of(tree["gctc"], role="liaison_officer")
    assert has_perm(officer, Perm.RELEASE_DECIDE, tree["gctc"])
    assert not has_perm(officer, Perm.RELEASE_DECIDE, tree["roscosmos"])


def test_a_party_role_grants_only_its_declared_permissions(tree):
    exporter = member_of(tree["ibmp"], role="export_officer")
    assert has_perm(exporter, Perm.RELEASE_APPROVE_EXPORT, tree["ibmp"])
    assert not has_perm(exporter, Perm.RELEASE_DECIDE, tree["ibmp"])
    assert not has_perm(member_of(tree["ibmp"]), Perm.PARTY_EDIT, tree["ibmp"])


def test_a_superuser_holds_everything(tree):
    admin = UserFactory(is_superuser=True)
    assert all(has_perm(admin, perm, tree["ibmp"]) for perm in Perm)
    assert perms_of(admin) == {perm.value for perm in Perm}


def test_perms_of_gathers_every_role(tree):
    user = member_of(tree["ibmp"], role="export_officer")
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="liaison_officer"), party=tree["gctc"])
    assert perms_of(_fresh(user)) == set(Role.objects.get(code="export_officer").permissions) | set(
        Role.objects.get(code="liaison_officer").permissions
    )


def test_roles_are_data_the_secretariat_edits(tree):
    member = member_of(tree["ibmp"])
    assert not has_perm(member, Perm.PARTY_EDIT, tree["ibmp"])
    role = Role.objects.get(code="member")
    role.permissions = [*role.permissions, Perm.PARTY_EDIT.value]
    role.save()
    assert has_perm(_fresh(member), Perm.PARTY_EDIT, tree["ibmp"])
    assert not has_perm(_fresh(member), Perm.PARTY_EDIT, tree["gctc"])


def test_who_may_edit_a_party(tree):
    assert can_edit_party(secretariat_user(), tree["ibmp"])
    assert can_edit_party(member_of(tree["roscosmos"], role="liaison_officer"), tree["gctc"])
    assert not can_edit_party(member_of(tree["gctc"], role="liaison_officer"), tree["ibmp"])


def test_who_may_edit_a_person(tree):
    person = PersonFactory()
    AffiliationFactory(person=person, party=tree["gctc"])
    assert can_edit_person(secretariat_user(), person)
    assert can_edit_person(member_of(tree["roscosmos"], role="liaison_officer"), person)
    assert not can_edit_person(member_of(tree["ibmp"], role="liaison_officer"), person)
    assert not can_edit_person(member_of(tree["gctc"]), person)


def test_everyone_may_edit_their_own_profile(tree):
    me = member_of(tree["ibmp"])
    assert can_edit_person(me, me.person)
    assert not can_edit_person(me, PersonFactory())
