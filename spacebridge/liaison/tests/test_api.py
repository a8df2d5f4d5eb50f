from __future__ import annotations

import functools
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_minutes
from spacebridge.liaison.models import Attendance, Meeting
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


# --- writes: every endpoint's success, its refusal, a validation problem, and the outcome seen by a later read ----

API = "/api/v1/liaison"
FIRST = "20260114T130000Z"  # the first occurrence of world.series(): 14 January 2026, 21:00 in Beijing


@functools.cache
def _document() -> dict:
    from spacebridge.api import openapi_document

    return json.loads(json.dumps(openapi_document()))  # as served: the answers' codes are strings


def _send(user, method: str, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    client = _client(user) if user is not None else Client()
    return getattr(client, method)(url, body or {}, content_type="application/json")


def _ok(response, status: int, path: str, method: str) -> dict:  # type: ignore[no-untyped-def]
    """The answer has ``status`` and matches the schema the OpenAPI document declares for it."""
    from jsonschema import Draft202012Validator, FormatChecker

    assert response.status_code == status, response.content
    declared = _document()["paths"][f"{API}{path}"][method]["responses"][str(status)]
    schema = dict(declared["content"]["application/json"]["schema"], components=_document()["components"])
    body = json.loads(response.content)
    errors = [e.message for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(body)]
    assert not errors, errors[:5]
    return body


def _problem(response, status: int, field: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body


def _prepared(world, start: str = FIRST):  # type: ignore[no-untyped-def]
    series = world.series()
    meeting = services.meeting_for_occurrence(series=series, by=world.cn_chair,
                                              occurrence_start=datetime.strptime(start, "%Y%m%dT%H%M%SZ")
                                              .replace(tzinfo=UTC))
    return series, meeting


def _group_member(world, party, username: str = "member"):  # type: ignore[no-untyped-def]
    """A member of the group from ``party`` who does not run it."""
    from spacebridge.groups.services import group_membership_add
    from spacebridge.parties.tests.factories import member_of

    user = member_of(party, role="member", username=username)
    group_membership_add(group=world.group, by=world.secretariat, party=party, person=user.person, role="member")
    return user


def test_series_change_through_the_api(world):
    series = world.series()
    url = f"{API}/series/{series.pk}"
    body = _ok(_send(world.cn_chair, "patch", url, {"exdates": ["2026-02-11T21:00"], "place": "Wenchang"}),
               200, "/series/{series_id}", "patch")
    assert body["exdates"] == ["2026-02-11T21:00"] and body["place"] == "Wenchang"
    occurrences = _client(world.ru_chair).get(f"{url}/occurrences?start=2026-01-01&days=70").json()
    assert [o["key"] for o in occurrences] == [FIRST, "20260311T130000Z"]
    assert _client(world.ru_chair).get(url).json()["place"] == "Wenchang"
    _problem(_send(world.outsider, "patch", url, {"place": "Paris"}), 403)
    _problem(_send(None, "patch", url, {"place": "Paris"}), 401)
    problem = _problem(_send(world.cn_chair, "patch", url, {"rrule": "FREQ=HOURLY"}), 422, "rrule")
    assert "FREQ" in problem["detail"]
    _problem(_send(world.cn_chair, "patch", url, {"exdates": ["someday"]}), 422, "exdates")
    _problem(_send(world.cn_chair, "patch", url, {"hosts": ["cmsa", "esa"]}), 422, "hosts")
    _problem(_send(world.cn_chair, "patch", url, {"hosts": ["nobody"]}), 422, "hosts")
    _problem(_send(world.cn_chair, "patch", url, {"rotation": ["25:00"]}), 422, "rotation")
    _problem(_send(world.cn_chair, "patch", url, {"participants": [987654]}), 422, "participants")
    _problem(_send(world.cn_chair, "patch", url, {"duration_minutes": 5}), 422, "duration_minutes")
    renamed = _send(world.us_chair, "patch", url, {
        "title": {"original": "ru", "text": {"ru": "Ежемесячная связь", "en": "Monthly liaison"}},
        "hosts": ["nasa", "cmsa"], "participants": [world.ru_chair.person.pk], "duration_minutes": 60}).json()
    assert renamed["title"]["original"] == "ru" and renamed["hosts"] == ["nasa", "cmsa"]
    assert renamed["participants"] == [world.ru_chair.person.pk] and renamed["duration_minutes"] == 60
    _problem(_send(world.cn_chair, "patch", f"{API}/series/987654", {"place": "Paris"}), 404)
    seen = _client(world.ru_chair).get(url).json()
    assert seen["place"] == "Wenchang" and seen["hosts"] == ["nasa", "cmsa"] and seen["exdates"] == ["2026-02-11T21:00"]


def test_a_series_with_a_rotation_of_start_times_through_the_api(world):
    series = {"group": "WG-MED", "title": {"original": "en", "text": {"en": "Rotating"}},
              "first_start": "2026-01-14T21:00:00+08:00", "time_zone": "Asia/Shanghai",
              "rrule": "FREQ=MONTHLY;BYDAY=2WE", "hosts": ["cmsa", "esa"]}
    _problem(_send(world.cn_chair, "post", f"{API}/series/", series), 422, "hosts")
    _problem(_send(world.cn_chair, "post", f"{API}/series/", series | {"hosts": [], "participants": [2**64]}), 422,
             "participants.0")
    body = _ok(_send(world.cn_chair, "post", f"{API}/series/", series | {
        "hosts": ["cmsa", "ibmp"], "rotation": ["13:00", "21:00"], "participants": [world.us_chair.person.pk]}),
        201, "/series/", "post")
    assert body["series"]["rotation"] == ["13:00", "21:00"]
    assert body["series"]["participants"] == [world.us_chair.person.pk]
    assert _client(world.us_chair).get(f"{API}/series/{body['series']['id']}").json()["rotation"] == ["13:00", "21:00"]


def test_an_occurrence_is_prepared_as_a_meeting(world):
    series = world.series()
    url = f"{API}/series/{series.pk}/occurrences/{FIRST}"
    _problem(_send(world.outsider, "post", url), 403)
    assert not series.meetings.exists()
    created = _ok(_send(world.ru_chair, "post", url), 201, "/series/{series_id}/occurrences/{key}", "post")
    assert created["series"] == series.pk and created["host"] == "cmsa"
    assert created["occurrence_start"].startswith("2026-01-14T13:00")
    again = _ok(_send(world.cn_chair, "post", url), 200, "/series/{series_id}/occurrences/{key}", "post")
    assert again["id"] == created["id"]
    occurrences = _client(world.us_chair).get(f"{API}/series/{series.pk}/occurrences?start=2026-01-01&days=40").json()
    assert occurrences[0]["meeting"] == created["id"]
    _problem(_send(world.cn_chair, "post", f"{API}/series/{series.pk}/occurrences/tomorrow"), 422, "key")
    _problem(_send(world.cn_chair, "post", f"{API}/series/{series.pk}/occurrences/99991231T235959Z"), 422, "key")
    _problem(_client(world.cn_chair).get(f"{API}/series/{series.pk}/occurrences?start=9999-12-01"), 422, "start")
    problem = _problem(_send(world.cn_chair, "post", f"{API}/series/{series.pk}/occurrences/20260115T130000Z"),
                       422, "occurrence_start")
    assert problem["detail"] == "The series has no meeting at this time."
    assert series.meetings.count() == 1


def _one_off(**fields) -> dict:  # type: ignore[no-untyped-def]
    return {"group": "WG-MED", "title": {"original": "en", "text": {"en": "Telemedicine workshop", "zh": "远程医疗研讨会"}},
            "start": "2026-03-03T10:00:00+03:00", "end": "2026-03-03T12:00:00+03:00", "time_zone": "Europe/Moscow",
            "host": "ibmp", "place": "Moscow"} | fields


def test_one_off_meeting_scheduled_and_changed_through_the_api(world):
    _problem(_send(world.outsider, "post", f"{API}/meetings/", _one_off()), 403)
    _problem(_send(world.outsider, "post", f"{API}/meetings/", _one_off(group=None)), 403)
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(end="2026-03-03T09:00:00+03:00")), 422, "end")
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(start="2026-03-03T10:00:00")), 422, "start")
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(group="WG-NONE")), 422, "group")
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(end="9999-12-31T23:59:00-12:00")), 422, "end")
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(host="nobody")), 422, "host")
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off(time_zone="Mars/Olympus")), 422, "time_zone")
    assert not Meeting.objects.exists()
    created = _ok(_send(world.ru_chair, "post", f"{API}/meetings/", _one_off()), 201, "/meetings/", "post")
    assert created["reference"].startswith("WG-MED/2026-03-03/M") and created["series"] is None
    assert created["start"].startswith("2026-03-03T07:00") and created["host"] == "ibmp"
    url = f"{API}/meetings/{created['id']}"
    assert _client(world.us_chair).get(url).json()["title"]["text"]["zh"] == "远程医疗研讨会"

    moved = _ok(_send(world.cn_chair, "patch", url, {"start": "2026-03-04T09:00:00+03:00", "place": "Wenchang",
                                                      "host": "cmsa"}), 200, "/meetings/{meeting_id}", "patch")
    assert moved["start"].startswith("2026-03-04T06:00") and moved["end"].startswith("2026-03-04T08:00")
    assert moved["place"] == "Wenchang" and moved["host"] == "cmsa"
    assert _ok(_send(world.cn_chair, "patch", url, {"status": "cancelled"}), 200, "/meetings/{meeting_id}",
               "patch")["status"] == "cancelled"
    assert _client(world.us_chair).get(url).json()["status"] == "cancelled"
    assert _send(world.cn_chair, "patch", url, {"status": "scheduled"}).json()["status"] == "scheduled"
    _problem(_send(world.outsider, "patch", url, {"status": "cancelled"}), 403)
    _problem(_send(world.cn_chair, "patch", url, {"status": "held"}), 422, "status")
    _problem(_send(world.cn_chair, "patch", url, {"status": "postponed"}), 422, "status")
    _problem(_send(world.cn_chair, "patch", url, {"online_link": "ftp://example.org"}), 422, "online_link")
    _problem(_send(world.cn_chair, "patch", url, {"end": "2026-03-04T05:00:00+00:00"}), 422, "end")
    _problem(_send(world.cn_chair, "patch", url, {"start": "9999-12-31T23:00:00+00:00"}), 422, "start")
    _problem(_send(world.cn_chair, "patch", f"{API}/meetings/987654", {"place": "X"}), 404)
    after = _client(world.us_chair).get(url).json()
    assert after["status"] == "scheduled" and after["end"].startswith("2026-03-04T08:00")


