"""Working groups as searchable documents: name, mandate, scope and subjects, for whoever may see the group.

A group's charter is read by everyone the access policy lets see the group (the groups list and page use the same
filter), so all of it is indexed; the index follows every change of the charter and of its subjects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from spacebridge.access.policy import visible
from spacebridge.groups.models import WorkingGroup
from spacebridge.search.registry import (
    IndexedDocument,
    merged_text,
    model_kind,
    register,
    site_path,
    subject_labels,
    text_languages,
)

KIND = "group"


def group_documents(ids: list[int]) -> list[IndexedDocument]:
    groups = list(WorkingGroup.objects.filter(pk__in=ids).prefetch_related("subjects"))
    codes = {concept.code for group in groups for concept in group.subjects.all()}
    labels = subject_labels(codes)
    documents = []
    for group in groups:
        subjects = sorted(concept.code for concept in group.subjects.all())
        summary = merged_text(group.mandate, group.scope)
        documents.append(
            IndexedDocument(
                object_id=group.pk,
                ref=group.acronym,
                type=KIND,
                title=group.name,
                summary=summary,
                body=[group.acronym, *(label for code in subjects for label in labels.get(code, []))],
                url=site_path(reverse("groups:detail", args=[group.acronym])),
                date=group.created_at.date(),
                subjects=subjects,
                languages=text_languages(group.name, summary),
            )
        )
    return documents


def groups_searchable(user: Any) -> QuerySet[WorkingGroup]:
    """The groups ``user`` may see: the filter of the groups list."""
    return visible(WorkingGroup.objects.all(), user)


GROUPS = model_kind(KIND, WorkingGroup, documents=group_documents, visible=groups_searchable, audience="policy")


def register_searchable() -> None:
    from spacebridge.search.signals import follow, follow_m2m

    register(GROUPS)
    follow(KIND, WorkingGroup)
    follow_m2m(KIND, WorkingGroup.subjects)
