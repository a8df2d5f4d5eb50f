"""The one access policy: the queryset filter and the object check must always agree.

Every case below is a release decision (level × marking × embargo) on one object, checked for every kind of viewer:
the filter that list pages use (``visible``), the check that detail pages use (``can_see``) and the fetch that
raises 404 (``get_visible_or_404``) must give the same answer, and that answer must be the expected audience.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from spacebridge.access.models import Level, Marking, ReleasePolicy
from spacebridge.access.policy import can_see, get_visible_or_404, visible
from spacebridge.access.services import release_approve_export, release_grant_add, release_set
from spacebridge.audit.models import AuditEntry
from spacebridge.audit.selectors import audit_verify
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup
from spacebridge.groups.services import group_create, group_membership_add
from spacebridge.parties.models import Party, Person
from spacebridge.parties.tests.factories import (
    AffiliationFactory,
    PartyFactory,
    PersonFactory,
    member_of,
    secretariat_user,
)

pytestmark = pytest.mark.django_db

LEGAL_BASIS = "Wassenaar Arrangement, category 9"


@dataclass
class World:
    owner: Party
    same_country: Party
    other_country: Party
    named: Party
    sub_party: Party
    group_person_party: Party
    group_member_party: Party
    group: WorkingGroup
    liaison_officer: Any
    export_officer: Any
    secretariat: Any
    viewers: dict[str, Any]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """The cast, built once for the module inside a transaction that is rolled back at its end; each test runs
    in a savepoint inside it (pytest-django's own per-test transaction), so what a test decides is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    owner = PartyFactory(code="cmsa", short_name="CMSA", country="CN")
    same_country = PartyFactory(code="cnsa", short_name="CNSA", country="CN")
    other_country = PartyFactory(code="ibmp", short_name="IBMP", country="RU")
    named = PartyFactory(code="nasa", short_name="NASA", country="US")
    sub_party = PartyFactory(code="jsc", short_name="JSC", country="US", parent=named)
    group_person_party = PartyFactory(code="cnes", short_name="CNES", country="FR")
    group_member_party = PartyFactory(code="dlr", short_name="DLR", country="DE")
    secretariat = secretariat_user()

    group = group_create(by=secretariat, acronym="WG-MED", name=MultilingualText({"en": "Space medicine"}, "en"))
    group_membership_add(group=group, by=secretariat, party=group_member_party, role=GroupMembership.Role.MEMBER_PARTY)
    group_person = member_of(group_person_party, username="in-group")
    group_membership_add(group=group, by=secretariat, party=group_person_party, person=group_person.person)

    former = member_of(same_country, username="former-owner-member")
    AffiliationFactory(
        person=former.person,
        party=owner,
        start=timezone.localdate() - timedelta(days=400),
        end=timezone.localdate() - timedelta(days=30),
    )
    inactive = member_of(owner, username="inactive-owner-member")
    inactive.is_active = False
    inactive.save()

    viewers = {
        "anonymous": AnonymousUser(),
        "owner member": member_of(owner, username="owner-member"),
        "same-country member": member_of(same_country, username="same-country"),
        "other-country member": member_of(other_country, username="other-country"),
        "named-party member": member_of(named, username="named-party"),
        "sub-party member": member_of(sub_party, username="sub-party"),
        "group person": group_person,
        "group member-party member": member_of(group_member_party, username="member-party"),
        "secretariat": secretariat,
        "former owner member": former,
        "deactivated owner member": inactive,
    }
    return World(
        owner=owner,
        same_country=same_country,
        other_country=other_country,
        named=named,
        sub_party=sub_party,
        group_person_party=group_person_party,
        group_member_party=group_member_party,
        group=group,
        liaison_officer=member_of(owner, role="liaison_officer", username="owner-liaison"),
        export_officer=member_of(owner, role="export_officer", username="owner-export"),
        secretariat=secretariat,
        viewers=viewers,
    )


SIGNED_IN = {
    "owner member",
    "same-country member",
    "other-country member",
    "named-party member",
    "sub-party member",
    "group person",
    "group member-party member",
    "secretariat",
    "former owner member",
}
EVERYONE = SIGNED_IN | {"anonymous", "deactivated owner member"}
OWNER_ONLY = {"owner member"}

# Release level -> (release_set arguments, the audience when the release is in effect).
AUDIENCES: dict[str, tuple[dict[str, Any], set[str]]] = {
    "public": ({"level": Level.PUBLIC}, EVERYONE),
    "platform": ({"level": Level.PLATFORM}, SIGNED_IN),
    "named party": (
        {"level": Level.PARTIES, "parties": ["named"]},
        {"owner member", "named-party member", "sub-party member"},
    ),
    "delegation": ({"level": Level.PARTIES, "countries": ["ru"]}, {"owner member", "other-country member"}),
    "group": ({"level": Level.GROUP, "group": "group"}, {"owner member", "group person", "group member-party member"}),
    "owner": ({"level": Level.OWNER}, OWNER_ONLY),
}

# Marking and embargo -> (release_set arguments, export approval given?, does the release take effect?).
CONDITIONS: dict[str, tuple[dict[str, Any], bool, bool]] = {
    "unmarked": ({}, False, True),
    "dual-use unapproved": ({"marking": Marking.DUAL_USE}, False, False),
    "dual-use approved": ({"marking": Marking.DUAL_USE}, True, True),
    "embargo until tomorrow": ({"embargo_until": +1}, False, False),
    "embargo ended yesterday": ({"embargo_until": -1}, False, True),
    "dual-use approved under embargo": ({"marking": Marking.DUAL_USE, "embargo_until": +1}, True, False),
}

CASES = [
    pytest.param(audience, condition, expected if takes_effect else OWNER_ONLY, id=f"{audience}-{condition}")
    for audience, (_args, expected) in AUDIENCES.items()
    for condition, (_c, _approved, takes_effect) in CONDITIONS.items()
]


def _subject(world: World, kind: str) -> models.Model:
    """The policy-bearing object: a person record owned by the owner party, or the owner party's own entry."""
    if kind == "party":
        return world.owner
    return PersonFactory(transliteration="Subject Person")


def _release(world: World, obj: models.Model, audience: str, condition: str) -> ReleasePolicy:
    arguments, _expected = AUDIENCES[audience]
    condition_arguments, approved, _takes_effect = CONDITIONS[condition]
    kwargs: dict[str, Any] = {**arguments, **condition_arguments}
    kwargs["parties"] = [getattr(world, name) for name in kwargs.get("parties", [])]
    if "group" in kwargs:
        kwargs["group"] = world.group
    if "embargo_until" in kwargs:
        kwargs["embargo_until"] = timezone.now() + timedelta(days=kwargs["embargo_until"])
    if kwargs.get("marking") == Marking.DUAL_USE:
        kwargs["legal_basis"] = LEGAL_BASIS
    policy = release_set(obj=obj, by=world.liaison_officer, owner_party=world.owner, **kwargs)
    if approved:
        policy = release_approve_export(obj=obj, by=world.export_officer)
    return policy


def _fresh(user: Any) -> Any:
    """The same account as a new request would load it (nothing cached from an earlier check)."""
    if not user.is_authenticated:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def assert_audience(obj: models.Model, viewers: dict[str, Any], expected: set[str]) -> None:
    model = type(obj)
    seen_by_filter, seen_by_check = set(), set()
    for name, user in viewers.items():
        in_list = visible(model.objects.all(), user).filter(pk=obj.pk).exists()
        on_page = can_see(user, obj)
        assert in_list == on_page, f"{name}: the list says {in_list}, the detail check says {on_page}"
        if in_list:
            seen_by_filter.add(name)
            assert get_visible_or_404(model.objects.all(), user, pk=obj.pk) == obj
        else:
            with pytest.raises(Http404):
                get_visible_or_404(model.objects.all(), user, pk=obj.pk)
        if on_page:
            seen_by_check.add(name)
    assert seen_by_filter == expected
    assert seen_by_check == expected


@pytest.mark.parametrize("kind", ["person", "party"])
@pytest.mark.parametrize(("audience", "condition", "expected"), CASES)
def test_filter_and_check_agree_on_every_release(world, kind, audience, condition, expected):
    obj = _subject(world, kind)
    _release(world, obj, audience, condition)
    assert_audience(obj, world.viewers, expected)


@pytest.mark.parametrize("kind", ["person", "party"])
@pytest.mark.parametrize("level", [Level.PUBLIC, Level.PLATFORM, Level.GROUP, Level.PARTIES])
def test_a_controlled_row_is_never_released_beyond_the_owner(world, kind, level):
    """Even a policy row that says otherwise (imported, or written before the rule): controlled stays with the owner."""
    obj = _subject(world, kind)
    policy = ReleasePolicy.objects.create(
        obj=obj,
        owner_party=world.owner,
        level=level,
        group=world.group if level == Level.GROUP else None,
        marking=Marking.CONTROLLED,
        legal_basis=LEGAL_BASIS,
    )
    if level == Level.PARTIES:
        policy.grants.create(party=world.named)
    assert_audience(obj, world.viewers, OWNER_ONLY)


@pytest.mark.parametrize("kind", ["person", "party"])
def test_a_controlled_object_released_to_its_owner_is_seen_by_the_owner_only(world, kind):
    obj = _subject(world, kind)
    release_set(
        obj=obj,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.OWNER,
        marking=Marking.CONTROLLED,
        legal_basis=LEGAL_BASIS,
    )
    assert_audience(obj, world.viewers, OWNER_ONLY)


def test_objects_without_a_decision_follow_their_models_default(world):
    person = PersonFactory()
    assert_audience(person, world.viewers, SIGNED_IN)  # the directory of people: members only
    assert_audience(world.same_country, world.viewers, EVERYONE)  # parties are listed publicly


@pytest.mark.parametrize("level", [Level.PUBLIC, Level.PLATFORM, Level.GROUP, Level.PARTIES])
def test_controlled_cannot_be_released_beyond_the_owner(world, level):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        release_set(
            obj=person,
            by=world.liaison_officer,
            owner_party=world.owner,
            level=level,
            marking=Marking.CONTROLLED,
            legal_basis=LEGAL_BASIS,
            parties=[world.named],
            group=world.group,
        )
    assert "never released beyond its owner party" in " ".join(error.value.message_dict["level"])
    assert not ReleasePolicy.objects.exists()
    assert not AuditEntry.objects.filter(verb="access.released").exists()


def test_release_set_writes_an_audit_entry(world):
    person = PersonFactory()
    release_set(
        obj=person,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.PARTIES,
        parties=[world.named],
        countries=["ru"],
        reason="Joint paper with NASA and IBMP",
    )
    entry = AuditEntry.objects.get(verb="access.released")
    assert entry.actor == world.liaison_officer
    assert entry.object_ref == person.reference
    assert entry.changes["level"] == [None, "parties"]
    assert entry.changes["parties"] == [None, ["nasa"]]
    assert entry.changes["delegations"] == [None, ["RU"]]
    assert entry.changes["reason"] == "Joint paper with NASA and IBMP"
    assert audit_verify().ok


def _dual_use(world: World, obj: models.Model, **kwargs: Any) -> ReleasePolicy:
    return release_set(
        obj=obj,
        by=world.liaison_officer,
        owner_party=world.owner,
        marking=Marking.DUAL_USE,
        legal_basis=LEGAL_BASIS,
        **kwargs,
    )


def test_a_party_added_to_a_dual_use_release_waits_for_its_own_approval(world):
    person = PersonFactory()
    _dual_use(world, person, level=Level.PARTIES, parties=[world.named])
    release_approve_export(obj=person, by=world.export_officer)

    _dual_use(world, person, level=Level.PARTIES, parties=[world.named], countries=["RU"])

    # The approved audience keeps its approval; the new delegation waits for the export officer.
    assert_audience(person, world.viewers, {"owner member", "named-party member", "sub-party member"})
    entry = AuditEntry.objects.filter(verb="access.released").latest("id")
    assert entry.changes["delegations"] == [[], ["RU"]]
    release_approve_export(obj=person, by=world.export_officer)
    assert_audience(
        person, world.viewers, {"owner member", "named-party member", "sub-party member", "other-country member"}
    )


def test_a_new_level_of_a_dual_use_object_drops_the_export_approval(world):
    person = PersonFactory()
    _dual_use(world, person, level=Level.PLATFORM)
    release_approve_export(obj=person, by=world.export_officer)
    assert_audience(person, world.viewers, SIGNED_IN)

    policy = _dual_use(world, person, level=Level.PUBLIC)

    assert policy.export_approved_at is None and policy.export_approved_by is None
    assert_audience(person, world.viewers, OWNER_ONLY)  # nobody new, and nobody old, until approved again
    entry = AuditEntry.objects.filter(verb="access.released").latest("id")
    assert entry.changes["export_approved"] == [True, False]


def test_marking_an_object_dual_use_drops_earlier_approvals_of_its_grants(world):
    person = PersonFactory()
    _dual_use(world, person, level=Level.PARTIES, parties=[world.named])
    release_approve_export(obj=person, by=world.export_officer)
    release_set(obj=person, by=world.liaison_officer, level=Level.PARTIES, parties=[world.named])
    _dual_use(world, person, level=Level.PARTIES, parties=[world.named])
    assert_audience(person, world.viewers, OWNER_ONLY)


def test_a_new_reason_alone_keeps_the_export_approval(world):
    person = PersonFactory()
    arguments = {
        "obj": person,
        "by": world.liaison_officer,
        "owner_party": world.owner,
        "level": Level.PARTIES,
        "parties": [world.named],
        "marking": Marking.DUAL_USE,
        "legal_basis": LEGAL_BASIS,
    }
    release_set(**arguments)
    release_approve_export(obj=person, by=world.export_officer)
    policy = release_set(**arguments, reason="typo fixed")
    assert policy.export_approved_at is not None
    assert can_see(_fresh(world.viewers["sub-party member"]), person)


def test_dual_use_needs_a_legal_basis(world):
    with pytest.raises(ValidationError) as error:
        release_set(
            obj=PersonFactory(),
            by=world.liaison_officer,
            owner_party=world.owner,
            level=Level.PLATFORM,
            marking=Marking.DUAL_USE,
            legal_basis="  ",
        )
    assert "legal_basis" in error.value.message_dict
    assert not ReleasePolicy.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"level": Level.PARTIES}, "level"),
        ({"level": Level.GROUP}, "group"),
        ({"level": "everyone"}, "level"),
        ({"level": Level.PUBLIC, "marking": "secret"}, "marking"),
    ],
    ids=["parties-without-any", "group-without-group", "unknown-level", "unknown-marking"],
)
def test_incomplete_release_is_refused_with_the_field_named(world, arguments, field):
    with pytest.raises(ValidationError) as error:
        release_set(obj=PersonFactory(), by=world.liaison_officer, owner_party=world.owner, **arguments)
    assert field in error.value.message_dict
    assert not ReleasePolicy.objects.exists()


