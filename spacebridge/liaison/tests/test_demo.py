from __future__ import annotations

from datetime import date

import pytest

from spacebridge.liaison.demo import liaison_demo_load
from spacebridge.liaison.models import ActionItem, Decision, Meeting, Minutes

pytestmark = pytest.mark.django_db


def test_a_year_of_meetings_with_approved_minutes_decisions_and_actions(world):
    held = liaison_demo_load(by=world.secretariat, today=date(2026, 11, 26))
    assert held == 12
    assert Meeting.objects.filter(status="held").count() == 12
    assert Minutes.objects.filter(status="approved").count() == 12
    assert Decision.objects.filter(reference__startswith="WG-MED/").count() == 12
    assert ActionItem.objects.filter(status="open").exists() and ActionItem.objects.filter(status="done").exists()
    upcoming = Meeting.objects.filter(status="scheduled").get()
    assert upcoming.agenda_published_at is not None and upcoming.start.date() > date(2026, 11, 26)
    hosts = list(Meeting.objects.filter(status="held").order_by("start").values_list("host_party__code", flat=True))
    assert hosts[:3] == ["cmsa", "ibmp", "nasa"]
    world.group.refresh_from_db()
    assert world.group.mandate.get("zh").startswith("协调")
