from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from spacebridge.events.demo import events_demo_load
from spacebridge.events.models import Event, Registration
from spacebridge.events.selectors import proceedings, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_events(db: Any, settings: Any) -> list[Event]:
    """The demo events over the demo's parties and people and its trilingual records (the records their materials
    name), without the rest of the demo."""
    import json

    from spacebridge import demo as demo_module
    from spacebridge.parties.models import Party, Role
    from spacebridge.parties.services import account_create, role_assign
    from spacebridge.records.demo import TRILINGUAL, _import
    from spacebridge.records.formats import read_entries
    from spacebridge.records.thesaurus import thesaurus_load

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    spec = json.loads(demo_module.DEMO_FILE.read_text(encoding="utf-8"))
    admin = account_create(username="secretariat", email="secretariat@example.org", password="x-demo-pass-1", staff=True)
    role_assign(user=admin, role=Role.objects.get(code="secretariat"), party=None, by=admin, check_permission=False)
    parties = demo_module._load_parties(spec, admin)
    people = demo_module._load_people(spec, parties, admin)
    demo_module._load_groups(spec, parties, people, admin)
    thesaurus_load(by=admin)
    by_party: dict[str, list] = {}
    for source in read_entries(TRILINGUAL.read_text(encoding="utf-8"), "jsonl"):
        by_party.setdefault(source.entry.get("owner_party", ""), []).append(source)
    for code, entries in by_party.items():
        _import(entries, "jsonl", Party.objects.get(code=code), admin)
    return events_demo_load(by=admin)


def test_wenchang_2018_and_its_follow_up(demo_events: list[Event], client: Client) -> None:
    wenchang, follow_up = demo_events
    assert wenchang.starts_at.isoformat() == "2018-01-29T01:00:00+00:00"
    sessions = programme(event=wenchang, user=AnonymousUser())
    assert len(sessions) == 4 and sum(len(s.talks.all()) for s in sessions) == 15
    public = {r.reference for r in proceedings(event=wenchang, user=AnonymousUser())}
    assert len(public) == 4  # the SIRIUS-21 dataset is released to the Chinese delegation only
    assert wenchang.registrations.filter(status=Registration.Status.CONFIRMED).count() == 19
    assert follow_up.registration_open and follow_up.capacity == 3
    assert follow_up.registrations.get().name == "Yang Liwei"
    page = client.get("/events/wenchang-2018/").content.decode()
    assert "International Symposium on the Peaceful Use of Space Technology" in page
    assert "29 January 2018" in page or "Jan. 29, 2018" in page
