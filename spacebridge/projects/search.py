"""Joint projects as searchable documents: name, description and place, owned by the lead party.

A project's page shows all of this to whoever may see the project, so the kind's filter is the projects list's own
(``projects_visible``); the lead party is read from the participations, which re-index the project when they change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spacebridge.projects.models import Participation, Project
from spacebridge.projects.selectors import projects_visible
from spacebridge.search.registry import IndexedDocument, model_kind, register, site_path, text_languages

KIND = "project"


def project_documents(ids: list[int]) -> list[IndexedDocument]:
    leads = dict(
        Participation.objects.filter(project_id__in=ids, role=Participation.Role.LEAD).values_list(
            "project_id", "party_id"
        )
    )
    documents = []
    for project in Project.objects.filter(pk__in=ids):
        day = project.start or project.created_at.date()
        documents.append(
            IndexedDocument(
                object_id=project.pk,
                ref=project.reference,
                type=KIND,
                title=project.name,
                summary=project.description,
                body=[project.slug, *project.place.text.values(), *project.agreements],
                url=site_path(project.get_absolute_url()),
                owner_party_id=leads.get(project.pk),
                date=day,
                year=project.start.year if project.start else None,
                languages=text_languages(project.name, project.description),
            )
        )
    return documents


def projects_searchable(user: Any) -> QuerySet[Project]:
    """The projects ``user`` may see: the projects list's filter."""
    return projects_visible(user=user)


PROJECTS = model_kind(KIND, Project, documents=project_documents, visible=projects_searchable)


def register_searchable() -> None:
    from spacebridge.search.signals import follow

    register(PROJECTS)
    follow(KIND, Project)
    follow(KIND, Participation, lambda participation: [participation.project_id])
