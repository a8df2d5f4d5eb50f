"""Who may do what with joint projects: the secretariat registers projects; the lead party's liaison officers keep
their project up to date. The permission is declared here and granted to roles by migration 0002."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from spacebridge.parties.permissions import has_perm


class ProjectPerm(StrEnum):
    PROJECT_MANAGE = "project:manage"


def can_create_project(user: Any) -> bool:
    return has_perm(user, ProjectPerm.PROJECT_MANAGE)  # type: ignore[arg-type]


def can_edit_project(user: Any, project: Any) -> bool:
    """The secretariat, or the liaison officers of the project's lead party."""
    if has_perm(user, ProjectPerm.PROJECT_MANAGE):  # type: ignore[arg-type]
        return True
    lead = project.lead if project is not None else None
    return lead is not None and has_perm(user, ProjectPerm.PROJECT_MANAGE, lead.party)  # type: ignore[arg-type]
