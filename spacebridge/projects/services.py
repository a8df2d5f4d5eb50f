"""Writes of joint projects. Each is one transaction with one audit entry; bad input raises ValidationError with
the field it concerns and leaves nothing behind."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.projects.currencies import is_currency
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.projects.permissions import can_create_project, can_edit_project
from spacebridge.records.models import Record

AGREEMENT_REFERENCE = re.compile(r"^[A-Z][A-Z0-9]{1,11}(-[A-Z0-9]{1,12}){1,4}$")


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end": _("The end cannot come before the start.")})


def _check_coordinates(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        field = "longitude" if latitude not in (None, "") else "latitude"
        raise ValidationError({field: _("Give both the latitude and the longitude, or neither.")})
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except InvalidOperation as exc:
        raise ValidationError({"latitude": _("Coordinates are decimal degrees, such as 19.6145 and 110.9510.")}) from exc
    if not lat.is_finite() or not -90 <= lat <= 90:
        raise ValidationError({"latitude": _("A latitude lies between -90 and 90 degrees.")})
    if not lon.is_finite() or not -180 <= lon <= 180:
        raise ValidationError({"longitude": _("A longitude lies between -180 and 180 degrees.")})
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _check_agreements(references: list[str]) -> list[str]:
    cleaned = []
    for reference in references:
        value = str(reference).strip().upper()
        if not AGREEMENT_REFERENCE.match(value):
            raise ValidationError(
                {"agreements": _("“%(ref)s” is not an agreement reference such as MOU-2018-001.") % {"ref": reference}}
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def _unique_slug(name: MultilingualText, wanted: str = "") -> str:
    base = slugify(wanted or name.text.get("en") or name.get("en"))[:70] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(project: Project) -> dict[str, Any]:
    return {
        "name": project.name.to_json(),
        "description": project.description.to_json(),
        "status": project.status,
        "start": project.start.isoformat() if project.start else None,
        "end": project.end.isoformat() if project.end else None,
        "place": project.place.to_json(),
        "latitude": str(project.latitude) if project.latitude is not None else None,
        "longitude": str(project.longitude) if project.longitude is not None else None,
        "agreements": list(project.agreements),
        "groups": sorted(project.groups.values_list("acronym", flat=True)) if project.pk else [],
        "records": sorted(project.records.values_list("reference", flat=True)) if project.pk else [],
    }


def _apply(project: Project, fields: dict[str, Any]) -> None:
    for name in ("name", "description", "place"):
        if name in fields:
            setattr(project, name, MultilingualText.from_json(fields[name]))
    for name in ("status", "start", "end"):
        if name in fields:
            setattr(project, name, fields[name])
    if "latitude" in fields or "longitude" in fields:
        project.latitude, project.longitude = _check_coordinates(
            fields.get("latitude", project.latitude), fields.get("longitude", project.longitude)
        )
    if "agreements" in fields:
        project.agreements = _check_agreements(list(fields["agreements"] or []))
    if project.status not in Project.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    _check_dates(project.start, project.end)


def _links(project: Project, groups: list[WorkingGroup] | None, records: list[Record] | None) -> None:
    if groups is not None:
        project.groups.set(groups)
    if records is not None:
        unpublished = [r.reference for r in records if r.status == Record.Status.DRAFT]
        if unpublished:
            raise ValidationError(
                {"records": _("Only published records can be listed as produced: %(refs)s") % {"refs": ", ".join(unpublished)}}
            )
        project.records.set(records)


@transaction.atomic
def project_create(
    *,
    by: Any,
    name: MultilingualText,
    lead_party: Party,
    slug: str = "",
    groups: list[WorkingGroup] | None = None,
    records: list[Record] | None = None,
    check_permission: bool = True,
    **fields: Any,
) -> Project:
    """Register a project with its lead party. ``fields``: description, status, start, end, place, latitude,
    longitude, agreements."""
    if check_permission and not can_create_project(by):
        raise PermissionDenied(_("Only the secretariat registers joint projects."))
    if slug and Project.objects.filter(slug=slugify(slug)).exists():
        raise ValidationError({"slug": _("Another project already has this web address.")})
    project = Project(slug=_unique_slug(name, slug))
    _apply(project, {"name": name, **fields})
    project.full_clean()
    project.save()
    Participation.objects.create(project=project, party=lead_party, role=Participation.Role.LEAD)
    _links(project, groups, records)
    audit_record(actor=by, verb="project.created", obj=project, changes={**_snapshot(project), "lead": lead_party.code})
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    by: Any,
    groups: list[WorkingGroup] | None = None,
    records: list[Record] | None = None,
    check_permission: bool = True,
    **fields: Any,
) -> Project:
    if check_permission and not can_edit_project(by, project):
        raise PermissionDenied(_("Only the secretariat or the lead party's liaison officers change this project."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    _apply(project, fields)
    project.full_clean()
    project.save()
    _links(project, groups, records)
    after = _snapshot(project)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        audit_record(actor=by, verb="project.updated", obj=project, changes=changes)
    return project


def _check_contribution(kind: str, amount: Any, currency: str) -> tuple[Decimal | None, str]:
    if kind not in Participation.Kind.values:
        raise ValidationError({"contribution_kind": _("A contribution is in kind or financial.")})
    currency = (currency or "").strip().upper()
    if kind == Participation.Kind.IN_KIND:
        if amount not in (None, "") or currency:
            raise ValidationError({"amount": _("A contribution in kind has no amount; describe it in words.")})
        return None, ""
    if amount in (None, ""):
        raise ValidationError({"amount": _("Give the amount of a financial contribution.")})
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValidationError({"amount": _("Enter the amount as a number, such as 2500000.00.")}) from exc
    if not value.is_finite() or value < 0 or value >= Decimal("1e14"):
        raise ValidationError({"amount": _("Enter an amount of zero or more, below 100 000 000 000 000.")})
    if not is_currency(currency):
        raise ValidationError({"currency": _("“%(code)s” is not an ISO 4217 currency code such as CNY, RUB or USD.") % {"code": currency}})
    return value.quantize(Decimal("0.01")), currency


@transaction.atomic
def participation_set(
    *,
    project: Project,
    by: Any,
    party: Party,
    role: str = Participation.Role.PARTICIPANT,
    contribution_kind: str = Participation.Kind.IN_KIND,
    contribution: MultilingualText | None = None,
    amount: Any = None,
    currency: str = "",
    check_permission: bool = True,
) -> Participation:
    """Add a party to a project or change its part. Naming a new lead makes the former lead a participant."""
    if check_permission and not can_edit_project(by, project):
        raise PermissionDenied(_("Only the secretariat or the lead party's liaison officers change this project."))
    if role not in Participation.Role.values:
        raise ValidationError({"role": _("Choose lead party or participating party.")})
    value, currency = _check_contribution(contribution_kind, amount, currency)
    participation = Participation.objects.filter(project=project, party=party).first()
    if participation is not None and participation.role == Participation.Role.LEAD and role != Participation.Role.LEAD:
        raise ValidationError({"role": _("A project always has a lead party: name another lead first.")})
    if role == Participation.Role.LEAD:
        project.participations.filter(role=Participation.Role.LEAD).exclude(party=party).update(
            role=Participation.Role.PARTICIPANT
        )
    participation = participation or Participation(project=project, party=party)
    before = participation.pk
    participation.role, participation.contribution_kind = role, contribution_kind
    participation.contribution = contribution or MultilingualText()
    participation.amount, participation.currency = value, currency
    participation.full_clean(validate_constraints=False)
    participation.save()
    audit_record(
        actor=by,
        verb="project.participation_changed" if before else "project.participation_added",
        obj=project,
        changes={
            "party": party.code,
            "role": role,
            "contribution_kind": contribution_kind,
            "contribution": participation.contribution.to_json(),
            "amount": str(value) if value is not None else None,
            "currency": currency,
        },
    )
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, by: Any, check_permission: bool = True) -> None:
    project = participation.project
    if check_permission and not can_edit_project(by, project):
        raise PermissionDenied(_("Only the secretariat or the lead party's liaison officers change this project."))
    if participation.role == Participation.Role.LEAD:
        raise ValidationError({"party": _("A project always has a lead party: name another lead first.")})
    audit_record(actor=by, verb="project.participation_removed", obj=project, changes={"party": participation.party.code})
    participation.delete()


def _check_milestone(title: MultilingualText, status: str, due_on: date, achieved_on: date | None) -> None:
    if status not in Milestone.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if achieved_on and status != Milestone.Status.ACHIEVED:
        raise ValidationError({"achieved_on": _("Only an achieved milestone has a date of achievement.")})


@transaction.atomic
def milestone_add(
    *,
    project: Project,
    by: Any,
    title: MultilingualText,
    due_on: date,
    status: str = Milestone.Status.PLANNED,
    achieved_on: date | None = None,
    check_permission: bool = True,
) -> Milestone:
    if check_permission and not can_edit_project(by, project):
        raise PermissionDenied(_("Only the secretariat or the lead party's liaison officers change this project."))
    _check_milestone(title, status, due_on, achieved_on)
    milestone = Milestone(project=project, title=title, due_on=due_on, status=status, achieved_on=achieved_on)
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=by,
        verb="project.milestone_added",
        obj=project,
        changes={"milestone": milestone.pk, "title": title.to_json(), "due_on": due_on.isoformat(), "status": status},
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: Any, check_permission: bool = True, **fields: Any
) -> Milestone:
    """Change a milestone's title, due date, status or date of achievement (``achieved_on`` defaults to today when
    the status becomes achieved)."""
    if check_permission and not can_edit_project(by, milestone.project):
        raise PermissionDenied(_("Only the secretariat or the lead party's liaison officers change this project."))
    before = {"title": milestone.title.to_json(), "due_on": milestone.due_on.isoformat(), "status": milestone.status,
              "achieved_on": milestone.achieved_on.isoformat() if milestone.achieved_on else None}
    if "title" in fields:
        milestone.title = MultilingualText.from_json(fields["title"])
    for name in ("due_on", "status", "achieved_on"):
        if name in fields:
            setattr(milestone, name, fields[name])
    if milestone.status == Milestone.Status.ACHIEVED and milestone.achieved_on is None:
        milestone.achieved_on = date.today()
    if milestone.status != Milestone.Status.ACHIEVED and "achieved_on" not in fields:
        milestone.achieved_on = None
    _check_milestone(milestone.title, milestone.status, milestone.due_on, milestone.achieved_on)
    milestone.full_clean()
    milestone.save()
    after = {"title": milestone.title.to_json(), "due_on": milestone.due_on.isoformat(), "status": milestone.status,
             "achieved_on": milestone.achieved_on.isoformat() if milestone.achieved_on else None}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        audit_record(actor=by, verb="project.milestone_changed", obj=milestone.project, changes={"milestone": milestone.pk, **changes})
    return milestone
