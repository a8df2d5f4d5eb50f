"""Readers of two NASA sources (docs/records-import.md has the mapping, field by field):

* ``nasa-csv``: the NASA space-biology publication list (``Title,Link`` with PubMed Central links) → publications
  with a PMCID and the link;
* ``techport``: NASA TechPort projects (the JSON array of the TechPort API's project objects) → technologies with
  description, date, lead organisation, investigators and technology readiness level.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.records.formats import ImportFormat, SourceEntry, register_import
from spacebridge.records.formats.json_items import json_items
from spacebridge.records.formats.table import read_rows

_PMCID = re.compile(r"/(PMC\d+)/?")
TECHPORT_URL = "https://techport.nasa.gov/view/{id}"


def publication_entry(row: dict[str, str]) -> dict[str, Any]:
    """One row of the publication list: its title, and its PubMed Central link as PMCID and URL."""
    title, link = (row.get("title") or "").strip(), (row.get("link") or "").strip()
    entry: dict[str, Any] = {"type": "publication", "language": "en", "title": {"en": title} if title else {}}
    identifiers = []
    match = _PMCID.search(link)
    if match:
        identifiers.append({"scheme": "pmcid", "value": match.group(1)})
    if link:
        identifiers.append({"scheme": "url", "value": link})
    if identifiers:
        entry["identifiers"] = identifiers
    return entry


def read_publications(text: str) -> Iterator[SourceEntry]:
    for line, row in read_rows(text):
        if "title" not in row or "link" not in row:
            yield SourceEntry(line, error=_("the NASA publication list has the columns Title and Link"))
            return
        yield SourceEntry(line, publication_entry(row))


def _month(value: str | None) -> str:
    """TechPort's "Aug 2016" as 2016-08-01."""
    try:
        return datetime.strptime((value or "").strip(), "%b %Y").date().isoformat()
    except ValueError:
        return ""


def project_entry(project: dict[str, Any]) -> dict[str, Any]:
    """One TechPort project as a technology record."""
    entry: dict[str, Any] = {"type": "technology", "language": "en", "title": {"en": project.get("title") or ""}}
    description = (project.get("description") or "").strip()
    if description:
        entry["abstract"] = {"en": description}
    keywords = []
    if project.get("technologyMaturityCurrent"):
        keywords.append(f"TRL {project['technologyMaturityCurrent']}")
    keywords += [area["title"] for area in project.get("primaryTas") or [] if area.get("title")]
    if keywords:
        entry["keywords"] = {"en": list(dict.fromkeys(keywords))}
    contributors = []
    lead = project.get("leadOrganization") or {}
    if lead.get("name"):
        contributors.append({"name": lead["name"].strip(), "role": "developer"})
    for key in ("principalInvestigators", "coInvestigators"):
        contributors += [{"name": n.strip(), "role": "investigator"} for n in project.get(key) or [] if n.strip()]
    if contributors:
        entry["contributors"] = contributors
    # The date of the work: when a completed project ended, else when it started.
    completed = (project.get("status") or "").lower() == "completed"
    published = _month(project.get("endDate") if completed else project.get("startDate"))
    if published:
        entry["published"] = published
    if project.get("id"):
        entry["identifiers"] = [{"scheme": "url", "value": TECHPORT_URL.format(id=project["id"])}]
    return entry


def read_projects(text: str) -> Iterator[SourceEntry]:
    for line, item, error in json_items(text, wrapper="projects"):
        if error:
            yield SourceEntry(line, error=error)
        elif not isinstance(item, dict):
            yield SourceEntry(line, error=_("a TechPort project must be an object"))
        else:
            yield SourceEntry(line, project_entry(item.get("project", item)))


register_import(
    ImportFormat(
        name="nasa-csv", label="NASA space-biology publications (CSV)", read=read_publications, line_based=True
    )
)
register_import(ImportFormat(name="techport", label="NASA TechPort projects (JSON)", read=read_projects))
