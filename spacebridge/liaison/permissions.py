"""Who may do what with liaison series and meetings: the only place these rules live."""

from __future__ import annotations

from typing import Any

from spacebridge.access.principals import principal_for
from spacebridge.groups.models import WorkingGroup
from spacebridge.groups.services import can_run_group
from spacebridge.parties.permissions import Perm, has_perm


def can_run(user: Any, group: WorkingGroup | None) -> bool:
    """A group's co-chairs, secretary and the secretariat run its series, meetings, minutes, decisions and actions;
    platform-wide series are the secretariat's."""
    if group is None:
        return has_perm(user, Perm.GROUP_MANAGE)
    return can_run_group(user, group)


def answerable_delegations(user: Any, group: WorkingGroup | None) -> set[str]:
    """The delegations (countries) for which ``user`` may approve minutes: their own, as a member of the group."""
    principal = principal_for(user)
    if not principal.authenticated:
        return set()
    if group is not None and group.pk not in principal.group_ids:
        return set()
    return {str(code) for code in principal.countries}


def can_update_action(user: Any, item: Any) -> bool:
    """The owner of an action item, the owner party's people in the group, and those who run the group."""
    if can_run(user, item.group):
        return True
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is not None and item.owner_person_id == person.pk:
        return True
    return item.owner_party_id in principal_for(user).own_party_ids


def liaison_officer_party_ids(user: Any) -> frozenset[int]:
    """The parties for which ``user`` is a liaison officer (held for the party itself), read once per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_sb_liaison_officer_parties", None)
    if cached is None:
        from spacebridge.parties.models import RoleAssignment

        cached = frozenset(RoleAssignment.objects.filter(user=user, role__code=LIAISON_OFFICER_ROLE,
                                                         party__isnull=False).values_list("party_id", flat=True))
        user._sb_liaison_officer_parties = cached
    return cached


LIAISON_OFFICER_ROLE = "liaison_officer"


def can_answer_invitation(user: Any, *, person: Any | None, party: Any) -> bool:
    """People answer their own invitation; a party's liaison officer answers for the party (its row without a
    person), as do the liaison officers of a parent party."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if person is not None:
        return person.user_id is not None and person.user_id == user.pk
    officer_of = liaison_officer_party_ids(user)
    if party.pk in officer_of:
        return True
    return bool(officer_of) and any(p.pk in officer_of for p in party.ancestors())