def test_moving_one_occurrence_overrides_the_series(world):
    series, meeting = _prepared(world)
    url = f"{API}/meetings/{meeting.pk}"
    _ok(_send(world.us_chair, "patch", url, {"start": "2026-01-15T13:00:00Z"}), 200, "/meetings/{meeting_id}", "patch")
    occurrences = _client(world.ru_chair).get(f"{API}/series/{series.pk}/occurrences?start=2026-01-01&days=40").json()
    assert [(o["key"], o["start"][:16]) for o in occurrences] == [(FIRST, "2026-01-15T13:00")]


def test_holding_a_meeting_carries_open_actions(world):
    series, first = _prepared(world)
    item = services_minutes.action_item_add(meeting=first, by=world.cn_chair, owner_party=world.ru,
                                            due_on=date(2026, 2, 1), description=MultilingualText({"en": "Send"}, "en"))
    second = services.meeting_for_occurrence(series=series, by=world.cn_chair,
                                             occurrence_start=datetime(2026, 2, 11, 13, tzinfo=UTC))
    url = f"{API}/meetings/{second.pk}/hold"
    _problem(_send(world.outsider, "post", url), 403)
    body = _ok(_send(world.ru_chair, "post", url), 200, "/meetings/{meeting_id}/hold", "post")
    assert body["status"] == "held"
    assert _client(world.cn_chair).get(f"{API}/meetings/{second.pk}").json()["status"] == "held"
    assert list(second.carried_action_items.all()) == [item]
    services.meeting_change(meeting=first, by=world.cn_chair, status="cancelled", notify=False)
    _problem(_send(world.ru_chair, "post", f"{API}/meetings/{first.pk}/hold"), 422, "status")
    assert _client(world.ru_chair).get(f"{API}/meetings/{first.pk}").json()["status"] == "cancelled"


