"""The principal: a user's own parties, their ancestors, delegations and working groups, in one query per request."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from spacebridge.access.principals import ANONYMOUS, principal_for
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup
from spacebridge.parties.models import Role, RoleAssignment
from spacebridge.parties.tests.factories import AffiliationFactory, PartyFactory, PersonFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date.today()
DAY = timedelta(days=1)


def group(acronym: str) -> WorkingGroup:
    return WorkingGroup.objects.create(acronym=acronym, name=MultilingualText({"en": acronym}, "en"))


def fresh(user: Any) -> Any:
    """The user as the next request loads it (nothing cached on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def test_parties_ancestors_countries_and_groups(django_assert_num_queries: Any) -> None:
    academy = PartyFactory(code="cas", country="CN")
    institute = PartyFactory(code="cas-ib", country="CN", parent=academy)
    lab = PartyFactory(code="cas-ib-lab", country="CN", parent=institute)
    russia = PartyFactory(code="ibmp", country="RU")
    elsewhere = PartyFactory(code="nasa", country="US")
    user = member_of(lab)  # affiliated with the lab and a member for it
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="member"), party=russia)
    person = user.person
    AffiliationFactory(person=person, party=elsewhere, start=TODAY - 30 * DAY, end=TODAY - DAY)  # ended yesterday
    in_person, through_parent, through_own, ended, other = (group(a) for a in ("WG-A", "WG-B", "WG-C", "WG-D", "WG-E"))
    GroupMembership.objects.create(group=in_person, party=lab, person=person, start=TODAY, end=TODAY)
    GroupMembership.objects.create(group=through_parent, party=academy, role=GroupMembership.Role.MEMBER_PARTY)
    GroupMembership.objects.create(group=through_own, party=russia, role=GroupMembership.Role.MEMBER_PARTY)
    GroupMembership.objects.create(group=ended, party=lab, end=TODAY - DAY, role=GroupMembership.Role.MEMBER_PARTY)
    GroupMembership.objects.create(group=other, party=elsewhere, role=GroupMembership.Role.MEMBER_PARTY)
    # Someone else's membership in person does not count for this user.
    GroupMembership.objects.create(group=other, party=lab, person=PersonFactory())

    user = fresh(user)
    with django_assert_num_queries(1):
        principal = principal_for(user)
        assert principal_for(user) is principal  # once per request

    assert principal.authenticated and principal.user_id == user.pk
    assert principal.own_party_ids == {lab.pk, russia.pk}
    assert principal.party_ids == {lab.pk, institute.pk, academy.pk, russia.pk}
    assert principal.countries == {"CN", "RU"}
    assert principal.group_ids == {in_person.pk, through_parent.pk, through_own.pk}


def test_affiliations_count_only_while_current() -> None:
    past, current, future, open_ended = (PartyFactory(code=c) for c in ("past", "current", "future", "open"))
    person = PersonFactory(user=UserFactory())
    AffiliationFactory(person=person, party=past, start=TODAY - 9 * DAY, end=TODAY - DAY)
    AffiliationFactory(person=person, party=current, start=TODAY, end=TODAY)
    AffiliationFactory(person=person, party=future, start=TODAY + DAY)
    AffiliationFactory(person=person, party=open_ended, start=None, end=None)
    assert principal_for(fresh(person.user)).own_party_ids == {current.pk, open_ended.pk}


def test_a_user_without_a_person_or_parties_is_a_member_of_nothing() -> None:
    principal = principal_for(UserFactory())
    assert principal.authenticated
    assert not principal.own_party_ids and not principal.party_ids and not principal.countries
    assert not principal.group_ids


def test_a_secretariat_role_without_a_party_gives_no_party() -> None:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="secretariat"), party=None)
    assert principal_for(fresh(user)).own_party_ids == frozenset()


def test_anonymous_and_inactive_users_are_anonymous(django_assert_num_queries: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    inactive = member_of(PartyFactory(code="gone"))
    inactive.is_active = False
    with django_assert_num_queries(0):
        assert principal_for(None) is ANONYMOUS
        assert principal_for(AnonymousUser()) is ANONYMOUS
        assert principal_for(inactive) is ANONYMOUS
