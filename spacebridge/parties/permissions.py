"""Who may do what: the declared permission vocabulary and the one function that checks it.

Roles are data (``Role.permissions`` lists these codes); a party-scoped role grants its permissions for its party
and that party's sub-parties only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from spacebridge.parties.models import Party, RoleAssignment


class Perm(StrEnum):
    PARTY_CREATE = "party:create"
    PARTY_EDIT = "party:edit"
    PERSON_CREATE = "person:create"
    PERSON_EDIT = "person:edit"
    ROLE_ASSIGN = "role:assign"
    GROUP_MANAGE = "group:manage"
    RELEASE_DECIDE = "release:decide"
    RELEASE_APPROVE_EXPORT = "release:approve-export"
    AUDIT_VERIFY = "audit:verify"
    RECORD_SUBMIT = "record:submit"
    THESAURUS_EDIT = "thesaurus:edit"


PERM_LABELS = {
    Perm.PARTY_CREATE: _("register parties"),
    Perm.PARTY_EDIT: _("edit parties"),
    Perm.PERSON_CREATE: _("register people"),
    Perm.PERSON_EDIT: _("edit people"),
    Perm.ROLE_ASSIGN: _("assign roles"),
    Perm.GROUP_MANAGE: _("manage working groups"),
    Perm.RELEASE_DECIDE: _("decide releases"),
    Perm.RELEASE_APPROVE_EXPORT: _("approve dual-use releases"),
    Perm.AUDIT_VERIFY: _("verify the audit log"),
    Perm.RECORD_SUBMIT: _("share records for a party"),
    Perm.THESAURUS_EDIT: _("edit the thesaurus"),
}


def _assignments(user: Any) -> list[tuple[frozenset[str], bool, int | None]]:
    cached = getattr(user, "_sb_assignments", None)
    if cached is None:
        cached = [
            (frozenset(role_permissions), party_scoped, party_id)
            for role_permissions, party_scoped, party_id in RoleAssignment.objects.filter(user=user).values_list(
                "role__permissions", "role__party_scoped", "party_id"
            )
        ]
        user._sb_assignments = cached
    return cached


def has_perm(user: Any, perm: Perm, party: Party | None = None) -> bool:
    """Whether ``user`` holds ``perm``: globally, or for ``party`` through a role held for it or a parent."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    party_ids = {party.pk, *(p.pk for p in party.ancestors())} if party is not None else set()
    for permissions, party_scoped, party_id in _assignments(user):
        if perm.value not in permissions:
            continue
        if not party_scoped or party_id in party_ids:
            return True
    return False


def perms_of(user: Any) -> set[str]:
    """Every permission ``user`` holds for at least one party (for menus)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return {p.value for p in Perm}
    return set().union(*(permissions for permissions, _s, _p in _assignments(user)))


def can_edit_party(user: Any, party: Party) -> bool:
    return has_perm(user, Perm.PARTY_EDIT, party)


def can_edit_person(user: Any, person: Any) -> bool:
    if has_perm(user, Perm.PERSON_EDIT):
        return True
    if person.user_id is not None and getattr(user, "pk", None) == person.user_id:
        return True  # everyone keeps their own profile (names, languages, time zone) up to date
    return any(has_perm(user, Perm.PERSON_EDIT, a.party) for a in person.affiliations.all())
