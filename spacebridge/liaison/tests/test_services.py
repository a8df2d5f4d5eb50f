from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spacebridge.access.policy import can_see
from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_minutes
from spacebridge.liaison.models import ActionItem, Attendance, Meeting, Minutes
from spacebridge.liaison.selectors import series_occurrences

pytestmark = pytest.mark.django_db
EN = lambda text: MultilingualText({"en": text}, "en")  # noqa: E731


def _held(world, series):  # type: ignore[no-untyped-def]
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    for party in (world.cn, world.ru, world.us):
        services.attendance_set(meeting=meeting, by=world.cn_chair, party=party, status=Attendance.Status.PRESENT)
    return services.meeting_hold(meeting=meeting, by=world.cn_chair)


def test_series_repeats_in_its_zone_and_says_when_washington_shifts(world):
    series, notices = services.series_create(
        by=world.cn_chair, group=world.group, title=EN("Liaison"),
        first_start=datetime(2026, 12, 9, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")), time_zone="Asia/Shanghai",
        rrule="FREQ=MONTHLY;BYDAY=2WE",
    )
    starts = services.series_starts(series, series.first_start, series.first_start + timedelta(days=200))
    assert all(s.astimezone(ZoneInfo("Asia/Shanghai")).hour == 21 for s in starts)
    assert any("Washington" in n and "09:00" in n and "08:00" in n for n in notices), notices
    assert AuditEntry.objects.filter(verb="liaison.series_created").count() == 1


def test_rules_the_platform_does_not_accept_are_refused_with_a_reason(world):
    with pytest.raises(ValidationError) as info:
        world.series(rrule="FREQ=HOURLY;BYMINUTE=5")
    assert "BYMINUTE" in str(info.value)
    with pytest.raises(ValidationError):
        world.series(rrule="FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z")


def test_an_outsider_cannot_set_up_a_series(world):
    with pytest.raises(PermissionDenied):
        world.series(by=world.outsider)


def test_hosts_rotate_and_an_occurrence_moves_as_an_override(world):
    series = world.series()
    entries = series_occurrences(series, series.first_start, series.first_start + timedelta(days=100))
    assert [e.host for e in entries[:4]] == [world.cn, world.ru, world.us, world.cn]
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=entries[1].start, by=world.ru_chair)
    services.meeting_change(meeting=meeting, by=world.ru_chair, start=entries[1].start + timedelta(days=1))
    moved = series_occurrences(series, series.first_start, series.first_start + timedelta(days=100))
    assert moved[1].start == entries[1].start + timedelta(days=1) and moved[1].meeting == meeting
    assert len(moved) == len(entries)


def test_holidays_flag_and_skip_occurrences(world):
    # 2027-02-10 (second Wednesday) is in the Spring Festival holiday.
    series = world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    window = (datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
    [feb] = series_occurrences(series, *window)
    assert ("CN", "Chinese New Year (Spring Festival) (observed)") in feb.holidays
    services.series_update(series=series, by=world.cn_chair, skip_holidays=True)
    assert series_occurrences(series, *window) == []


def test_agenda_overrun_and_carrying_unfinished_items(world):
    series = world.series()
    meeting = _held(world, series)
    services.agenda_item_add(meeting=meeting, by=world.cn_chair, title=EN("Bone loss"), minutes_allotted=60)
    services.agenda_item_add(meeting=meeting, by=world.cn_chair, title=EN("Sleep"), minutes_allotted=45)
    assert services.agenda_overrun(meeting) == 15
    first = meeting.agenda_items.first()
    services.agenda_item_set_status(item=first, by=world.cn_chair, status="done")
    [carried] = services.agenda_carry_unfinished(meeting=meeting, by=world.cn_chair)
    assert carried.meeting.occurrence_start > meeting.occurrence_start and carried.title.get() == "Sleep"


def test_minutes_need_every_delegation_and_stay_within_the_group(world, mailoutbox):
    meeting = _held(world, world.series())
    mailoutbox.clear()  # the invitations to the series
    minutes = services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=EN("# Minutes\n\nAgreed."))
    assert not can_see(world.outsider, minutes) and can_see(world.us_chair, minutes)
    services_minutes.minutes_circulate(minutes=minutes, by=world.cn_chair)
    assert sorted(minutes.delegations) == ["CN", "RU", "US"]
    assert len(mailoutbox) == 3
    with pytest.raises(PermissionDenied):
        services_minutes.minutes_answer(minutes=minutes, by=world.cn_chair, delegation="RU", answer="approved")
    services_minutes.minutes_answer(minutes=minutes, by=world.cn_chair, delegation="CN", answer="approved")
    with pytest.raises(ValidationError):
        services_minutes.minutes_answer(minutes=minutes, by=world.ru_chair, delegation="RU", answer="reservation")
    services_minutes.minutes_answer(minutes=minutes, by=world.ru_chair, delegation="RU", answer="reservation",
                                    reservation="Item 3 needs IBMP review.")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED
    services_minutes.minutes_answer(minutes=minutes, by=world.us_chair, delegation="US", answer="approved")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    with pytest.raises(ValidationError):
        services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=EN("changed"))
    services_minutes.minutes_release(minutes=minutes, by=world.cn_chair, level="platform")
    assert can_see(world.outsider, minutes)


