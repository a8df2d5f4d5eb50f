"""Reads of the groups app for its pages and API: fetch and authorise in one call, and look up what a form names."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from spacebridge.access.policy import get_visible_or_404, visible
from spacebridge.access.principals import principal_for
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.groups.services import can_run_group
from spacebridge.parties.models import Party, Person
from spacebridge.parties.permissions import Perm, has_perm


def group_get_for_user(*, user: Any, acronym: str) -> WorkingGroup:
    """A group the user may see, else a 404."""
    return get_visible_or_404(WorkingGroup.objects.all(), user, acronym=acronym.upper()[:20])


def group_get_for_run(*, user: Any, acronym: str) -> WorkingGroup:
    """A group the user may see (else a 404) and run (else a 403): its co-chairs, secretary and the secretariat."""
    group = group_get_for_user(user=user, acronym=acronym)
    if not can_run_group(user, group):
        raise PermissionDenied(_("Only the group's co-chairs, its secretary and the secretariat do this."))
    return group


# The largest key a database column holds; a number past it names no row (SQLite would overflow, not filter).
MAX_KEY = 2**63 - 1


def membership_of(*, group: WorkingGroup, pk: int) -> GroupMembership:
    if not 0 < pk <= MAX_KEY:
        raise Http404
    membership = group.memberships.select_related("party", "person", "group").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def plan_item_of(*, group: WorkingGroup, pk: int) -> WorkPlanItem:
    if not 0 < pk <= MAX_KEY:
        raise Http404
    item = group.work_plan.select_related("owner_party", "group").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def member_parties(group: WorkingGroup) -> QuerySet[Party]:
    """The parties that hold a membership of the group (the owners a work-plan item may have)."""
    return Party.objects.filter(pk__in=group.memberships.values("party_id")).order_by("short_name")


def people_for(user: Any) -> QuerySet[Person]:
    """The people a form may name: those the user may see."""
    return visible(Person.objects.all(), user).order_by("transliteration")


def split_references(text: str) -> list[str]:
    return list(dict.fromkeys(r for r in re.split(r"[\s,;]+", text or "") if r))


def records_by_reference(*, user: Any, references: list[str], field: str = "evidence") -> list[Any]:
    """The registry records named by their references, among those ``user`` may see; one the user may not see is
    reported as unknown, like a missing one, so that the answer reveals nothing."""
    record_model = apps.get_model("records", "Record")  # the registry stands above groups: no import
    references = [r.strip().upper()[:40] for r in references if r.strip()][:50]
    found = records_seen(user=user, queryset=record_model.objects.filter(reference__in=references))
    missing = [r for r in references if r not in {record.reference for record in found}]
    if missing:
        raise ValidationError({field: _("No record you can see has the reference %(refs)s.")
                               % {"refs": ", ".join(missing)}})
    by_reference = {record.reference: record for record in found}
    return [by_reference[r] for r in references]


def concepts_by_code(*, codes: list[str], field: str = "subjects") -> list[Any]:
    """Thesaurus concepts named by their codes (``code — label`` as the edit page writes them works too)."""
    concept_model = apps.get_model("records", "Concept")
    codes = list(dict.fromkeys(c.split(" — ")[0].strip() for c in codes if c.strip()))[:100]
    found = {c.code.lower(): c for c in concept_model.objects.filter(
        Q(code__in=codes) | Q(code__in=[c.lower() for c in codes]) | Q(code__in=[c.upper() for c in codes]))}
    missing = [c for c in codes if c.lower() not in found]
    if missing:
        raise ValidationError({field: _("“%(codes)s” is not in the thesaurus: give the concept's code.")
                               % {"codes": ", ".join(m[:60] for m in missing)}})
    return [found[c.lower()] for c in codes]


def group_get_for_manage(*, user: Any, acronym: str) -> WorkingGroup:
    """A group the user may see (else a 404) whose members the user may change (else a 403): the secretariat."""
    group = group_get_for_user(user=user, acronym=acronym)
    if not has_perm(user, Perm.GROUP_MANAGE):
        raise PermissionDenied(_("Only the secretariat changes a working group's members."))
    return group


def evidence_keeping_hidden(*, user: Any, item: WorkPlanItem, chosen: list[Any]) -> list[Any]:
    """The evidence an update sets: the records chosen, and those already linked that ``user`` may not see (a
    person cannot remove what they cannot see, nor learn that it is there)."""
    record_model = apps.get_model("records", "Record")
    linked = record_model.objects.filter(pk__in=item.evidence.values("pk"))
    seen = {r.pk for r in records_seen(user=user, queryset=linked)}
    return list(dict.fromkeys([*chosen, *(r for r in linked if r.pk not in seen)]))


def records_seen(*, user: Any, queryset: QuerySet[Any]) -> list[Any]:
    """The records of ``queryset`` that ``user`` may see: released to them and published, or their own party's."""
    own = Q(owner_party_id__in=principal_for(user).own_party_ids)
    # A party's draft is its own until published, whatever policy it already carries.
    return list((visible(queryset, user) | queryset.filter(own)).filter(~Q(status="draft") | own).distinct())
