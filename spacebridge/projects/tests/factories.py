"""Factories for joint projects: ``project_with`` registers a project the way the secretariat does (services,
audited), with its participations and milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory
from spacebridge.projects import services
from spacebridge.projects.models import Project

_count = iter(range(1, 1_000_000))


def project_with(
    *,
    lead: Party | None = None,
    participants: tuple[Party, ...] = (),
    milestones: tuple[tuple[str, date, str], ...] = (),
    level: str | None = Level.PUBLIC,
    name: dict[str, str] | None = None,
    by: Any = None,
    **fields: Any,
) -> Project:
    n = next(_count)
    lead = lead or PartyFactory()
    project = services.project_create(
        by=by,
        check_permission=False,
        name=MultilingualText(name or {"en": f"Orbital clinic {n}", "zh": f"轨道诊所 {n}", "ru": f"Орбитальная клиника {n}"}, "en"),
        lead_party=lead,
        **{"status": "active", "start": date(2020, 1, 1), "end": date(2028, 12, 31), **fields},
    )
    for party in participants:
        services.participation_set(project=project, by=by, party=party, check_permission=False)
    for title, due_on, status in milestones:
        services.milestone_add(
            project=project, by=by, title=MultilingualText({"en": title}, "en"), due_on=due_on, status=status,
            check_permission=False,
        )
    if level is not None:
        release_set(obj=project, by=by, level=level, check_permission=False)
    return project