@pytest.mark.parametrize("decider", ["owner member", "other-country member", "secretariat", "anonymous"])
def test_only_the_owner_partys_liaison_officer_decides(world, decider):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.OWNER)
    with pytest.raises(PermissionDenied):
        release_set(obj=person, by=world.viewers[decider], level=Level.PUBLIC)
    assert_audience(person, world.viewers, OWNER_ONLY)
    assert AuditEntry.objects.filter(verb="access.released").count() == 1


def test_another_partys_liaison_officer_cannot_take_over_an_existing_release(world):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.OWNER)
    rival = member_of(world.other_country, role="liaison_officer")
    with pytest.raises(PermissionDenied):
        release_set(obj=person, by=rival, owner_party=world.other_country, level=Level.PUBLIC)
    assert ReleasePolicy.objects.get().owner_party == world.owner


def test_another_partys_liaison_officer_cannot_claim_a_partys_own_entry(world):
    """A party's entry belongs to that party before anyone decides: a rival cannot hide it by claiming it."""
    rival = member_of(world.other_country, role="liaison_officer")
    with pytest.raises(PermissionDenied):
        release_set(obj=world.owner, by=rival, owner_party=world.other_country, level=Level.OWNER)
    assert not ReleasePolicy.objects.exists()
    assert can_see(AnonymousUser(), world.owner)


