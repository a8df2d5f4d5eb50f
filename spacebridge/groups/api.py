"""JSON endpoints of the working groups: charter, members with role history, work plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from spacebridge.access.policy import get_visible_or_404, visible
from spacebridge.core.api import PROBLEMS
from spacebridge.groups.models import WorkingGroup

router = Router(tags=["groups"])


class MembershipOut(Schema):
    party: str
    person: str | None
    role: str
    start: date | None
    end: date | None
    current: bool


class PlanItemOut(Schema):
    kind: str
    title: dict[str, Any]
    owner_party: str
    due_on: date
    status: str
    overdue: bool
    evidence: list[str]


class GroupOut(Schema):
    acronym: str
    name: dict[str, Any]
    status: str
    mandate: dict[str, Any]
    scope: dict[str, Any]
    subjects: list[str]
    members: list[MembershipOut]
    work_plan: list[PlanItemOut]


def _group_out(group: WorkingGroup, user: Any) -> dict[str, Any]:
    today = date.today()
    from spacebridge.records.models import Record

    return {
        "acronym": group.acronym, "name": group.name.to_json(), "status": group.status,
        "mandate": group.mandate.to_json(), "scope": group.scope.to_json(),
        "subjects": [c.code for c in group.subjects.all()],
        "members": [{"party": m.party.code, "person": m.person.transliteration if m.person else None,
                     "role": m.role, "start": m.start, "end": m.end, "current": m.is_current(today)}
                    for m in group.memberships.select_related("party", "person")],
        "work_plan": [{"kind": i.kind, "title": i.title.to_json(), "owner_party": i.owner_party.code,
                       "due_on": i.due_on, "status": i.status, "overdue": i.is_overdue(today),
                       "evidence": list(visible(Record.objects.filter(pk__in=i.evidence.values("pk")), user)
                                        .values_list("reference", flat=True))}
                      for i in group.work_plan.select_related("owner_party")],
    }


@router.get("/", response={200: list[GroupOut], **PROBLEMS}, summary="List working groups")
def group_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_group_out(g, request.auth) for g in visible(WorkingGroup.objects.all(), request.auth)]


@router.get("/{acronym}", response={200: GroupOut, **PROBLEMS}, summary="One working group")
def group_detail(request: HttpRequest, acronym: str) -> dict[str, Any]:
    group = get_visible_or_404(WorkingGroup.objects.all(), request.auth, acronym=acronym[:20])
    return _group_out(group, request.auth)