def test_agenda_through_the_api(world):
    series, meeting = _prepared(world)
    url = f"{API}/meetings/{meeting.pk}/agenda"
    _problem(_send(world.cn_chair, "post", f"{url}/publish"), 422, "agenda")
    title = {"original": "en", "text": {"en": "Bed rest study", "ru": "Исследование постельного режима"}}
    _problem(_send(world.outsider, "post", url, {"title": title}), 403)
    _problem(_send(world.cn_chair, "post", url, {"title": title, "minutes_allotted": 0}), 422, "minutes_allotted")
    _problem(_send(world.cn_chair, "post", url, {"title": title, "presenter": 987654}), 422, "presenter")
    _problem(_send(world.cn_chair, "post", url, {"title": {"original": "en", "text": {}}}), 422, "title")
    assert not meeting.agenda_items.exists()
    body = _ok(_send(world.cn_chair, "post", url, {"title": title, "minutes_allotted": 60,
                                                   "presenter": world.ru_chair.person.pk}),
               201, "/meetings/{meeting_id}/agenda", "post")
    assert body["agenda_overrun_minutes"] == 0
    body = _send(world.cn_chair, "post", url, {"title": {"original": "en", "text": {"en": "Data sharing"}},
                                               "minutes_allotted": 45}).json()
    assert [i["position"] for i in body["agenda"]] == [1, 2] and body["agenda_overrun_minutes"] == 15
    first = body["agenda"][0]
    assert first["presenter"] == world.ru_chair.person.transliteration

    done = _ok(_send(world.ru_chair, "patch", f"{url}/{first['id']}", {"status": "done"}), 200,
               "/meetings/{meeting_id}/agenda/{item_id}", "patch")
    assert [i["status"] for i in done["agenda"]] == ["done", "open"]
    _problem(_send(world.outsider, "patch", f"{url}/{first['id']}", {"status": "open"}), 403)
    _problem(_send(world.ru_chair, "patch", f"{url}/{first['id']}", {"status": "carried"}), 422, "status")
    other = services.meeting_create(by=world.cn_chair, group=world.group, title=MultilingualText({"en": "X"}, "en"),
                                    start=datetime(2026, 5, 1, 8, tzinfo=UTC), end=datetime(2026, 5, 1, 9, tzinfo=UTC),
                                    time_zone="UTC")
    _problem(_send(world.ru_chair, "patch", f"{API}/meetings/{other.pk}/agenda/{first['id']}", {"status": "done"}),
             404)

    _problem(_send(world.outsider, "post", f"{url}/publish"), 403)
    published = _ok(_send(world.us_chair, "post", f"{url}/publish"), 200, "/meetings/{meeting_id}/agenda/publish",
                    "post")
    assert published["agenda_published_at"]
    assert _client(world.ru_chair).get(f"{API}/meetings/{meeting.pk}").json()["agenda_published_at"]

    _problem(_send(world.outsider, "post", f"{url}/carry"), 403)
    carried = _ok(_send(world.cn_chair, "post", f"{url}/carry"), 200, "/meetings/{meeting_id}/agenda/carry", "post")
    assert [i["status"] for i in carried["meeting"]["agenda"]] == ["done", "carried"]
    assert [i["title"]["text"]["en"] for i in carried["carried"]] == ["Data sharing"]
    assert carried["carried"][0]["carried_from"] == meeting.pk
    following = _client(world.ru_chair).get(f"{API}/meetings/{carried['carried_to']}").json()
    assert following["start"].startswith("2026-02-11T13:00") and following["series"] == series.pk
    assert [i["title"]["text"]["en"] for i in following["agenda"]] == ["Data sharing"]
    services.agenda_item_add(meeting=other, by=world.cn_chair, title=MultilingualText({"en": "Last"}, "en"))
    _problem(_send(world.cn_chair, "post", f"{API}/meetings/{other.pk}/agenda/carry"), 422, "agenda")


