"""Reads for the public portal, gathered from the parts: recent public achievements, upcoming public events, news and
projects. The portal shows what the public sees, so every read here is made as an anonymous visitor."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from spacebridge.outreach.selectors import news_live
from spacebridge.projects.models import Project
from spacebridge.projects.selectors import project_list
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible

PUBLIC = AnonymousUser()
PORTAL_DESCRIPTION = _(
    "The platform of the cooperation on the peaceful use of space technology for human health, born at the Wenchang "
    "symposium of January 2018."
)


def public_achievements(*, limit: int = 6) -> list[Record]:
    """The records most recently published to the public (tombstones are not achievements)."""
    return list(
        records_visible(user=PUBLIC)
        .filter(status=Record.Status.PUBLISHED, first_published_at__isnull=False)
        .select_related("owner_party", "type")
        .order_by("-first_published_at", "-pk")[:limit]
    )


def public_events(*, limit: int = 3) -> list[Any] | None:
    """Upcoming public events, or None while the events part offers no list."""
    try:
        from spacebridge.events.selectors import event_list
    except ImportError:
        return None
    return list(event_list(user=PUBLIC, when="upcoming")[:limit])


def public_news(*, limit: int = 4) -> QuerySet[Any]:
    return news_live(user=PUBLIC)[:limit]


def public_projects() -> list[Project]:
    return list(project_list(user=PUBLIC).exclude(status=Project.Status.CANCELLED))
