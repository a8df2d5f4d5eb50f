from __future__ import annotations

from datetime import timedelta
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from spacebridge.events.models import Registration
from spacebridge.events.services import session_add, talk_add
from spacebridge.events.tests.factories import event_of, organiser
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> Any:
    event = event_of(registration_open=True, capacity=1, venue={"en": "Wenchang, Hainan", "zh": "海南文昌"})
    by = organiser()
    session = session_add(event=event, by=by, title={"en": "Space medicine", "zh": "航天医学"},
                          starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=2), room="Hall A")
    public = shared_record(title={"en": "Bone loss countermeasures"})
    hidden = shared_record(level="owner", title={"en": "Unreleased slides"})
    talk = talk_add(session=session, by=by, title={"en": "Bone loss on long flights"}, starts_at=event.starts_at,
                    ends_at=event.starts_at + timedelta(minutes=30), speaker_name="Yang Liwei",
                    speaker_affiliation="CMSA", materials=[public])
    talk.materials.add(hidden)  # linked by its owner party: only they see it
    event.hidden_reference = hidden.reference
    event.public_reference = public.reference
    return event


def test_event_page_shows_the_programme_in_both_zones(client: Client, event: Any) -> None:
    client.cookies["sb_tz"] = "Europe/Moscow"
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Symposium on space medicine" in page and "Bone loss on long flights" in page
    assert "Asia/Shanghai, UTC+08:00" in page and "Europe/Moscow, UTC+03:00" in page
    assert event.public_reference in page and event.hidden_reference not in page
    assert "Participants" not in page


def test_a_restricted_event_is_a_404_for_the_public(client: Client) -> None:
    restricted = event_of(slug="members-only", release="platform")
    assert client.get(f"/events/{restricted.slug}/").status_code == 404
    assert client.get(f"/events/{restricted.slug}/event.ics").status_code == 404
    assert "members-only" not in client.get("/events/calendar.ics").content.decode()
    client.force_login(member_of(PartyFactory()))
    assert client.get(f"/events/{restricted.slug}/").status_code == 200


