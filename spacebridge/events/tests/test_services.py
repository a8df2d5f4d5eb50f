from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from spacebridge.access.policy import can_see
from spacebridge.audit.models import AuditEntry
from spacebridge.events.models import Registration
from spacebridge.events.services import (
    event_update,
    registration_cancel,
    registration_confirm_email,
    registration_decide,
    registration_submit,
    session_add,
    talk_add,
)
from spacebridge.events.tests.factories import event_of, organiser
from spacebridge.parties.tests.factories import PartyFactory, member_of
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_event_create_validates_and_audits() -> None:
    party = PartyFactory()
    with pytest.raises(ValidationError) as error:
        event_of(party=party, slug="Bad Slug!")
    assert "slug" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        event_of(party=party, slug="ok", time_zone="Mars/Olympus")
    assert "time_zone" in error.value.message_dict
    event = event_of(party=party, slug="wenchang-2027")
    assert AuditEntry.objects.filter(verb="event.created", object_ref="event:wenchang-2027").exists()
    assert can_see(AnonymousUser(), event)
    with pytest.raises(ValidationError):
        event_of(party=party, slug="wenchang-2027")


def test_a_platform_event_is_hidden_from_the_public() -> None:
    event = event_of(release="platform")
    assert not can_see(AnonymousUser(), event)
    assert can_see(member_of(PartyFactory()), event)


def test_only_organisers_create_events() -> None:
    party = PartyFactory()
    with pytest.raises(PermissionDenied):
        event_of(party=party, by=member_of(party))
    officer = member_of(party, role="liaison_officer")
    assert event_of(party=party, by=officer).organiser_party == party


def test_programme_times_must_fall_within_the_event() -> None:
    event = event_of()
    by = organiser()
    with pytest.raises(ValidationError):
        session_add(event=event, by=by, title={"en": "Too early"}, starts_at=event.starts_at - timedelta(hours=1),
                    ends_at=event.starts_at + timedelta(hours=1))
    session = session_add(event=event, by=by, title={"en": "Opening"}, starts_at=event.starts_at,
                          ends_at=event.starts_at + timedelta(hours=2))
    with pytest.raises(ValidationError) as error:
        talk_add(session=session, by=by, title={"en": "Keynote"}, starts_at=event.starts_at,
                 ends_at=event.starts_at + timedelta(minutes=30))
    assert "speaker_name" in error.value.message_dict
    talk = talk_add(session=session, by=by, title={"en": "Keynote"}, starts_at=event.starts_at,
                    ends_at=event.starts_at + timedelta(minutes=30), speaker_name="Yang Liwei",
                    speaker_affiliation="CMSA")
    assert talk.speaker_label() == "Yang Liwei"


def test_materials_must_be_visible_to_who_links_them() -> None:
    event = event_of()
    by = organiser()
    session = session_add(event=event, by=by, title={"en": "Opening"}, starts_at=event.starts_at,
                          ends_at=event.starts_at + timedelta(hours=2))
    hidden = shared_record(level="owner")
    member = member_of(event.organiser_party, role="liaison_officer")
    with pytest.raises(ValidationError) as error:
        talk_add(session=session, by=member, title={"en": "Talk"}, starts_at=event.starts_at,
                 ends_at=event.starts_at + timedelta(minutes=20), speaker_name="A", materials=[hidden])
    assert hidden.reference in str(error.value)


def test_capacity_waiting_list_and_promotion(run_on_commit: Any, mailoutbox: list) -> None:
    event = event_of(registration_open=True, capacity=2)
    people = [member_of(PartyFactory()) for _ in range(4)]
    with run_on_commit():
        registrations = [registration_submit(event=event, by=user) for user in people[:3]]
    assert [r.status for r in registrations] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    confirmed = mailoutbox[0]
    assert "Registration confirmed" in confirmed.subject
    name, content, mimetype = confirmed.attachments[0]
    assert name == "symposium-2027.ics" and mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["summary"]) == "Symposium on space medicine"
    assert vevent.decoded("dtstart") == event.starts_at
    assert "On the waiting list" in mailoutbox[2].subject and not mailoutbox[2].attachments
    with pytest.raises(ValidationError):
        registration_submit(event=event, by=people[0])
    with run_on_commit():
        registration_cancel(registration=registrations[0], by=people[0])
    registrations[2].refresh_from_db()
    assert registrations[2].status == Status.CONFIRMED
    assert "Registration confirmed" in mailoutbox[-1].subject and mailoutbox[-1].attachments
    assert AuditEntry.objects.filter(verb="event.registration_promoted").count() == 1
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registrations[1], by=people[3])


