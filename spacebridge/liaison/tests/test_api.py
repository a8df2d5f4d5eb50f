from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_minutes
from spacebridge.liaison.models import Attendance
from spacebridge.liaison.selectors import series_occurrences

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_series_created_through_the_api_says_when_clocks_change(world):
    response = _client(world.us_chair).post("/api/v1/liaison/series/", {
        "group": "WG-MED", "title": {"original": "en", "text": {"en": "Weekly"}},
        "first_start": "2026-12-02T08:00:00-05:00", "time_zone": "America/New_York",
        "rrule": "FREQ=WEEKLY;BYDAY=WE", "hosts": ["nasa", "cmsa"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert any("Beijing" in n for n in body["clock_changes"])
    occurrences = _client(world.us_chair).get(
        f"/api/v1/liaison/series/{body['series']['id']}/occurrences?start=2027-03-01&days=30").json()
    assert any(o["clock_changes"] for o in occurrences)
    bad = _client(world.us_chair).post("/api/v1/liaison/series/", {
        "group": "WG-MED", "title": {"original": "en", "text": {"en": "X"}},
        "first_start": "2026-12-02T08:00:00-05:00", "time_zone": "America/New_York",
        "rrule": "FREQ=HOURLY"}, content_type="application/json")
    assert bad.status_code == 422 and "FREQ" in bad.json()["detail"]


def test_minutes_approval_through_the_api(world):
    series = world.series()
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    services.attendance_set(meeting=meeting, by=world.cn_chair, party=world.cn, status=Attendance.Status.PRESENT)
    services.attendance_set(meeting=meeting, by=world.cn_chair, party=world.ru, status=Attendance.Status.PRESENT)
    response = _client(world.cn_chair).put(f"/api/v1/liaison/meetings/{meeting.pk}/minutes", {
        "text": {"original": "en", "text": {"en": "# Done"}}}, content_type="application/json")
    assert response.status_code == 200 and "<h1>Done</h1>" in response.json()["html"]["en"]
    minutes = meeting.minutes
    services_minutes.minutes_circulate(minutes=minutes, by=world.cn_chair, notify=False)
    url = f"/api/v1/liaison/meetings/{meeting.pk}/minutes/approvals"
    assert _client(world.cn_chair).post(url, {"delegation": "RU", "answer": "approved"},
                                        content_type="application/json").status_code == 403
    for user, code in ((world.cn_chair, "CN"), (world.ru_chair, "RU")):
        response = _client(user).post(url, {"delegation": code, "answer": "approved"}, content_type="application/json")
        assert response.status_code == 201
    assert response.json()["status"] == "approved"
    assert _client(world.outsider).get(f"/api/v1/liaison/meetings/{meeting.pk}/minutes").status_code == 404


def test_decisions_and_actions_through_the_api(world):
    series = world.series()
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    services_minutes.decision_record(meeting=meeting, by=world.cn_chair,
                                     text=MultilingualText({"en": "Hold the workshop in Hainan"}, "en"))
    found = _client(world.ru_chair).get("/api/v1/liaison/decisions/?q=hainan").json()
    assert [d["reference"] for d in found] == ["WG-MED/2026-01/D1"]
    assert _client(world.outsider).get("/api/v1/liaison/decisions/?q=hainan").json() == []
    assert _client(world.ru_chair).get("/api/v1/liaison/decisions/WG-MED/2026-01/D1").status_code == 200
    from datetime import date

    item = services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.ru,
                                            owner_person=world.ru_chair.person, due_on=date(2026, 2, 1),
                                            description=MultilingualText({"en": "Send data"}, "en"))
    mine = _client(world.ru_chair).get("/api/v1/liaison/actions/?mine=true").json()
    assert [a["reference"] for a in mine] == [item.reference] and mine[0]["overdue"]
    response = _client(world.ru_chair).patch(f"/api/v1/liaison/actions/{item.pk}", {"status": "done"},
                                             content_type="application/json")
    assert response.status_code == 422
    response = _client(world.ru_chair).patch(f"/api/v1/liaison/actions/{item.pk}",
                                             {"status": "done", "evidence": "Sent"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    group = _client(world.ru_chair).get("/api/v1/groups/WG-MED").json()
    assert {m["role"] for m in group["members"]} >= {"co_chair", "member_party"}


def test_slot_finder_api(world):
    body = _client(world.cn_chair).get("/api/v1/liaison/slots?top=3").json()
    assert len(body["slots"]) == 3 and len(body["rotation"]) == 3
    assert _client(world.cn_chair).get("/api/v1/liaison/slots?zones=Nowhere/Land").status_code == 422