def test_a_changed_revision_goes_back_to_draft(world):
    meeting = _held(world, world.series())
    minutes = services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=EN("v1"))
    services_minutes.minutes_circulate(minutes=minutes, by=world.cn_chair)
    minutes = services_minutes.minutes_save(meeting=meeting, by=world.cn_chair, text=EN("v2"))
    assert minutes.status == Minutes.Status.DRAFT and minutes.revision == 2
    assert minutes.revisions.count() == 2


def test_decisions_are_numbered_per_group_and_month(world):
    meeting = _held(world, world.series())
    first = services_minutes.decision_record(meeting=meeting, by=world.cn_chair, text=EN("Adopt the plan"),
                                             positions={world.cn: "concurs", world.ru: "concurs",
                                                        world.us: "reservation"})
    second = services_minutes.decision_record(meeting=meeting, by=world.cn_chair, text=EN("Meet in Hainan"))
    assert first.reference == "WG-MED/2026-01/D1" and second.reference == "WG-MED/2026-01/D2"
    assert not can_see(world.outsider, first)
    assert {p.party.code: p.position for p in first.positions.all()}["nasa"] == "reservation"


def test_action_items_carried_and_closed_with_evidence(world):
    series = world.series()
    meeting = _held(world, series)
    item = services_minutes.action_item_add(meeting=meeting, by=world.cn_chair, description=EN("Share the data"),
                                            owner_party=world.ru, owner_person=world.ru_chair.person,
                                            due_on=date(2026, 2, 1))
    assert item.reference == "WG-MED/A1" and item.is_overdue(date(2026, 3, 1))
    nxt = services.next_meeting(meeting, by=world.cn_chair)
    services.meeting_hold(meeting=nxt, by=world.cn_chair)
    assert item in nxt.carried_action_items.all()
    with pytest.raises(PermissionDenied):
        services_minutes.action_item_update(item=item, by=world.outsider, status="done", evidence="x")
    with pytest.raises(ValidationError):
        services_minutes.action_item_update(item=item, by=world.ru_chair, status="done")
    services_minutes.action_item_update(item=item, by=world.ru_chair, status="done", evidence="Data sent 2026-01-30")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.closed_at is not None


def test_cancelling_an_occurrence_notifies_and_keeps_an_override(world, mailoutbox):
    series = world.series()
    series.participants.set([u.person for u in world.chairs])
    start = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))[0].start
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=world.cn_chair)
    mailoutbox.clear()  # the invitations to the series
    services.meeting_change(meeting=meeting, by=world.cn_chair, status=Meeting.Status.CANCELLED)
    assert len(mailoutbox) == 3
    assert mailoutbox[0].attachments[0][0] == "meeting.ics"
    assert "Cancelled" in mailoutbox[0].subject


def test_a_first_meeting_the_rule_does_not_give_is_refused(world):
    with pytest.raises(ValidationError) as info:
        world.series(first_start=datetime(2026, 1, 7, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # first Wednesday
    assert "first meeting" in str(info.value)