def test_attendance_through_the_api(world):
    _series, meeting = _prepared(world)
    url = f"{API}/meetings/{meeting.pk}/attendance"
    body = _ok(_send(world.cn_chair, "put", url, {"party": "cmsa", "status": "present"}), 200,
               "/meetings/{meeting_id}/attendance", "put")
    assert {"party": "cmsa", "person": None, "name": None, "status": "present"} in body["attendance"]
    person = world.ru_chair.person
    _send(world.cn_chair, "put", url, {"person": person.pk, "status": "accepted"})
    body = _send(world.cn_chair, "put", url, {"person": person.pk, "status": "present"}).json()
    rows = [(a["party"], a["status"]) for a in body["attendance"] if a["person"] == person.pk]
    assert rows == [("ibmp", "present")]
    member = _group_member(world, world.us)
    own = {"person": member.person.pk, "status": "apologies"}
    assert _send(member, "put", url, own).status_code == 200
    _problem(_send(member, "put", url, {"party": "nasa", "status": "present"}), 403)
    _problem(_send(world.outsider, "put", url, {"party": "cmsa", "status": "apologies"}), 403)
    _problem(_send(world.cn_chair, "put", url, {"party": "cmsa", "status": "maybe"}), 422, "status")
    problem = _problem(_send(world.cn_chair, "put", url, {"party": "cmsa", "person": person.pk, "status": "present"}),
                       422, "person")
    assert problem["detail"] == "This person does not belong to that party."
    _problem(_send(world.cn_chair, "put", url, {"status": "present"}), 422, "party")
    _problem(_send(world.cn_chair, "put", url, {"party": "nobody", "status": "present"}), 422, "party")
    seen = {(a["party"], a["person"]): a["status"]
            for a in _client(world.us_chair).get(f"{API}/meetings/{meeting.pk}").json()["attendance"]}
    assert seen[("cmsa", None)] == "present" and seen[("ibmp", person.pk)] == "present"
    assert seen[("nasa", member.person.pk)] == "apologies" and ("nasa", None) not in seen


