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


# --- series editing, rotation, invitations answered, minutes revisions -------------------------------------------

@pytest.fixture
def fixed_now(monkeypatch):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from spacebridge.liaison import timing

    now = datetime(2026, 12, 1, tzinfo=UTC)
    monkeypatch.setattr(timing, "utc_now", lambda: now)
    return now


def _series_post(world, **fields):  # type: ignore[no-untyped-def]
    return {"group": world.group.pk, "title_en": "Monthly liaison", "title_original": "en", "first_start": "2027-01-13T21:00",
            "time_zone": "Asia/Shanghai", "duration_minutes": "90", "rrule": "FREQ=MONTHLY;BYDAY=2WE",
            "host_rotation": [world.cn.pk, world.ru.pk], "participants": [world.ru_chair.person.pk]} | fields


def test_organisers_change_a_series_on_the_web_and_see_the_clock_changes(world, fixed_now, mailoutbox):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    series = world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    chair = _client(world.ru_chair)
    page = chair.get(f"/liaison/series/{series.pk}/").content.decode()
    assert f'href="/liaison/series/{series.pk}/edit/"' in page
    form = chair.get(f"/liaison/series/{series.pk}/edit/").content.decode()
    assert 'value="FREQ=MONTHLY;BYDAY=2WE"' in form and "2027-01-13T21:00" in form
    mailoutbox.clear()
    response = chair.post(f"/liaison/series/{series.pk}/edit/", _series_post(
        world, title_en="Joint liaison", time_zone="Europe/Moscow", first_start="2027-01-13T16:00"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/liaison/series/{series.pk}/"
    assert "The liaison series is changed." in body and "Joint liaison" in body
    assert "From 2027-04-14 the meeting starts at 09:00 instead of 08:00 in Washington (clock change)" in body
    series.refresh_from_db()
    assert series.time_zone == "Europe/Moscow" and series.host_rotation == [world.cn.pk, world.ru.pk]
    assert [m.to for m in mailoutbox] == [[world.ru_chair.person.email]]  # the new default participant
    bad = chair.post(f"/liaison/series/{series.pk}/edit/", _series_post(world, rrule="FREQ=MONTHLY;BYDAY=1MO"))
    assert bad.status_code == 422 and "does not fall on a day the recurrence rule gives" in bad.content.decode()
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2WE"
    assert _client(world.outsider).get(f"/liaison/series/{series.pk}/edit/").status_code == 403
    assert _client(world.outsider).post(f"/liaison/series/{series.pk}/edit/",
                                        _series_post(world)).status_code == 403


def test_a_series_set_up_from_the_slot_finder_s_rotation(world, fixed_now):
    chair = _client(world.cn_chair)
    finder = chair.get("/liaison/slots/?zones=Asia/Shanghai,Europe/Moscow,America/New_York&work_start=09:00"
                       "&work_end=18:00&duration=90&weekday=2").content.decode()
    link = finder.split('data-testid="use-rotation"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "rotation=" in link
    form = chair.get(link).content.decode()
    times = link.split("rotation=")[1].replace("%2C", ",")
    assert f'value="{times}"' in form
    response = chair.post("/liaison/series/new/", _series_post(
        world, first_start="2027-01-13T13:00", time_zone="UTC", rotation="13:00, 01:00, 06:00", participants=[]))
    series = world.group.liaison_series.get()
    assert response.status_code == 302 and series.rotation == ["13:00", "01:00", "06:00"]
    assert series.meetings.count() == 8
    page = chair.get(f"/liaison/series/{series.pk}/").content.decode()
    rotated = page.split('data-testid="rotated"')[1].split("</table>")[0]
    # The page shows up to 2027-12-02: seven of the eight moved occurrences.
    assert rotated.count("<tr>") == 1 + 7 and 'datetime="2027-02-10T01:00:00+00:00"' in rotated
    burden = page.split('data-testid="rotation-burden"')[1].split("</table>")[0]
    assert "CMSA" in burden and "IBMP" in burden and "NASA" in burden
    bad = chair.post("/liaison/series/new/", _series_post(world, rotation="13:00, noon"))
    assert bad.status_code == 422 and "is not a time of day" in bad.content.decode()


def test_invitees_answer_on_the_meeting_page(world):
    series = world.series(participants=[u.person for u in world.chairs])
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    us = _client(world.us_chair)
    page = us.get(f"/liaison/meetings/{meeting.pk}/").content.decode()
    answers = page.split('data-testid="invitation-answers"')[1].split("</div>")[0]
    assert 'value="me"' in answers and f'value="{world.us.pk}"' in answers  # chair-nasa is NASA's liaison officer
    assert f'value="{world.ru.pk}"' not in answers
    url = f"/liaison/meetings/{meeting.pk}/do/answer/"
    assert us.post(url, {"answer-answer_for": "me", "answer-status": "apologies"}).status_code == 302
    assert meeting.attendance.get(person=world.us_chair.person).status == "apologies"
    assert us.post(url, {"answer-answer_for": str(world.us.pk), "answer-status": "accepted"}).status_code == 302
    assert meeting.attendance.get(person=None, party=world.us).status == "accepted"
    assert us.post(url, {"answer-answer_for": str(world.ru.pk), "answer-status": "accepted"}).status_code == 403
    bad = us.post(url, {"answer-answer_for": "me", "answer-status": "present"})
    assert bad.status_code == 422 and meeting.attendance.get(person=world.us_chair.person).status == "apologies"
    assert _client(world.outsider).post(url, {"answer-answer_for": "me", "answer-status": "accepted"}).status_code \
        in (403, 404)
    assert not meeting.attendance.filter(person=world.outsider.person).exists()


def test_the_meeting_page_reads_a_fixed_number_of_rows(world, django_assert_max_num_queries):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    series = world.series(participants=[u.person for u in world.chairs])
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    chair = _client(world.us_chair)
    url = f"/liaison/meetings/{meeting.pk}/"
    chair.get(url)
    with CaptureQueriesContext(connection) as few:
        assert chair.get(url).status_code == 200
    for number in range(15):
        services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.ru,
                                         owner_person=world.ru_chair.person, due_on=date(2027, 1, 1),
                                         description=MultilingualText({"en": f"Task {number}"}, "en"))
        services.agenda_item_add(meeting=meeting, by=world.cn_chair, presenter=world.ru_chair.person,
                                 title=MultilingualText({"en": f"Item {number}"}, "en"))
    with CaptureQueriesContext(connection) as many:
        assert chair.get(url).status_code == 200
    assert len(many) <= len(few) + 2, [q["sql"] for q in many.captured_queries]


def test_minutes_revisions_show_what_changed_escaped(world):
    series = world.series()
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=MultilingualText(
        {"en": "# Minutes\n\nItem one.\nItem two.", "ru": "Пункт один."}, "en"))
    services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, note="RU review", text=MultilingualText(
        {"en": "# Minutes\n\nItem one.\nItem <b>2</b>.", "ru": "Пункт один."}, "en"))
    chair = _client(world.cn_chair)
    page = chair.get(f"/liaison/meetings/{meeting.pk}/minutes/").content.decode()
    assert "?diff=2" in page and "?diff=1" in page
    diff = chair.get(f"/liaison/meetings/{meeting.pk}/minutes/?diff=2").content.decode()
    section = diff.split('data-testid="revision-diff"')[1]
    assert "What changed in revision 2 (since revision 1)" in section
    assert "<del>- Item two.</del>" in section and "<ins>+ Item &lt;b&gt;2&lt;/b&gt;.</ins>" in section
    assert "No change in this language." in section  # Russian
    assert "lines added: 1, removed: 1" in section
    assert chair.get(f"/liaison/meetings/{meeting.pk}/minutes/?diff=9").status_code == 404
    assert chair.get(f"/liaison/meetings/{meeting.pk}/minutes/?diff=x").status_code == 404
    assert _client(world.outsider).get(f"/liaison/meetings/{meeting.pk}/minutes/?diff=2").status_code == 404
