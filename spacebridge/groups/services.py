"""Writes of the groups app (the pages, charters and work plans come with the liaison part)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup
from spacebridge.parties.models import Party, Person
from spacebridge.parties.permissions import Perm, has_perm


@transaction.atomic
def group_create(
    *,
    by: Any,
    acronym: str,
    name: MultilingualText,
    status: str = WorkingGroup.Status.PROPOSED,
    check_permission: bool = True,
) -> WorkingGroup:
    if check_permission and not has_perm(by, Perm.GROUP_MANAGE):
        raise PermissionDenied(_("Only the secretariat sets up working groups."))
    group = WorkingGroup(acronym=acronym.strip().upper(), name=name, status=status)
    group.full_clean()
    group.save()
    audit_record(
        actor=by,
        verb="group.created",
        obj=group,
        changes={"acronym": group.acronym, "name": name.to_json(), "status": status},
    )
    return group


@transaction.atomic
def group_membership_add(
    *,
    group: WorkingGroup,
    by: Any,
    party: Party,
    person: Person | None = None,
    role: str = GroupMembership.Role.MEMBER,
    start: date | None = None,
    end: date | None = None,
    check_permission: bool = True,
) -> GroupMembership:
    if check_permission and not has_perm(by, Perm.GROUP_MANAGE):
        raise PermissionDenied(_("Only the secretariat changes a working group's members."))
    if start and end and end < start:
        raise ValidationError({"end": _("The end of a membership cannot come before its start.")})
    membership = GroupMembership(group=group, party=party, person=person, role=role, start=start, end=end)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        verb="group.member_added",
        obj=group,
        changes={
            "party": party.code,
            "person": person.transliteration if person else None,
            "role": role,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    )
    return membership