def test_minutes_circulated_and_released_through_the_api(world):
    _series, meeting = _prepared(world)
    services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=MultilingualText({"en": "# Met"}, "en"))
    url = f"{API}/meetings/{meeting.pk}/minutes"
    _problem(_send(world.outsider, "post", f"{url}/circulate"), 404)  # minutes kept to the group
    member = _group_member(world, world.us)
    _problem(_send(member, "post", f"{url}/circulate"), 403)
    for party in ("cmsa", "ibmp"):
        _send(world.cn_chair, "put", f"{API}/meetings/{meeting.pk}/attendance", {"party": party, "status": "present"})
    body = _ok(_send(world.cn_chair, "post", f"{url}/circulate"), 200, "/meetings/{meeting_id}/minutes/circulate",
               "post")
    assert body["status"] == "circulated" and body["delegations"] == ["CN", "RU"]
    assert _client(world.ru_chair).get(url).json()["status"] == "circulated"
    _problem(_send(world.cn_chair, "post", f"{url}/circulate"), 422, "status")

    _problem(_send(world.cn_chair, "post", f"{url}/release", {"level": "public"}), 422, "level")
    for user, code in ((world.cn_chair, "CN"), (world.ru_chair, "RU")):
        _send(user, "post", f"{url}/approvals", {"delegation": code, "answer": "approved"})
    _problem(_send(member, "post", f"{url}/release", {"level": "platform"}), 403)
    _problem(_send(world.cn_chair, "post", f"{url}/release", {"level": "everyone"}), 422, "level")
    assert _client(world.outsider).get(url).status_code == 404
    _ok(_send(world.cn_chair, "post", f"{url}/release", {"level": "platform"}), 200,
        "/meetings/{meeting_id}/minutes/release", "post")
    assert _client(world.outsider).get(url).json()["status"] == "approved"


def test_decisions_recorded_through_the_api(world):
    _series, meeting = _prepared(world)
    url = f"{API}/meetings/{meeting.pk}/decisions"
    text = {"original": "zh", "text": {"zh": "在海南举办研讨会", "en": "Hold the workshop in Hainan"}}
    _problem(_send(world.outsider, "post", url, {"text": text}), 403)
    _problem(_send(world.cn_chair, "post", url, {"text": text, "positions": [
        {"party": "cmsa", "position": "concurs"}, {"party": "ibmp", "position": "maybe"}]}), 422, "positions")
    _problem(_send(world.cn_chair, "post", url, {"text": text, "positions": [{"party": "nobody",
                                                                              "position": "concurs"}]}),
             422, "positions")
    _problem(_send(world.cn_chair, "post", url, {"text": {"original": "en", "text": {}}}), 422, "text")
    assert _client(world.cn_chair).get(f"{API}/decisions/").json() == []
    body = _ok(_send(world.cn_chair, "post", url, {"text": text, "positions": [
        {"party": "cmsa", "position": "concurs"},
        {"party": "ibmp", "position": "reservation", "note": "Subject to funding"}]}),
        201, "/meetings/{meeting_id}/decisions", "post")
    assert body["reference"] == "WG-MED/2026-01/D1" and body["text"]["original"] == "zh"
    seen = _client(world.us_chair).get(f"{API}/decisions/WG-MED/2026-01/D1").json()
    assert {(p["party"], p["position"], p["note"]) for p in seen["positions"]} == {
        ("cmsa", "concurs", ""), ("ibmp", "reservation", "Subject to funding")}
    assert [d["reference"] for d in _client(world.ru_chair).get(f"{API}/decisions/?q=海南").json()] == [
        "WG-MED/2026-01/D1"]


