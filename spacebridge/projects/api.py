"""Joint projects: list and read under the access policy; register and change them, their parties and milestones."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from spacebridge.access.policy import visible
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.multilingual import MultilingualText, validate_multilingual
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.projects import selectors, services
from spacebridge.projects.models import Milestone, Project
from spacebridge.projects.schemas import (
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ParticipationIn,
    ProjectIn,
    ProjectOut,
    ProjectPage,
    ProjectPatch,
)
from spacebridge.records.selectors import records_visible

router = Router(tags=["projects"])


def _text(value: Any) -> dict[str, Any]:
    return MultilingualText.from_json(value).to_json()


def project_out(project: Project, request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "slug": project.slug,
        "url": request.build_absolute_uri(project.get_absolute_url()),
        "name": _text(project.name),
        "description": _text(project.description),
        "status": project.status,
        "start": project.start,
        "end": project.end,
        "place": _text(project.place),
        "latitude": float(project.latitude) if project.latitude is not None else None,
        "longitude": float(project.longitude) if project.longitude is not None else None,
        "agreements": list(project.agreements),
        "groups": list(selectors.project_groups(project=project, user=user).values_list("acronym", flat=True)),
        "records": list(selectors.project_records(project=project, user=user).values_list("reference", flat=True)),
        "participations": [
            {
                "party": p.party.code,
                "role": p.role,
                "contribution_kind": p.contribution_kind,
                "contribution": _text(p.contribution),
                "amount": str(p.amount) if p.amount is not None else None,
                "currency": p.currency or None,
            }
            for p in project.participations.all()
        ],
        "milestones": [milestone_out(m) for m in project.milestones.all()],
    }


def milestone_out(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "title": _text(milestone.title),
        "due_on": milestone.due_on,
        "status": milestone.status,
        "achieved_on": milestone.achieved_on,
    }


def _multilingual(value: Any, field: str, required: bool = True) -> MultilingualText:
    text = MultilingualText(dict(value.text), value.original) if value is not None else MultilingualText()
    try:
        validate_multilingual(text, required=required)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _party(code: str, request: HttpRequest, field: str) -> Party:
    party = visible(Party.objects.all(), request.auth).filter(code=code).first()  # type: ignore[attr-defined]
    if party is None:
        raise ValidationError({field: _("There is no party with the code “%(value)s”.") % {"value": code[:60]}})
    return party


def _links(payload: Any, request: HttpRequest) -> dict[str, Any]:
    links: dict[str, Any] = {}
    user = request.auth  # type: ignore[attr-defined]
    if payload.groups is not None:
        groups = list(visible(WorkingGroup.objects.filter(acronym__in=payload.groups), user))
        missing = set(payload.groups) - {g.acronym for g in groups}
        if missing:
            raise ValidationError({"groups": _("There is no working group “%(value)s”.") % {"value": sorted(missing)[0][:60]}})
        links["groups"] = groups
    if payload.records is not None:
        records = list(records_visible(user=user).filter(reference__in=[r.upper()[:20] for r in payload.records]))
        missing = {r.upper() for r in payload.records} - {r.reference for r in records}
        if missing:
            raise ValidationError({"records": _("There is no record %(value)s, or you may not see it.") % {"value": sorted(missing)[0][:60]}})
        links["records"] = records
    return links


def _fields(payload: Any, request: HttpRequest) -> dict[str, Any]:
    given = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    for name in ("description", "place"):
        if name in given:
            fields[name] = _multilingual(getattr(payload, name), name, required=False)
    if "name" in given:
        fields["name"] = _multilingual(payload.name, "name")
    for name in ("status", "start", "end", "latitude", "longitude", "agreements"):
        if name in given:
            fields[name] = given[name]
    if fields.get("status", "") is None:
        raise ValidationError({"status": _("Choose a valid status.")})
    return fields


class ProjectFilters(Schema):
    status: str = ""
    party: str = ""
    country: str = ""
    group: str = ""
    year: int | None = None
    q: str = ""
    cursor: str | None = None
    limit: int = 50


def _project(request: HttpRequest, slug: str) -> Project:
    return selectors.project_get_for_user(user=request.auth, slug=slug)  # type: ignore[attr-defined]


@router.get("/", response={200: ProjectPage, **PROBLEMS}, summary="List joint projects")
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    if filters.status and filters.status not in Project.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if filters.year is not None and not 1900 <= filters.year <= 2200:
        raise ValidationError({"year": _("Give a year between 1900 and 2200.")})
    if not 1 <= filters.limit <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and %(most)d items.") % {"most": 200}})
    projects = selectors.project_list(
        user=request.auth,  # type: ignore[attr-defined]
        status=filters.status, party=filters.party[:40], country=filters.country[:2], group=filters.group[:20],
        year=filters.year, query=filters.q.replace("\x00", "")[:200],
    )
    rows, next_cursor = keyset_page(projects, cursor=filters.cursor, limit=filters.limit)
    return {"items": [project_out(p, request) for p in rows], "next_cursor": next_cursor}


@router.post("/", response={201: ProjectOut, **PROBLEMS}, summary="Register a joint project")
def project_create(request: HttpRequest, payload: ProjectIn) -> Status:
    user = require_member(request)
    fields = _fields(payload, request)
    project = services.project_create(
        by=user, slug=payload.slug, lead_party=_party(payload.lead_party, request, "lead_party"),
        **_links(payload, request), **fields,
    )
    return Status(201, project_out(selectors.project_get_for_user(user=user, slug=project.slug), request))


@router.get("/{slug}", response={200: ProjectOut, **PROBLEMS}, summary="One joint project")
def project_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return project_out(_project(request, slug), request)


@router.patch("/{slug}", response={200: ProjectOut, **PROBLEMS}, summary="Change a joint project")
def project_update(request: HttpRequest, slug: str, payload: ProjectPatch) -> dict[str, Any]:
    user = require_member(request)
    project = _project(request, slug)
    services.project_update(project=project, by=user, **_links(payload, request), **_fields(payload, request))
    return project_out(_project(request, slug), request)


@router.put("/{slug}/participations/{party}", response={200: ProjectOut, **PROBLEMS}, summary="Add a party or change its contribution")
def participation_set(request: HttpRequest, slug: str, party: str, payload: ParticipationIn) -> dict[str, Any]:
    user = require_member(request)
    project = _project(request, slug)
    services.participation_set(
        project=project, by=user, party=_party(party, request, "party"), role=payload.role,
        contribution_kind=payload.contribution_kind, contribution=_multilingual(payload.contribution, "contribution", required=False),
        amount=payload.amount, currency=payload.currency,
    )
    return project_out(_project(request, slug), request)


@router.delete("/{slug}/participations/{party}", response={204: None, **PROBLEMS}, summary="Remove a participating party")
def participation_remove(request: HttpRequest, slug: str, party: str) -> Status:
    user = require_member(request)
    project = _project(request, slug)
    participation = project.participations.filter(party__code=party[:40]).first()
    if participation is None:
        raise Http404
    services.participation_remove(participation=participation, by=user)
    return Status(204, None)


@router.post("/{slug}/milestones", response={201: MilestoneOut, **PROBLEMS}, summary="Add a milestone")
def milestone_add(request: HttpRequest, slug: str, payload: MilestoneIn) -> Status:
    user = require_member(request)
    project = _project(request, slug)
    milestone = services.milestone_add(
        project=project, by=user, title=_multilingual(payload.title, "title"), due_on=payload.due_on,
        status=payload.status, achieved_on=payload.achieved_on,
    )
    return Status(201, milestone_out(milestone))


@router.patch("/{slug}/milestones/{milestone_id}", response={200: MilestoneOut, **PROBLEMS}, summary="Change a milestone")
def milestone_update(request: HttpRequest, slug: str, milestone_id: int, payload: MilestonePatch) -> dict[str, Any]:
    user = require_member(request)
    project = _project(request, slug)
    milestone = project.milestones.filter(pk=milestone_id if 0 < milestone_id < 2**63 else 0).first()
    if milestone is None:
        raise Http404
    given = payload.model_dump(exclude_unset=True)
    fields = {name: given[name] for name in ("due_on", "status", "achieved_on") if name in given}
    if "title" in given:
        fields["title"] = _multilingual(payload.title, "title")
    if any(fields.get(name, "") is None for name in ("due_on", "status")):
        raise ValidationError({"due_on" if fields.get("due_on", "") is None else "status": _("This field cannot be empty.")})
    return milestone_out(services.milestone_update(milestone=milestone, by=user, **fields))