def test_a_parent_partys_liaison_officer_decides_for_its_sub_party(world):
    person = PersonFactory()
    parent_officer = member_of(world.named, role="liaison_officer")
    policy = release_set(obj=person, by=parent_officer, owner_party=world.sub_party, level=Level.PLATFORM)
    assert policy.owner_party == world.sub_party


@pytest.mark.parametrize("approver", ["liaison officer", "other party's export officer", "owner member"])
def test_only_the_owner_partys_export_officer_approves(world, approver):
    person = PersonFactory()
    release_set(
        obj=person,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.PLATFORM,
        marking=Marking.DUAL_USE,
        legal_basis=LEGAL_BASIS,
    )
    by = {
        "liaison officer": world.liaison_officer,
        "other party's export officer": member_of(world.other_country, role="export_officer"),
        "owner member": world.viewers["owner member"],
    }[approver]
    with pytest.raises(PermissionDenied):
        release_approve_export(obj=person, by=by)
    assert ReleasePolicy.objects.get().export_approved_at is None
    assert not AuditEntry.objects.filter(verb="access.export_approved").exists()
    assert_audience(person, world.viewers, OWNER_ONLY)


def test_export_approval_is_only_for_dual_use(world):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.PLATFORM)
    with pytest.raises(ValidationError):
        release_approve_export(obj=person, by=world.export_officer)


