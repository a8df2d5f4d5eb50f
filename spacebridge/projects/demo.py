"""Demo content of joint projects: the three Hainan projects of the Wenchang symposium, with their parties,
contributions and milestones (``demo/hainan_projects.json``), released to the public by their lead parties."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser

from spacebridge.access.models import Level
from spacebridge.access.services import release_set
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.projects import services
from spacebridge.projects.models import Project
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible

DEMO_FILE = Path(__file__).parent / "demo" / "hainan_projects.json"
RECORDS_PER_PROJECT = 3


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _produced_records(parties: list[Party]) -> list[Record]:
    """A few public records of the project's parties, as the records it produced."""
    public = records_visible(user=AnonymousUser()).filter(status=Record.Status.PUBLISHED, owner_party__in=parties)
    return list(public.order_by("pk")[:RECORDS_PER_PROJECT])


def projects_demo_load(*, by: Any) -> list[Project]:
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    parties = {p.code: p for p in Party.objects.all()}
    projects = []
    for item in spec["projects"]:
        lead = next(p for p in item["participations"] if p["role"] == "lead")
        members = [parties[p["party"]] for p in item["participations"]]
        project = services.project_create(
            by=by,
            check_permission=False,
            slug=item["slug"],
            name=MultilingualText(item["name"], item["original_language"]),
            description=MultilingualText(item["description"], item["original_language"]),
            lead_party=parties[lead["party"]],
            status=item["status"],
            start=_day(item["start"]),
            end=_day(item["end"]),
            place=MultilingualText(item["place"], item["original_language"]),
            latitude=item["latitude"],
            longitude=item["longitude"],
            agreements=item["agreements"],
            groups=list(WorkingGroup.objects.filter(acronym__in=item["groups"])),
            records=_produced_records(members),
        )
        for part in item["participations"]:
            services.participation_set(
                project=project,
                by=by,
                check_permission=False,
                party=parties[part["party"]],
                role=part["role"],
                contribution_kind=part["kind"],
                contribution=MultilingualText(part["contribution"], "en"),
                amount=part.get("amount"),
                currency=part.get("currency", ""),
            )
        for milestone in item["milestones"]:
            services.milestone_add(
                project=project,
                by=by,
                check_permission=False,
                title=MultilingualText(milestone["title"], "en"),
                due_on=date.fromisoformat(milestone["due_on"]),
                status=milestone["status"],
                achieved_on=_day(milestone.get("achieved_on")),
            )
        release_set(obj=project, by=by, level=Level.PUBLIC, check_permission=False, reason="Promoted publicly since the Wenchang symposium")
        projects.append(project)
    return projects