def test_action_items_agreed_through_the_api(world):
    _series, meeting = _prepared(world)
    url = f"{API}/meetings/{meeting.pk}/actions"
    action = {"description": {"original": "en", "text": {"en": "Send the bed rest data"}}, "owner_party": "ibmp",
              "owner_person": world.ru_chair.person.pk, "due_on": "2026-02-01"}
    _problem(_send(world.outsider, "post", url, action), 403)
    _problem(_send(world.cn_chair, "post", url, action | {"owner_party": "esa"}), 422, "owner_party")
    _problem(_send(world.cn_chair, "post", url, action | {"owner_person": world.cn_chair.person.pk}), 422,
             "owner_person")
    _problem(_send(world.cn_chair, "post", url, action | {"due_on": "soon"}), 422, "due_on")
    _problem(_send(world.cn_chair, "post", url, action | {"owner_person": 2**70}), 422, "owner_person")
    assert _client(world.ru_chair).get(f"{API}/actions/?mine=true").json() == []
    body = _ok(_send(world.cn_chair, "post", url, action), 201, "/meetings/{meeting_id}/actions", "post")
    assert body["reference"] and body["owner_party"] == "ibmp" and body["due_on"] == "2026-02-01"
    mine = _client(world.ru_chair).get(f"{API}/actions/?mine=true").json()
    assert [a["id"] for a in mine] == [body["id"]] and mine[0]["meeting"] == meeting.pk
    party_only = _send(world.cn_chair, "post", url, action | {"owner_person": None, "owner_party": "nasa"})
    assert party_only.status_code == 201 and party_only.json()["owner_person"] is None


def test_writes_need_a_signed_in_member(world):
    _series, meeting = _prepared(world)
    for method, path, body in (("post", "/meetings/", _one_off()), ("patch", f"/meetings/{meeting.pk}", {}),
                               ("post", f"/meetings/{meeting.pk}/hold", None),
                               ("put", f"/meetings/{meeting.pk}/attendance", {"party": "cmsa", "status": "present"}),
                               ("post", f"/meetings/{meeting.pk}/decisions",
                                {"text": {"original": "en", "text": {"en": "Agreed"}}})):
        _problem(_send(None, method, f"{API}{path}", body), 401)
    assert _client(world.cn_chair).get(f"{API}/meetings/{meeting.pk}").json()["status"] == "scheduled"


def test_every_liaison_operation_is_in_the_guide():
    """docs/liaison.md's API table names every operation of the part, with its method."""
    import re
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs" / "liaison.md").read_text(encoding="utf-8")
    section = guide.split("## API\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for row in section.splitlines():
        methods = set(re.findall(r"\b(GET|POST|PUT|PATCH|DELETE)\b", row))
        for path in re.findall(r"(?<=[ `])(/[A-Za-z0-9_{}/-]*)", row):
            rows.setdefault(re.sub(r"\{\w+\}", "{}", path), set()).update(methods)
    operations = [(method.upper(), re.sub(r"\{\w+\}", "{}", path.removeprefix(API)))
                  for path, methods in _document()["paths"].items() if path.startswith(f"{API}/")
                  for method in methods]
    assert len(operations) > 25
    missing = [f"{method} {path}" for method, path in operations if method not in rows.get(path, set())]
    assert not missing, f"docs/liaison.md does not list {missing}"


def test_invitees_answer_their_invitation_through_the_api(world):
    series = world.series(participants=[u.person for u in world.chairs])
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    url = f"{API}/meetings/{meeting.pk}/answer"
    body = _ok(_send(world.ru_chair, "post", url, {"status": "apologies"}), 200, "/meetings/{meeting_id}/answer", "post")
    mine = [a for a in body["attendance"] if a["person"] == world.ru_chair.person.pk]
    assert [(a["party"], a["status"]) for a in mine] == [("ibmp", "apologies")]
    body = _send(world.ru_chair, "post", url, {"status": "accepted", "party": "ibmp"}).json()
    assert {"party": "ibmp", "person": None, "name": None, "status": "accepted"} in body["attendance"]
    _problem(_send(world.ru_chair, "post", url, {"status": "accepted", "party": "nasa"}), 403)
    _problem(_send(world.ru_chair, "post", url, {"status": "present"}), 422, "status")
    _problem(_send(world.outsider, "post", url, {"status": "accepted"}), 403)  # not invited
    seen = {(a["party"], a["person"]): a["status"]
            for a in _client(world.us_chair).get(f"{API}/meetings/{meeting.pk}").json()["attendance"]}
    assert seen[("ibmp", world.ru_chair.person.pk)] == "apologies" and seen[("nasa", world.us_chair.person.pk)] == (
        "invited")