def test_export_approval_writes_an_audit_entry(world):
    person = PersonFactory()
    release_set(
        obj=person,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.PLATFORM,
        marking=Marking.DUAL_USE,
        legal_basis=LEGAL_BASIS,
    )
    release_approve_export(obj=person, by=world.export_officer, note="licence 2026/17")
    entry = AuditEntry.objects.get(verb="access.export_approved")
    assert entry.actor == world.export_officer
    assert entry.changes == {"level": "platform", "grants": [], "note": "licence 2026/17"}


def test_export_approval_names_the_grants_it_approves(world):
    person = PersonFactory()
    _dual_use(world, person, level=Level.OWNER)
    release_grant_add(obj=person, by=world.liaison_officer, party=world.named, reason="Access request 12")
    release_approve_export(obj=person, by=world.export_officer)
    entry = AuditEntry.objects.get(verb="access.export_approved")
    assert [grant.startswith("NASA") for grant in entry.changes["grants"]] == [True]


def test_a_granted_party_and_its_sub_parties_see_beside_the_release(world):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.OWNER)
    release_grant_add(obj=person, by=world.liaison_officer, party=world.named, reason="Access request 7 granted")
    assert_audience(person, world.viewers, {"owner member", "named-party member", "sub-party member"})
    entry = AuditEntry.objects.get(verb="access.granted")
    assert entry.changes == {"party": "nasa", "reason": "Access request 7 granted"}


