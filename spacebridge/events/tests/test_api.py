from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from spacebridge.events.services import session_add, talk_add
from spacebridge.events.tests.factories import event_of, organiser
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> Any:
    event = event_of(registration_open=True, capacity=1)
    session = session_add(event=event, by=organiser(), title={"en": "Opening"}, starts_at=event.starts_at,
                          ends_at=event.starts_at + timedelta(hours=1))
    talk = talk_add(session=session, by=organiser(), title={"en": "Keynote"}, starts_at=event.starts_at,
                    ends_at=event.starts_at + timedelta(minutes=30), speaker_name="Yang Liwei",
                    materials=[shared_record(title={"en": "Slides"})])
    talk.materials.add(shared_record(level="owner", title={"en": "Hidden"}))
    return event


def test_list_and_detail(client: Client, event: Any) -> None:
    event_of(slug="restricted", release="platform")
    listed = client.get("/api/v1/events/?when=upcoming").json()
    assert [e["slug"] for e in listed["items"]] == ["symposium-2027"]
    detail = client.get("/api/v1/events/symposium-2027").json()
    assert detail["time_zone"] == "Asia/Shanghai" and detail["starts_at"]["local"].endswith("+08:00")
    talk = detail["programme"][0]["talks"][0]
    assert talk["speaker"] == "Yang Liwei" and len(talk["materials"]) == 1
    assert detail["registration"] == {
        "open": True, "closed_reason": "", "capacity": 1, "places_taken": 0, "waiting": 0, "deadline": None,
        "requires_approval": False,
    }
    assert client.get("/api/v1/events/restricted").status_code == 404
    bad = client.get("/api/v1/events/?when=someday")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_register_cancel_and_participants(client: Client, event: Any) -> None:
    anonymous = client.post("/api/v1/events/symposium-2027/registrations", {"name": "", "email": "x"},
                            content_type="application/json")
    assert anonymous.status_code == 422 and set(anonymous.json()["errors"]) == {"name", "email"}
    member = member_of(PartyFactory())
    client.force_login(member)
    # Session writes need the CSRF token; tokens are the API's way for programs.
    from spacebridge.access.services import token_create

    _token, secret = token_create(user=member, name="t", expires_at=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    done = client.post("/api/v1/events/symposium-2027/registrations", {}, content_type="application/json", **auth)
    assert done.status_code == 201 and done.json()["status"] == "confirmed"
    again = client.post("/api/v1/events/symposium-2027/registrations", {}, content_type="application/json", **auth)
    assert again.status_code == 422
    assert client.get("/api/v1/events/symposium-2027/participants", **auth).status_code == 404
    cancelled = client.post("/api/v1/events/symposium-2027/registration/cancel", **auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    _token, boss = token_create(user=organiser(), name="t", expires_at=None)
    rows = client.get("/api/v1/events/symposium-2027/participants", HTTP_AUTHORIZATION=f"Bearer {boss}").json()
    assert [r["status"] for r in rows["items"]] == ["cancelled"] and rows["items"][0]["email"]


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries: Any) -> None:
    for number in range(12):
        event_of(slug=f"workshop-{number}", kind="workshop", registration_open=True, capacity=5,
                 participating_parties=[PartyFactory(), PartyFactory()])
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/events/?kind=workshop&limit=50").json()
    assert len(listed["items"]) == 12 and all(len(e["participating_parties"]) == 2 for e in listed["items"])
