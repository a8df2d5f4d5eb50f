"""Reads of joint projects; every one goes through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from spacebridge.access.policy import visible
from spacebridge.groups.models import WorkingGroup
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible


def projects_visible(*, user: Any) -> QuerySet[Project]:
    return visible(Project.objects.all(), user)


def _prefetched(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("party").order_by("role", "party__short_name")),
        "milestones",
    )


def project_list(
    *,
    user: Any,
    status: str = "",
    party: str = "",
    country: str = "",
    group: str = "",
    year: int | None = None,
    query: str = "",
) -> QuerySet[Project]:
    """Projects ``user`` may see; ``year`` keeps those running at some time in that year."""
    projects = projects_visible(user=user)
    if status:
        projects = projects.filter(status=status)
    if party:
        projects = projects.filter(participations__party__code=party)
    if country:
        projects = projects.filter(participations__party__country=country.upper())
    if group:
        projects = projects.filter(groups__acronym=group)
    if year:
        projects = projects.filter(Q(start__year__lte=year) | Q(start__isnull=True)).filter(
            Q(end__year__gte=year) | Q(end__isnull=True)
        )
    if query:
        projects = projects.filter(Q(name__icontains=query) | Q(description__icontains=query) | Q(slug__icontains=query))
    return _prefetched(projects.distinct().order_by("start", "slug"))


def project_get_for_user(*, user: Any, slug: str) -> Project:
    """Fetch and authorise in one call: a project the user may not see is a 404, like a missing one."""
    project = _prefetched(projects_visible(user=user)).filter(slug=slug[:80]).first()
    if project is None:
        raise Http404
    return project


def project_groups(*, project: Project, user: Any) -> QuerySet[WorkingGroup]:
    return visible(project.groups.all(), user)


def project_records(*, project: Project, user: Any) -> QuerySet[Record]:
    """The records the project produced that ``user`` may see; the others are not mentioned, not even counted."""
    return records_visible(user=user, queryset=project.records.all()).exclude(status=Record.Status.DRAFT).select_related("owner_party", "type")


@dataclass(frozen=True)
class AgreementLink:
    reference: str
    url: str | None


def agreement_links(*, project: Project, user: Any) -> list[AgreementLink]:
    """The project's authorising agreements, linked to their page where the agreements part knows the agreement and
    ``user`` may see it; otherwise the reference alone."""
    found: dict[str, str] = {}
    try:
        model = apps.get_model("agreements", "Agreement")
    except LookupError:
        model = None
    if model is not None and project.agreements and hasattr(model, "get_absolute_url"):
        field_names = {f.name for f in model._meta.get_fields()}
        if "reference" in field_names:
            for agreement in visible(model._default_manager.filter(reference__in=project.agreements), user):
                found[agreement.reference] = agreement.get_absolute_url()
    return [AgreementLink(ref, found.get(ref)) for ref in project.agreements]


def milestones_upcoming(*, user: Any, limit: int = 5) -> list[Milestone]:
    from datetime import date

    return list(
        Milestone.objects.filter(project__in=projects_visible(user=user), due_on__gte=date.today())
        .filter(status__in=[Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS])
        .select_related("project")
        .order_by("due_on")[:limit]
    )
