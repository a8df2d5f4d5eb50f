from __future__ import annotations

from datetime import date, timedelta

import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_calendar, services_minutes, tasks
from spacebridge.liaison.selectors import series_occurrences

pytestmark = pytest.mark.django_db


def _meeting(world):  # type: ignore[no-untyped-def]
    series = world.series()
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    return services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)


def test_owners_hear_of_due_and_overdue_actions_once_a_day_in_their_language(world, mailoutbox):
    meeting = _meeting(world)
    mailoutbox.clear()  # the invitations to the series
    world.ru_chair.person.languages = ["ru"]
    world.ru_chair.person.save()
    services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.ru,
                                     owner_person=world.ru_chair.person, due_on=date(2026, 3, 1),
                                     description=MultilingualText({"en": "Send data", "ru": "Отправить данные"}, "en"))
    services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.us,
                                     owner_person=world.us_chair.person, due_on=date(2026, 6, 1),
                                     description=MultilingualText({"en": "Later"}, "en"))
    assert tasks.send_action_reminders.call(on="2026-03-10") == 1
    [mail] = mailoutbox
    assert mail.to == [world.ru_chair.person.email] and "Просроченное поручение" in mail.subject
    assert "Отправить данные" in mail.body
    assert tasks.send_action_reminders.call(on="2026-03-10") == 0  # once a day


def test_the_daily_digest_replaces_single_notices(world, mailoutbox):
    meeting = _meeting(world)
    mailoutbox.clear()  # the invitations to the series
    services_calendar.reminder_setting_set(user=world.ru_chair, daily_digest=True)
    services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, owner_party=world.ru,
                                     owner_person=world.ru_chair.person, due_on=date.today() - timedelta(days=1),
                                     description=MultilingualText({"en": "Send data"}, "en"))
    assert tasks.send_action_reminders.call() == 0
    assert tasks.send_daily_digests.call() == 1
    assert "Send data" in mailoutbox[0].body and "digest" in mailoutbox[0].subject.lower()
    assert tasks.send_daily_digests.call() == 0


def test_agenda_notice_goes_to_participants_who_may_see_the_meeting(world, mailoutbox):
    meeting = _meeting(world)
    mailoutbox.clear()  # the invitations to the series
    meeting.series.participants.set([u.person for u in world.chairs])
    services.agenda_item_add(meeting=meeting, by=world.cn_chair, title=MultilingualText({"en": "Welcome"}, "en"))
    services.agenda_publish(meeting=meeting, by=world.cn_chair)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.person.email for u in world.chairs)
    assert "Welcome" in mailoutbox[0].body and "Beijing" in mailoutbox[0].body
    assert mailoutbox[0].attachments[0][2].startswith("text/calendar")


def test_a_new_series_invites_its_participants_in_their_language_with_its_calendar(world, mailoutbox):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    world.ru_chair.person.languages = ["ru"]
    world.ru_chair.person.save()
    world.outsider.is_active = False
    world.outsider.save()
    world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
                 participants=[world.ru_chair.person, world.us_chair.person, world.outsider.person])
    # The outsider's account is closed: they may no longer see the series, so they get nothing.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.ru_chair.person.email, world.us_chair.person.email])
    russian = next(m for m in mailoutbox if m.to == [world.ru_chair.person.email])
    assert "Приглашение" in russian.subject and "Monthly liaison" in russian.subject
    assert "2027-01-13 16:00" in russian.body  # Moscow, the reader's zone
    name, body, kind = russian.attachments[0]
    assert name == "series.ics" or name.endswith(".ics")
    assert kind.startswith("text/calendar") and "RRULE:FREQ=MONTHLY;BYDAY=2WE" in str(body)
    english = next(m for m in mailoutbox if m.to == [world.us_chair.person.email])
    assert "Invitation to a liaison series" in english.subject and "2027-01-13 08:00" in english.body
    assert tasks.send_series_invitation.call(10**6) == 0  # a series deleted meanwhile
