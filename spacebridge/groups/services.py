"""Writes of the groups app (the pages, charters and work plans come with the liaison part)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.parties.models import Party, Person
from spacebridge.parties.permissions import Perm, has_perm

ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


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
    acronym = acronym.strip().upper()
    if not ACRONYM.match(acronym):
        # The acronym is a path segment of every page and reference of the group.
        raise ValidationError({"acronym": _("An acronym is up to 20 Latin letters, digits and hyphens, such as "
                                            "WG-MED.")})
    group = WorkingGroup(acronym=acronym, name=name, status=status)
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
    if person is not None and role == GroupMembership.Role.MEMBER_PARTY:
        raise ValidationError({"role": _("A person holds a role in the group; “member party” is for a party.")})
    if person is None and role != GroupMembership.Role.MEMBER_PARTY:
        raise ValidationError({"role": _("A party without a person joins as a member party.")})
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


def _current_person_roles(
    group: WorkingGroup, user: Any, on: date, memberships: list[GroupMembership] | None = None
) -> set[str]:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return set()
    if memberships is None:
        memberships = list(group.memberships.filter(person=person))
    return {m.role for m in memberships if m.person_id == person.pk and m.is_current(on)}


def can_run_group(
    user: Any, group: WorkingGroup, on: date | None = None, memberships: list[GroupMembership] | None = None
) -> bool:
    """The secretariat, and the group's current co-chairs and secretary, run its charter, work plan and meetings.
    ``memberships``: the group's memberships when the caller has read them already (the group page), to save a query."""
    if has_perm(user, Perm.GROUP_MANAGE):
        return True
    roles = _current_person_roles(group, user, on or date.today(), memberships)
    return bool(roles & {GroupMembership.Role.CO_CHAIR, GroupMembership.Role.SECRETARY})


def _require_runner(group: WorkingGroup, by: Any, check_permission: bool) -> None:
    if check_permission and not can_run_group(by, group):
        raise PermissionDenied(_("Only the group's co-chairs, its secretary and the secretariat do this."))


@transaction.atomic
def group_charter_update(
    *,
    group: WorkingGroup,
    by: Any,
    name: MultilingualText | None = None,
    mandate: MultilingualText | None = None,
    scope: MultilingualText | None = None,
    status: str | None = None,
    subjects: list[Any] | None = None,
    check_permission: bool = True,
) -> WorkingGroup:
    """Change the charter: name, mandate, scope, subjects and status (proposed → active → concluded)."""
    _require_runner(group, by, check_permission)
    before = {"name": group.name.to_json(), "mandate": group.mandate.to_json(), "scope": group.scope.to_json(),
              "status": group.status, "subjects": sorted(c.code for c in group.subjects.all())}
    if name is not None:
        group.name = name
    if mandate is not None:
        group.mandate = mandate
    if scope is not None:
        group.scope = scope
    if status is not None:
        group.status = status
    group.full_clean()
    group.save()
    if subjects is not None:
        group.subjects.set(subjects)
    after = {"name": group.name.to_json(), "mandate": group.mandate.to_json(), "scope": group.scope.to_json(),
             "status": group.status, "subjects": sorted(c.code for c in group.subjects.all())}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    audit_record(actor=by, verb="group.charter_changed", obj=group, changes=changes)
    return group


@transaction.atomic
def group_membership_end(
    *, membership: GroupMembership, by: Any, end: date, check_permission: bool = True
) -> GroupMembership:
    """Close a membership on ``end``; the row stays as the role's history."""
    _require_runner(membership.group, by, check_permission)
    if membership.start and end < membership.start:
        raise ValidationError({"end": _("The end of a membership cannot come before its start.")})
    before = membership.end
    membership.end = end
    membership.save(update_fields=["end"])
    audit_record(
        actor=by,
        verb="group.member_left",
        obj=membership.group,
        changes={"party": membership.party.code, "person": membership.person.transliteration
                 if membership.person else None, "role": membership.role,
                 "end": [before.isoformat() if before else None, end.isoformat()]},
    )
    return membership


@transaction.atomic
def group_role_change(
    *, membership: GroupMembership, by: Any, role: str, on: date, check_permission: bool = True
) -> GroupMembership:
    """A person takes a new role from ``on``: the old membership ends the day before, a new one starts."""
    _require_runner(membership.group, by, check_permission)
    if membership.person_id is None:
        raise ValidationError({"role": _("Only a person's role changes; a member party's membership ends instead.")})
    if role not in GroupMembership.Role.values or role == GroupMembership.Role.MEMBER_PARTY:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if membership.end is not None and membership.end < on:
        raise ValidationError({"start": _("This membership has ended; add the person again instead.")})
    if membership.role == role:
        raise ValidationError({"role": _("The member already holds this role.")})
    if membership.start and on <= membership.start:
        raise ValidationError({"start": _("The new role must start after the current one began.")})
    group_membership_end(membership=membership, by=by, end=on - timedelta(days=1), check_permission=False)
    return group_membership_add(
        group=membership.group, by=by, party=membership.party, person=membership.person, role=role, start=on,
        check_permission=False,
    )


@transaction.atomic
def work_plan_item_add(
    *,
    group: WorkingGroup,
    by: Any,
    kind: str,
    title: MultilingualText,
    owner_party: Party,
    due_on: date,
    check_permission: bool = True,
) -> WorkPlanItem:
    _require_runner(group, by, check_permission)
    if not group.memberships.filter(party=owner_party).exists():
        raise ValidationError({"owner_party": _("The owner party must be a member of the group.")})
    item = WorkPlanItem(group=group, kind=kind, title=title, owner_party=owner_party, due_on=due_on)
    item.full_clean()
    item.save()
    audit_record(actor=by, verb="group.plan_item_added", obj=item, changes={
        "kind": kind, "title": title.to_json(), "owner_party": owner_party.code, "due_on": due_on.isoformat()})
    return item


@transaction.atomic
def work_plan_item_update(
    *,
    item: WorkPlanItem,
    by: Any,
    status: str | None = None,
    due_on: date | None = None,
    evidence: list[Any] | None = None,
    check_permission: bool = True,
) -> WorkPlanItem:
    """Progress of a milestone or deliverable; ``done`` records the day and wants evidence from the registry."""
    _require_runner(item.group, by, check_permission)
    before = {"status": item.status, "due_on": item.due_on.isoformat(),
              "evidence": sorted(r.reference for r in item.evidence.all())}
    if status is not None:
        if status not in WorkPlanItem.Status.values:
            raise ValidationError({"status": _("Choose one of the statuses offered.")})
        item.status = status
        item.done_on = date.today() if status == WorkPlanItem.Status.DONE else None
    if due_on is not None:
        item.due_on = due_on
    item.full_clean()
    item.save()
    if evidence is not None:
        item.evidence.set(evidence)
    after = {"status": item.status, "due_on": item.due_on.isoformat(),
             "evidence": sorted(r.reference for r in item.evidence.all())}
    audit_record(actor=by, verb="group.plan_item_changed", obj=item,
                 changes={k: [before[k], v] for k, v in after.items() if before[k] != v})
    return item