def test_more_places_promote_the_waiting_list(run_on_commit: Any) -> None:
    event = event_of(registration_open=True, capacity=1)
    _first, second = (registration_submit(event=event, by=member_of(PartyFactory())) for _ in range(2))
    assert second.status == Status.WAITLISTED
    with run_on_commit():
        event_update(event=event, by=organiser(), capacity=2)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_approval_by_the_organisers(run_on_commit: Any, mailoutbox: list) -> None:
    organiser()  # the secretariat hears of registrations to approve when the organiser party has no officer
    event = event_of(registration_open=True, requires_approval=True, capacity=1)
    with run_on_commit():
        registration = registration_submit(event=event, by=member_of(PartyFactory()))
    assert registration.status == Status.PENDING
    registrant, organisers = mailoutbox[-2], mailoutbox[-1]
    assert "awaiting approval" in registrant.subject
    assert organisers.to == ["event-organiser@example.org"] and organisers.subject.startswith("To approve:")
    assert f"/events/{event.slug}/participants/" in organisers.body
    with pytest.raises(PermissionDenied):
        registration_decide(registration=registration, by=member_of(PartyFactory()), approve=True)
    with run_on_commit():
        registration_decide(registration=registration, by=organiser(), approve=True)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and mailoutbox[-1].attachments
    with pytest.raises(ValidationError):
        registration_decide(registration=registration, by=organiser(), approve=False)


def test_anonymous_registration_confirms_by_e_mail(run_on_commit: Any, mailoutbox: list) -> None:
    event = event_of(registration_open=True, capacity=5)
    with pytest.raises(ValidationError) as error:
        registration_submit(event=event, by=AnonymousUser(), name="", email="not-an-address")
    assert set(error.value.message_dict) == {"name", "email"}
    with run_on_commit():
        registration = registration_submit(
            event=event, by=AnonymousUser(), name="Anna Petrova", email="Anna@Example.org", language="ru"
        )
    assert registration.status == Status.UNCONFIRMED and registration.email == "anna@example.org"
    message = mailoutbox[-1]
    assert f"/events/symposium-2027/registration/{registration.token}/" in message.body
    assert message.subject == "Подтвердите регистрацию: Симпозиум по космической медицине"
    with run_on_commit():
        registration_confirm_email(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    parsed = message_from_bytes(mailoutbox[-1].message().as_bytes())
    assert any(part.get_content_type() == "text/calendar" for part in parsed.walk())
    with run_on_commit():
        registration_cancel(registration=registration, token=registration.token)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_anonymous_visitors_register_only_for_public_events() -> None:
    event = event_of(registration_open=True, release="platform")
    with pytest.raises(PermissionDenied):
        registration_submit(event=event, by=AnonymousUser(), name="A", email="a@example.org")


def test_closed_registration_and_deadline() -> None:
    event = event_of(registration_open=False)
    with pytest.raises(ValidationError, match="not open"):
        registration_submit(event=event, by=member_of(PartyFactory()))
    late = event_of(slug="late", registration_open=True, registration_deadline=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError, match="deadline"):
        registration_submit(event=late, by=member_of(PartyFactory()))


def test_an_unconfirmed_address_may_ask_again(run_on_commit: Any, mailoutbox: list) -> None:
    event = event_of(registration_open=True, capacity=5)
    with run_on_commit():
        first = registration_submit(event=event, by=AnonymousUser(), name="Ann", email="ann@example.org")
        again = registration_submit(event=event, by=AnonymousUser(), name="Ann Lee", email="ann@example.org")
    assert again.pk == first.pk and again.name == "Ann Lee" and again.status == Status.UNCONFIRMED
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Confirm your registration"] * 2
    member = member_of(PartyFactory(), email="ann@example.org")
    member.email = "ann@example.org"
    member.save()
    with run_on_commit():
        taken = registration_submit(event=event, by=member)
    assert taken.pk == first.pk and taken.status == Status.CONFIRMED and taken.user == member
    registration_confirm_email(registration=taken)  # an old link changes nothing any more
    assert Registration.objects.get().status == Status.CONFIRMED


def test_registrants_hear_of_a_new_date(
    run_on_commit: Any, mailoutbox: list
) -> None:
    event = event_of(registration_open=True, capacity=1)
    with run_on_commit():
        held = registration_submit(event=event, by=member_of(PartyFactory()))
        waiting = registration_submit(event=event, by=member_of(PartyFactory()))
    assert waiting.status == Status.WAITLISTED
    mailoutbox.clear()
    event_update(event=event, by=organiser(), capacity=1)  # as many as are held: fine
    with run_on_commit():
        event_update(event=event, by=organiser(), starts_at=event.starts_at + timedelta(days=1),
                     ends_at=event.ends_at + timedelta(days=1))
    changed = {m.to[0]: m for m in mailoutbox}
    assert {m.subject.split(":")[0] for m in mailoutbox} == {"Changed"}
    assert changed[held.email].attachments and not changed[waiting.email].attachments
    vevent = Calendar.from_ical(changed[held.email].attachments[0][1]).walk("VEVENT")[0]
    assert vevent.decoded("dtstart") == event.starts_at + timedelta(days=1) and int(vevent["sequence"]) > 0
    mailoutbox.clear()
    with run_on_commit():
        event_update(event=event, by=organiser(), description={"en": "More words."})
    assert not mailoutbox  # nothing practical changed


def test_capacity_never_drops_below_the_places_held() -> None:
    event = event_of(registration_open=True, capacity=3)
    for _ in range(2):
        registration_submit(event=event, by=member_of(PartyFactory()))
    with pytest.raises(ValidationError, match="2 people already hold places"):
        event_update(event=event, by=organiser(), capacity=1)
