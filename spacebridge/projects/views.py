"""The portfolio of joint projects and each project's page. Load → check access → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from spacebridge.core.metadata import absolute, json_ld, organization_ld, page_metadata
from spacebridge.core.multilingual import content_language
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.projects import selectors, services
from spacebridge.projects.forms import MilestoneForm, MilestoneStatusForm
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.projects.permissions import can_edit_project
from spacebridge.projects.timeline import timeline_svg


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    year = get.get("year", "").strip()
    country = get.get("country", "")[:2].upper()
    return {
        "status": get.get("status", "") if get.get("status", "") in Project.Status.values else "",
        "party": get.get("party", "")[:40],
        "country": country if country in countries else "",
        "group": get.get("group", "")[:20],
        "year": int(year) if year.isdigit() and 1900 <= int(year) <= 2200 else None,
        "query": get.get("q", "").replace("\x00", "").strip()[:200],
    }


def project_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    projects = list(selectors.project_list(user=request.user, **filters))
    language = content_language(get_language())
    visible_projects = selectors.projects_visible(user=request.user)
    context = {
        "projects": projects,
        "filters": filters,
        "timeline": mark_safe(timeline_svg(projects, language=language)),
        "statuses": Project.Status.choices,
        "parties": Party.objects.filter(project_participations__project__in=visible_projects).distinct(),
        "countries": [
            (code, countries.name(code))
            for code in Party.objects.filter(project_participations__project__in=visible_projects)
            .order_by("country").values_list("country", flat=True).distinct()
        ],
        "groups": WorkingGroup.objects.filter(projects__in=visible_projects).distinct(),
        "meta": page_metadata(
            request, title=_("Joint projects"), description=_("The portfolio of joint projects of the cooperation.")
        ),
    }
    return render_page_or_partial(request, "projects/project_list.html", "projects/_project_cards.html", context)


def project_ld(project: Project, language: str) -> dict[str, Any]:
    """schema.org Project: name, description, place with coordinates, lead and participating parties."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": absolute(project.get_absolute_url()),
        "url": absolute(project.get_absolute_url()),
        "name": project.name.get(language),
        "description": strip_tags(project.description.get(language)),
    }
    if project.start:
        data["foundingDate"] = project.start.isoformat()
    if project.end:
        data["dissolutionDate"] = project.end.isoformat()
    if project.place or project.latitude is not None:
        place: dict[str, Any] = {"@type": "Place", "name": project.place.get(language) or project.name.get(language)}
        if project.latitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": float(project.latitude), "longitude": float(project.longitude)}
        data["location"] = place
    participations = list(project.participations.all())
    data["member"] = [organization_ld(p.party, language) for p in participations]
    funders = [organization_ld(p.party, language) for p in participations if p.contribution_kind == Participation.Kind.FINANCIAL]
    if funders:
        data["funder"] = funders
    return data


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    language = content_language(get_language())
    context = {
        "project": project,
        "participations": list(project.participations.all()),
        "milestones": list(project.milestones.all()),
        "groups": selectors.project_groups(project=project, user=request.user),
        "records": selectors.project_records(project=project, user=request.user),
        "agreements": selectors.agreement_links(project=project, user=request.user),
        "timeline": mark_safe(timeline_svg([project], language=language)),
        "can_edit": can_edit_project(request.user, project),
        "milestone_statuses": Milestone.Status.choices,
        "milestone_form": MilestoneForm(),
        "meta": page_metadata(
            request, title=project.name.get(language), description=strip_tags(project.description.get(language)),
            path=project.get_absolute_url(),
        ),
        "ld": json_ld(project_ld(project, language)),
    }
    return render(request, "projects/project_detail.html", context)


@login_required
@require_POST
def milestone_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The secretariat or a liaison officer of the lead party records a milestone's new status."""
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    milestone = next((m for m in project.milestones.all() if m.pk == pk), None)
    if milestone is None:
        raise Http404
    form = MilestoneStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())
    try:
        services.milestone_update(milestone=milestone, by=request.user, **form.changes())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Milestone updated."))
    return redirect(project.get_absolute_url())


@login_required
@require_POST
def milestone_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())
    try:
        services.milestone_add(project=project, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Milestone added."))
    return redirect(project.get_absolute_url())