def test_signed_in_registration_and_waiting_list(client: Client, event: Any, mailoutbox: list,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(member_of(PartyFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/register/", {"affiliation": "Institute"}, follow=True)
    assert "You are registered" in response.content.decode()
    assert mailoutbox[-1].attachments[0][0] == f"{event.slug}.ics"
    client.force_login(member_of(PartyFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/register/", {}, follow=True)
    page = response.content.decode()
    assert "waiting list" in page and "number 1 on the waiting list" in page


def test_anonymous_registration_validates_and_confirms(client: Client, event: Any, mailoutbox: list,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    response = client.post(f"/events/{event.slug}/register/", {"name": "", "email": "nope"})
    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()
    assert not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/register/", {"name": "Ann Lee", "email": "ann@example.org"})
    registration = Registration.objects.get()
    assert response.status_code == 302 and registration.token in response["Location"]
    assert registration.status == Registration.Status.UNCONFIRMED
    link = response["Location"]
    assert "Confirm my registration" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"action": "confirm"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert client.get(f"/events/{event.slug}/registration/{'x' * 32}/").status_code == 404


def test_participant_list_under_the_access_policy(client: Client, event: Any) -> None:
    officer_party = PartyFactory()
    event.participating_parties.add(officer_party)
    assert client.get(f"/events/{event.slug}/participants/").status_code == 404
    client.force_login(member_of(PartyFactory()))
    assert client.get(f"/events/{event.slug}/participants/").status_code == 404
    client.force_login(member_of(officer_party, role="liaison_officer"))
    assert client.get(f"/events/{event.slug}/participants/").status_code == 200
    client.force_login(organiser())
    assert client.get(f"/events/{event.slug}/participants/").status_code == 200


def test_calendar_feeds_parse(client: Client, event: Any) -> None:
    response = client.get("/events/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Symposium on space medicine"]
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"
    single = Calendar.from_ical(client.get(f"/events/{event.slug}/event.ics?language=zh").content)
    summaries = [str(e["summary"]) for e in single.walk("VEVENT")]
    assert summaries == ["航天医学研讨会", "航天医学 — 航天医学研讨会"]
    assert single.walk("VEVENT")[0].decoded("dtstart") == event.starts_at


@pytest.mark.parametrize("language", ["en", "zh", "ru"])
def test_atom_feeds_parse(client: Client, event: Any, language: str) -> None:
    event_of(slug="hidden", release="platform")
    response = client.get(f"/events/feed/{language}.atom")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    expected = {"en": "Symposium on space medicine", "zh": "航天医学研讨会", "ru": "Симпозиум по космической медицине"}
    assert titles == [expected[language]]
    assert feed.feed.language == language


def test_unknown_feed_language_is_a_404(client: Client) -> None:
    assert client.get("/events/feed/xx.atom").status_code == 404


def test_organiser_creates_an_event_and_its_programme(client: Client) -> None:
    party = PartyFactory(code="cmsa")
    client.force_login(member_of(party, role="liaison_officer"))
    form = {
        "slug": "wenchang-2027", "kind": "symposium", "title_en": "Follow-up symposium", "title_original": "en",
        "organiser_party": party.pk, "time_zone": "Asia/Shanghai", "starts_at": "2027-01-28T09:00",
        "ends_at": "2027-01-27T17:00", "release": "public", "capacity": "30",
    }
    response = client.post("/events/new/", form)
    assert response.status_code == 422 and "The event must end after it starts." in response.content.decode()
    response = client.post("/events/new/", form | {"ends_at": "2027-01-29T17:00"})
    assert response.status_code == 302
    from spacebridge.events.models import Event

    event = Event.objects.get(slug="wenchang-2027")
    assert event.starts_at.isoformat() == "2027-01-28T01:00:00+00:00"
    response = client.post(
        "/events/wenchang-2027/programme/",
        {"add": "session", "session-title_en": "Opening", "session-title_original": "en",
         "session-starts_at": "2027-01-28T09:00", "session-ends_at": "2027-01-28T10:30"},
    )
    assert response.status_code == 302
    session = event.sessions.get()
    response = client.post(
        "/events/wenchang-2027/programme/",
        {"add": "talk", "talk-session": session.pk, "talk-title_en": "Welcome", "talk-title_original": "en",
         "talk-starts_at": "2027-01-28T09:00", "talk-ends_at": "2027-01-28T09:15", "talk-speaker_name": "Host",
         "talk-materials": "SB-2099-000001"},
    )
    assert response.status_code == 422 and "SB-2099-000001" in response.content.decode()
    client.force_login(member_of(PartyFactory()))
    assert client.get("/events/wenchang-2027/programme/").status_code == 403


def test_back_office_approves_pending_registrations(client: Client) -> None:
    pending_event = event_of(slug="approval", registration_open=True, requires_approval=True)
    from spacebridge.events.services import registration_submit

    registration = registration_submit(event=pending_event, by=member_of(PartyFactory()))
    boss = organiser()
    boss.is_staff = True
    boss.save()
    client.force_login(boss)
    assert client.get("/admin/events/event/").status_code == 200
    assert client.get("/admin/events/registration/").status_code == 200
    response = client.post("/admin/events/registration/", {"action": "approve", "_selected_action": [registration.pk]})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    client.force_login(member_of(PartyFactory()))
    assert client.get("/admin/events/registration/").status_code in {302, 403}


def test_event_page_describes_itself_for_search_engines(client: Client, event: Any) -> None:
    import json
    import re

    page = client.get(f"/events/{event.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Event" and data["name"] == "Symposium on space medicine"
    assert data["startDate"].endswith("+08:00") and data["location"]["name"] == "Wenchang, Hainan"
    assert '<meta property="og:title" content="Symposium on space medicine">' in page


def test_organisers_set_the_proceedings(client: Client, event: Any) -> None:
    client.force_login(organiser())
    hidden = shared_record(level="owner", title={"en": "Unreleased paper"})
    response = client.post(f"/events/{event.slug}/programme/",
                           {"add": "proceedings", "proceedings-references": f"{event.public_reference} {hidden.reference}"})
    assert response.status_code == 422 and hidden.reference in response.content.decode()
    assert not event.proceedings.exists()
    response = client.post(f"/events/{event.slug}/programme/",
                           {"add": "proceedings", "proceedings-references": event.public_reference.lower()})
    assert response.status_code == 302
    assert list(event.proceedings.values_list("reference", flat=True)) == [event.public_reference]
    assert event.public_reference in client.get(f"/events/{event.slug}/").content.decode()


def test_participant_list_downloads_as_a_spreadsheet(client: Client, event: Any) -> None:
    from spacebridge.events.services import registration_record

    registration_record(event=event, by=organiser(), name="=HYPERLINK(1)", email="x@example.org",
                        affiliation="Институт медико-биологических проблем")
    client.force_login(organiser())
    response = client.get(f"/events/{event.slug}/participants/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].endswith('-participants.csv"')
    assert "'=HYPERLINK(1)" in text and "Институт медико-биологических проблем" in text and "x@example.org" in text
    client.logout()
    assert client.get(f"/events/{event.slug}/participants/?format=csv").status_code == 404


def test_organisers_change_a_session_and_a_talk(client: Client, event: Any) -> None:
    from spacebridge.audit.models import AuditEntry

    session = event.sessions.get()
    talk = session.talks.get()
    client.force_login(organiser())
    url = f"/events/{event.slug}/programme/session/{session.pk}/edit/"
    local = session.starts_at.astimezone(event.zone)
    form = {"title_en": "Space medicine today", "title_original": "en", "room": "Hall B",
            "starts_at": (local.replace(hour=local.hour + 1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local.replace(hour=local.hour + 2)).strftime("%Y-%m-%dT%H:%M")}
    response = client.get(url)
    assert response.status_code == 200 and "Space medicine" in response.content.decode()
    response = client.post(url, form)  # the talk at the start would fall outside
    assert response.status_code == 422 and "move them first" in response.content.decode()
    response = client.post(url, form | {"starts_at": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title.get("en") == "Space medicine today" and session.room == "Hall B"
    talk_url = f"/events/{event.slug}/programme/talk/{talk.pk}/edit/"
    page = client.get(talk_url).content.decode()
    assert event.public_reference in page and event.hidden_reference not in page  # the organiser may not see it
    response = client.post(talk_url, {
        "session": session.pk, "title_en": "Bone loss on long missions", "title_original": "en",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"), "ends_at": (local.replace(minute=20)).strftime("%Y-%m-%dT%H:%M"),
        "speaker_name": "Yang Liwei", "materials": "",
    })
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.title.get("en") == "Bone loss on long missions"
    assert list(talk.materials.values_list("reference", flat=True)) == [event.hidden_reference]
    assert AuditEntry.objects.filter(verb__in=["event.session_changed", "event.talk_changed"]).count() == 2
    assert client.get(f"/events/{event.slug}/programme/talk/999999/edit/").status_code == 404
    client.force_login(member_of(PartyFactory()))
    assert client.get(talk_url).status_code == 403


def test_past_events_come_page_by_page_latest_first(client: Client) -> None:
    from spacebridge.events.views.pages import PAST_PER_PAGE

    party, by = PartyFactory(), organiser()
    now = timezone.now().replace(microsecond=0)
    for index in range(PAST_PER_PAGE + 2):
        event_of(party=party, by=by, slug=f"past-{index:02d}", starts_at=now - timedelta(days=400 - index), days=1)

    first = client.get("/events/").content.decode()
    second = client.get("/events/", {"page": "2"}).content.decode()
    nonsense = client.get("/events/", {"page": "many"})

    latest = f"/events/past-{PAST_PER_PAGE + 1:02d}/"
    assert latest in first and "/events/past-00/" not in first  # the latest first
    assert "/events/past-00/" in second and latest not in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert nonsense.status_code == 200 and latest in nonsense.content.decode()
