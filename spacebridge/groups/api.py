"""JSON endpoints of the working groups: charter, members with role history, work plan; and the writes that change
them, through the same selectors and services as the pages (a group the caller may not see is a 404, a change the
caller may not make a 403, bad input a 422: RFC 9457 problems)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from spacebridge.access.policy import visible
from spacebridge.core.api import PROBLEMS, require_member
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups import selectors, services
from spacebridge.groups.models import GroupMembership, WorkingGroup, WorkPlanItem
from spacebridge.groups.schemas import (
    GroupIn,
    GroupOut,
    GroupPatch,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    PlanItemIn,
    PlanItemOut,
    PlanItemPatch,
    RoleChangeIn,
)
from spacebridge.parties.models import Party, Person

router = Router(tags=["groups"])


def _membership_out(m: GroupMembership, today: date) -> dict[str, Any]:
    return {"id": m.pk, "party": m.party.code, "person": m.person.transliteration if m.person else None,
            "person_id": m.person_id, "role": m.role, "start": m.start, "end": m.end, "current": m.is_current(today)}


def _plan_out(items: list[WorkPlanItem], user: Any) -> list[dict[str, Any]]:
    """The items with the evidence ``user`` may see, read in one query for all of them."""
    today = date.today()
    linked = {r.pk for item in items for r in item.evidence.all()}
    record_model = apps.get_model("records", "Record")
    seen = {r.pk for r in selectors.records_seen(user=user, queryset=record_model.objects.filter(pk__in=linked))}
    return [{"id": i.pk, "reference": i.reference, "kind": i.kind, "title": i.title.to_json(),
             "owner_party": i.owner_party.code, "due_on": i.due_on, "status": i.status, "done_on": i.done_on,
             "overdue": i.is_overdue(today),
             "evidence": sorted(r.reference for r in i.evidence.all() if r.pk in seen)} for i in items]


def _group_out(group: WorkingGroup, user: Any) -> dict[str, Any]:
    today = date.today()
    plan = list(group.work_plan.select_related("owner_party", "group").prefetch_related("evidence"))
    return {
        "acronym": group.acronym, "name": group.name.to_json(), "status": group.status,
        "mandate": group.mandate.to_json(), "scope": group.scope.to_json(),
        "subjects": [c.code for c in group.subjects.all()],
        "members": [_membership_out(m, today) for m in group.memberships.select_related("party", "person")],
        "work_plan": _plan_out(plan, user),
    }


def _party(code: str, field: str) -> Party:
    party = Party.objects.filter(code=code.strip().lower()[:40]).first()
    if party is None:
        raise ValidationError({field: _("There is no party “%(code)s”.") % {"code": code[:40]}})
    return party


def _person(pk: int | None, user: Any) -> Person | None:
    if pk is None:
        return None
    person = selectors.people_for(user).filter(pk=pk).first() if 0 < pk <= selectors.MAX_KEY else None
    if person is None:
        raise ValidationError({"person": _("There is no person with the id %(id)s.") % {"id": pk}})
    return person


def _text(value: Any) -> MultilingualText | None:
    return MultilingualText.from_json(value.dict()) if value is not None else None


@router.get("/", response={200: list[GroupOut], **PROBLEMS}, summary="List working groups")
def group_list(request: HttpRequest) -> list[dict[str, Any]]:
    groups = visible(WorkingGroup.objects.prefetch_related("subjects"), request.auth)
    return [_group_out(g, request.auth) for g in groups]


@router.post("/", response={201: GroupOut, **PROBLEMS}, summary="Set up a working group (the secretariat)")
def group_create(request: HttpRequest, payload: GroupIn) -> Status:
    user = require_member(request)
    group = services.group_create(by=user, acronym=payload.acronym, name=_text(payload.name), status=payload.status)
    return Status(201, _group_out(group, user))


@router.get("/{acronym}", response={200: GroupOut, **PROBLEMS}, summary="One working group")
def group_detail(request: HttpRequest, acronym: str) -> dict[str, Any]:
    return _group_out(selectors.group_get_for_user(user=request.auth, acronym=acronym), request.auth)


@router.patch("/{acronym}", response={200: GroupOut, **PROBLEMS},
              summary="Change a group's charter: name, mandate, scope, subjects, status")
def group_charter_update(request: HttpRequest, acronym: str, payload: GroupPatch) -> dict[str, Any]:
    user = require_member(request)
    group = selectors.group_get_for_run(user=user, acronym=acronym)
    subjects = selectors.concepts_by_code(codes=payload.subjects) if payload.subjects is not None else None
    services.group_charter_update(group=group, by=user, name=_text(payload.name), mandate=_text(payload.mandate),
                                  scope=_text(payload.scope), status=payload.status, subjects=subjects)
    return _group_out(group, user)


@router.post("/{acronym}/memberships", response={201: MembershipOut, **PROBLEMS},
             summary="Add a member party, or a person with a role (the secretariat)")
def membership_add(request: HttpRequest, acronym: str, payload: MembershipIn) -> Status:
    user = require_member(request)
    group = selectors.group_get_for_manage(user=user, acronym=acronym)
    membership = services.group_membership_add(
        group=group, by=user, party=_party(payload.party, "party"), person=_person(payload.person, user),
        role=payload.role, start=payload.start, end=payload.end)
    return Status(201, _membership_out(membership, date.today()))


@router.post("/{acronym}/memberships/{int:membership_id}/end", response={200: MembershipOut, **PROBLEMS},
             summary="End a membership; it stays in the role history")
def membership_end(request: HttpRequest, acronym: str, membership_id: int, payload: MembershipEndIn) -> Any:
    user = require_member(request)
    group = selectors.group_get_for_run(user=user, acronym=acronym)
    membership = selectors.membership_of(group=group, pk=membership_id)
    membership = services.group_membership_end(membership=membership, by=user, end=payload.end)
    return _membership_out(membership, date.today())


@router.post("/{acronym}/memberships/{int:membership_id}/role", response={201: MembershipOut, **PROBLEMS},
             summary="A person takes a new role: the old membership ends the day before, the new one is answered")
def role_change(request: HttpRequest, acronym: str, membership_id: int, payload: RoleChangeIn) -> Status:
    user = require_member(request)
    group = selectors.group_get_for_run(user=user, acronym=acronym)
    membership = selectors.membership_of(group=group, pk=membership_id)
    new = services.group_role_change(membership=membership, by=user, role=payload.role, on=payload.on)
    return Status(201, _membership_out(new, date.today()))


@router.post("/{acronym}/work-plan", response={201: PlanItemOut, **PROBLEMS},
             summary="Add a milestone or deliverable to a group's work plan")
def plan_item_add(request: HttpRequest, acronym: str, payload: PlanItemIn) -> Status:
    user = require_member(request)
    group = selectors.group_get_for_run(user=user, acronym=acronym)
    item = services.work_plan_item_add(group=group, by=user, kind=payload.kind, title=_text(payload.title),
                                       owner_party=_party(payload.owner_party, "owner_party"), due_on=payload.due_on)
    return Status(201, _plan_out([item], user)[0])


@router.patch("/{acronym}/work-plan/{int:item_id}", response={200: PlanItemOut, **PROBLEMS},
              summary="Progress of a work-plan item: status, due date, evidence in the registry")
def plan_item_update(request: HttpRequest, acronym: str, item_id: int, payload: PlanItemPatch) -> Any:
    user = require_member(request)
    group = selectors.group_get_for_run(user=user, acronym=acronym)
    item = selectors.plan_item_of(group=group, pk=item_id)
    evidence = None
    if payload.evidence is not None:
        chosen = selectors.records_by_reference(user=user, references=payload.evidence)
        evidence = selectors.evidence_keeping_hidden(user=user, item=item, chosen=chosen)
    item = services.work_plan_item_update(item=item, by=user, status=payload.status, due_on=payload.due_on,
                                          evidence=evidence)
    return _plan_out([item], user)[0]
