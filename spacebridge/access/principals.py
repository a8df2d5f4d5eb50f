"""What a user is, for access decisions: their parties, delegations and working groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from spacebridge.groups.models import GroupMembership
from spacebridge.parties.models import Party, RoleAssignment


@dataclass(frozen=True)
class Principal:
    authenticated: bool = False
    user_id: int | None = None
    # The user's own parties (current affiliations and party roles), for "owner" decisions.
    own_party_ids: frozenset[int] = field(default_factory=frozenset)
    # Those parties and their ancestors: a release to a parent reaches its sub-parties' people.
    party_ids: frozenset[int] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return self.authenticated


ANONYMOUS = Principal()


def _own_parties(user) -> set[int]:  # type: ignore[no-untyped-def]
    today = date.today()
    ids = set(RoleAssignment.objects.filter(user=user, party__isnull=False).values_list("party_id", flat=True))
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        ids |= set(
            person.affiliations.filter(Q(start__isnull=True) | Q(start__lte=today))
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .values_list("party_id", flat=True)
        )
    return ids


def principal_for(user) -> Principal:  # type: ignore[no-untyped-def]
    """The principal of a user, computed once per user object (a request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_sb_principal", None)
    if cached is not None:
        return cached
    own = _own_parties(user)
    parents = dict(Party.objects.values_list("id", "parent_id"))
    with_ancestors = set(own)
    for party_id in own:
        node = parents.get(party_id)
        while node is not None and node not in with_ancestors:
            with_ancestors.add(node)
            node = parents.get(node)
    countries = set(Party.objects.filter(id__in=own).values_list("country", flat=True))
    today = date.today()
    person_id = getattr(getattr(user, "person", None), "pk", None) if hasattr(user, "person") else None
    current = GroupMembership.objects.filter(Q(start__isnull=True) | Q(start__lte=today)).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    member_of = Q(person_id=person_id) if person_id else Q(pk__in=[])
    member_of |= Q(person__isnull=True, party_id__in=with_ancestors)
    groups = set(current.filter(member_of).values_list("group_id", flat=True))
    principal = Principal(
        authenticated=True,
        user_id=user.pk,
        own_party_ids=frozenset(own),
        party_ids=frozenset(with_ancestors),
        countries=frozenset(countries),
        group_ids=frozenset(groups),
    )
    user._sb_principal = principal
    return principal
