from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_minutes
from spacebridge.liaison.selectors import series_occurrences

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_pages_show_times_and_keep_minutes_to_the_group(world):
    series = world.series()
    entry = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0]
    chair = _client(world.cn_chair)
    assert chair.get("/liaison/").status_code == 200
    page = chair.get(f"/liaison/series/{series.pk}/").content.decode()
    assert "Beijing" in page and "Washington" in page and "UTC" in page
    response = chair.post(f"/liaison/series/{series.pk}/occurrences/{entry.occurrence_key}/")
    meeting = series.meetings.get()
    assert response.status_code == 302
    page = chair.get(f"/liaison/meetings/{meeting.pk}/").content.decode()
    assert "2026-01-14 21:00" in page and "2026-01-14 08:00" in page and "2026-01-14 16:00" in page
    response = chair.post(f"/liaison/meetings/{meeting.pk}/do/agenda/", {
        "agenda-title_en": "Welcome", "agenda-title_original": "en", "agenda-minutes_allotted": "120"})
    assert response.status_code == 302
    assert "runs 30 minutes over" in chair.get(f"/liaison/meetings/{meeting.pk}/").content.decode()
    services_minutes.minutes_save(meeting=meeting, by=world.cn_chair,
                                  text=MultilingualText({"en": "**Agreed** <script>x</script>"}, "en"))
    page = chair.get(f"/liaison/meetings/{meeting.pk}/minutes/").content.decode()
    assert "<strong>Agreed</strong>" in page and "<script>x" not in page
    assert _client(world.outsider).get(f"/liaison/meetings/{meeting.pk}/minutes/").status_code == 404
    assert _client(world.outsider).post(f"/liaison/meetings/{meeting.pk}/do/hold/").status_code == 403


def test_forms_answer_bad_input_with_field_errors(world):
    chair = _client(world.cn_chair)
    response = chair.post("/liaison/series/new/", {
        "group": world.group.pk, "title_en": "X", "title_original": "en", "first_start": "2026-12-01T09:00",
        "time_zone": "Mars/Olympus", "duration_minutes": "90", "rrule": "FREQ=SECONDLY"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "not a known IANA time zone" in body and "FREQ must be" in body
    response = chair.get("/liaison/slots/?zones=Asia/Shanghai,Nowhere&work_start=09:00&work_end=18:00"
                         "&duration=90&weekday=2")
    assert "not a known IANA time zone" in response.content.decode()


def test_group_page_and_feeds(world):
    series = world.series()
    chair = _client(world.cn_chair)
    page = chair.get("/groups/WG-MED/").content.decode()
    assert "Upcoming meetings" in page and "Monthly liaison" in page
    for url in (f"/liaison/series/{series.pk}/series.ics", "/groups/WG-MED/calendar.ics"):
        response = chair.get(url)
        assert response.status_code == 200 and b"RRULE:FREQ=MONTHLY;BYDAY=2WE" in response.content
    chair.post("/liaison/calendar/new/")
    page = chair.get("/liaison/calendar/").content.decode()
    url = page.split('data-testid="calendar-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    path = url.split("testserver", 1)[1]
    assert Client().get(path).status_code == 200
    token = world.cn_chair.calendar_tokens.get()
    chair.post(f"/liaison/calendar/{token.pk}/revoke/")
    assert Client().get(path).status_code == 404


def test_broken_ics_import_is_a_clear_error(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chair = _client(world.cn_chair)
    response = chair.post("/liaison/import/", {"group": world.group.pk, "time_zone": "UTC",
                                               "file": SimpleUploadedFile("x.ics", b"BEGIN:VCALENDAR\nnonsense")})
    assert response.status_code == 422
    good = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@b\r\nSUMMARY:Joint call\r\n"
            b"DTSTART:20270105T130000Z\r\nDTEND:20270105T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    response = chair.post("/liaison/import/", {"group": world.group.pk, "time_zone": "UTC",
                                               "file": SimpleUploadedFile("x.ics", good)})
    assert response.status_code == 302
    assert services.Meeting.objects.get(imported_from="x.ics").title.get() == "Joint call"


def test_a_personal_feed_holds_the_person_s_groups_only(world):
    from spacebridge.core.multilingual import MultilingualText as Text
    from spacebridge.groups.services import group_create
    from spacebridge.liaison.services_calendar import calendar_token_create
    from spacebridge.liaison.views.calendar import person_feed_body

    world.series()
    other = group_create(by=world.secretariat, acronym="WG-BIO", name=Text({"en": "Biology"}, "en"))
    world.series(by=world.secretariat, group=other, title=Text({"en": "Biology call"}, "en"), host_rotation=[])
    body = person_feed_body(world.cn_chair)
    assert b"Monthly liaison" in body and b"Biology call" not in body
    _token, secret = calendar_token_create(user=world.cn_chair)
    assert Client().get(f"/liaison/calendar/{secret}.ics").content == body
