"""Factories for events: ``event_of`` creates an event through the service (audited, its audience decided)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from spacebridge.core.multilingual import MultilingualText
from spacebridge.events.models import Event
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, secretariat_user


def organiser() -> Any:
    """A secretariat officer: organises events for every party."""
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username="event-organiser").first()
    return existing or secretariat_user("event-organiser")


def event_of(
    *,
    party: Party | None = None,
    by: Any = None,
    slug: str = "symposium-2027",
    starts_at: datetime | None = None,
    days: int = 2,
    release: str = "public",
    **fields: Any,
) -> Event:
    from spacebridge.events.services import event_create

    starts = starts_at or (timezone.now() + timedelta(days=60)).replace(hour=1, minute=0, second=0, microsecond=0)
    fields.setdefault(
        "title",
        MultilingualText(
            {"en": "Symposium on space medicine", "zh": "航天医学研讨会", "ru": "Симпозиум по космической медицине"},
            "en",
        ),
    )
    fields.setdefault("time_zone", "Asia/Shanghai")
    return event_create(
        by=by or organiser(),
        slug=slug,
        organiser_party=party or PartyFactory(),
        starts_at=starts,
        ends_at=starts + timedelta(days=days) - timedelta(hours=15),
        release=release,
        **fields,
    )


WENCHANG_START = datetime(2018, 1, 29, 1, 0, tzinfo=UTC)  # 09:00 in Wenchang (UTC+8)