def test_a_grant_on_a_dual_use_object_waits_for_the_export_officer(world):
    person = PersonFactory()
    _dual_use(world, person, level=Level.OWNER)
    release_grant_add(obj=person, by=world.liaison_officer, party=world.other_country, reason="request")
    assert_audience(person, world.viewers, OWNER_ONLY)
    release_approve_export(obj=person, by=world.export_officer)
    assert_audience(person, world.viewers, {"owner member", "other-country member"})


def test_a_grant_under_embargo_waits_for_the_embargo(world):
    person = PersonFactory()
    release_set(
        obj=person,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.OWNER,
        embargo_until=timezone.now() + timedelta(days=1),
    )
    release_grant_add(obj=person, by=world.liaison_officer, party=world.other_country, reason="request")
    assert_audience(person, world.viewers, OWNER_ONLY)


def test_a_controlled_object_grants_nobody(world):
    person = PersonFactory()
    release_set(
        obj=person,
        by=world.liaison_officer,
        owner_party=world.owner,
        level=Level.OWNER,
        marking=Marking.CONTROLLED,
        legal_basis=LEGAL_BASIS,
    )
    with pytest.raises(ValidationError) as error:
        release_grant_add(obj=person, by=world.liaison_officer, party=world.named, reason="request")
    assert "never released beyond its owner party" in error.value.messages[0]
    assert not ReleasePolicy.objects.get().grants.exists()
    assert not AuditEntry.objects.filter(verb="access.granted").exists()


def test_a_grant_needs_a_decided_release_and_the_owners_officer(world):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        release_grant_add(obj=person, by=world.liaison_officer, party=world.named, reason="request")
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.OWNER)
    rival = member_of(world.named, role="liaison_officer")
    with pytest.raises(PermissionDenied):
        release_grant_add(obj=person, by=rival, party=world.named, reason="we would like to see it")
    assert_audience(person, world.viewers, OWNER_ONLY)


def test_a_new_membership_changes_what_the_next_request_sees(world):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.GROUP, group=world.group)
    outsider = world.viewers["other-country member"]
    assert not can_see(_fresh(outsider), person)
    group_membership_add(
        group=world.group, by=world.secretariat, party=world.other_country, role=GroupMembership.Role.MEMBER_PARTY
    )
    assert can_see(_fresh(outsider), person)
    assert visible(Person.objects.all(), _fresh(outsider)).filter(pk=person.pk).exists()


def test_a_group_membership_that_ended_no_longer_counts(world):
    person = PersonFactory()
    release_set(obj=person, by=world.liaison_officer, owner_party=world.owner, level=Level.GROUP, group=world.group)
    past = member_of(world.same_country)
    group_membership_add(
        group=world.group,
        by=world.secretariat,
        party=world.same_country,
        person=past.person,
        start=timezone.localdate() - timedelta(days=90),
        end=timezone.localdate() - timedelta(days=1),
    )
    assert not can_see(_fresh(past), person)
    assert not visible(Person.objects.all(), _fresh(past)).filter(pk=person.pk).exists()


@pytest.mark.parametrize("lookup", [{"pk": "not-a-number"}, {"pk": 10**12}])
def test_get_visible_or_404_turns_bad_and_missing_lookups_into_404(world, lookup):
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), world.viewers["owner member"], **lookup)
