from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spacebridge.access.policy import can_see
from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.liaison import services, services_attendance, services_minutes
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


# --- series editing, invitations, rotation, answers -------------------------------------------------------------

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def fixed_now(monkeypatch):  # type: ignore[no-untyped-def]
    from spacebridge.liaison import timing

    monkeypatch.setattr(timing, "utc_now", lambda: NOW)
    return NOW


def _rotating(world, **fields):  # type: ignore[no-untyped-def]
    values = {"first_start": datetime(2027, 1, 13, 13, 0, tzinfo=UTC), "time_zone": "UTC",
              "rotation_times": ["13:00", "01:00", "06:00"]} | fields
    return world.series(**values)


def test_a_series_changes_title_zone_duration_hosts_and_participants(world, fixed_now, mailoutbox):
    series = world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    [first] = series_occurrences(series, series.first_start, series.first_start + timedelta(days=1))
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=first.start, by=world.cn_chair)
    assert meeting.attendance.filter(status="invited").count() == 3  # no participants: the group's people
    mailoutbox.clear()
    newcomer = world.ru_chair.person
    services.series_update(series=series, by=world.ru_chair, title=EN("Joint liaison"), time_zone="Europe/Moscow",
                           first_start=datetime(2027, 1, 13, 16, 0, tzinfo=ZoneInfo("Europe/Moscow")),
                           duration_minutes=60, host_rotation=[world.us, world.cn], participants=[newcomer])
    series.refresh_from_db()
    assert series.title.get() == "Joint liaison" and series.time_zone == "Europe/Moscow"
    assert series.duration_minutes == 60 and series.host_rotation == [world.us.pk, world.cn.pk]
    assert list(series.participants.all()) == [newcomer] and series.sequence == 1
    starts = services.series_starts(series, series.first_start, series.first_start + timedelta(days=100))
    assert all(s.astimezone(ZoneInfo("Europe/Moscow")).hour == 16 for s in starts)
    entry = AuditEntry.objects.filter(verb="liaison.series_changed").latest("pk")
    assert entry.changes["time_zone"] == ["Asia/Shanghai", "Europe/Moscow"] and "participants" in entry.changes
    # The prepared meeting follows the new title; the new participant is already invited to it, and an invitation
    # with the calendar goes out.
    meeting.refresh_from_db()
    assert meeting.title.get() == "Joint liaison" and meeting.sequence == 1
    assert meeting.attendance.filter(person=newcomer).exists()
    assert [m.to for m in mailoutbox] == [[newcomer.email]]
    with pytest.raises(ValidationError):
        services.series_update(series=series, by=world.cn_chair, host_rotation=[world.outsider.person
                                                                                 .affiliations.get().party])
    with pytest.raises(ValidationError):
        services.series_update(series=series, by=world.cn_chair, duration_minutes=5)
    with pytest.raises(PermissionDenied):
        services.series_update(series=series, by=world.outsider, title=EN("Mine"))
    series.refresh_from_db()
    assert series.title.get() == "Joint liaison" and series.duration_minutes == 60  # nothing half-changed


def test_removed_participants_lose_unanswered_invitations(world, fixed_now):
    series = world.series(first_start=datetime(2027, 1, 13, 21, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
                          participants=[u.person for u in world.chairs])
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    services_attendance.invitation_answer(meeting=meeting, by=world.ru_chair, person=world.ru_chair.person,
                                          status="accepted")
    services.series_update(series=series, by=world.cn_chair, participants=[world.cn_chair.person])
    assert {(a.person, a.status) for a in meeting.attendance.all()} == {
        (world.cn_chair.person, "invited"), (world.ru_chair.person, "accepted")}


def test_a_rotation_keeps_the_rule_and_moves_occurrences_as_overrides(world, fixed_now):
    from spacebridge.liaison import ical

    series = _rotating(world)
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2WE" and series.rotation == ["13:00", "01:00", "06:00"]
    moved = list(series.meetings.order_by("occurrence_start"))
    assert len(moved) == 8  # 13 occurrences in the year ahead; every third keeps the rule's 13:00
    starts = services.series_starts(series, series.first_start, series.first_start + timedelta(days=366))
    assert moved[0].occurrence_start == starts[1] and moved[0].start == datetime(2027, 2, 10, 1, 0, tzinfo=UTC)
    assert moved[1].start == datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
    assert moved[0].host_party == world.ru and moved[0].end - moved[0].start == timedelta(minutes=90)
    assert moved[0].attendance.count() == 3
    entries = series_occurrences(series, series.first_start, series.first_start + timedelta(days=366))
    assert [e.start.strftime("%H:%M") for e in entries[:4]] == ["13:00", "01:00", "06:00", "13:00"]
    body = ical.feed(name="x", series=[series]).decode()
    assert body.count("RECURRENCE-ID:20270210T130000Z") == 1 and "DTSTART:20270210T010000Z" in body
    entry = AuditEntry.objects.filter(verb="liaison.series_created").latest("pk")
    assert entry.changes["rotated"] == 8
    with pytest.raises(ValidationError) as info:
        _rotating(world, rotation_times=["13:00", "25:00"])
    assert "25:00" in str(info.value)


def test_the_daily_run_keeps_a_rotation_a_year_ahead(world, fixed_now, monkeypatch):
    from spacebridge.liaison import tasks, timing

    series = _rotating(world)
    assert series.meetings.count() == 8
    horizon = max(series.meetings.values_list("occurrence_start", flat=True))
    assert services.rotations_extend() == 0  # nothing came into the year ahead yet
    later = NOW + timedelta(days=183)
    monkeypatch.setattr(timing, "utc_now", lambda: later)
    made = tasks.extend_rotations.call()
    added = list(series.meetings.filter(occurrence_start__gt=horizon).order_by("occurrence_start"))
    assert made == len(added) >= 3 and all(m.start != m.occurrence_start for m in added)
    assert all(m.attendance.filter(status="invited").count() == 3 for m in added)
    # The whole year ahead of the later day follows the rotation: 13:00, 01:00, 06:00 in turn, none left at 13:00
    # out of turn.
    times = [e.start.strftime("%H:%M") for e in series_occurrences(series, later, later + timedelta(days=360))]
    turn = series.rotation.index(times[0])
    assert len(times) >= 11 and times == [series.rotation[(turn + i) % 3] for i in range(len(times))]
    entry = AuditEntry.objects.filter(verb="liaison.rotation_extended").get()
    assert entry.changes == {"rotated": made} and entry.actor is None
    assert services.rotations_extend() == 0  # the same day again: nothing more


def test_changing_the_rule_remakes_untouched_rotation_overrides_and_keeps_worked_on_ones(world, fixed_now):
    series = _rotating(world)
    worked_on = series.meetings.order_by("occurrence_start").first()
    services.agenda_item_add(meeting=worked_on, by=world.cn_chair, title=EN("Keep me"))
    services.series_update(series=series, by=world.cn_chair, rrule="FREQ=MONTHLY;BYDAY=2WE;COUNT=4")
    assert set(series.meetings.values_list("start", flat=True)) == {
        datetime(2027, 2, 10, 1, 0, tzinfo=UTC), datetime(2027, 3, 10, 6, 0, tzinfo=UTC)}
    assert series.meetings.filter(pk=worked_on.pk).exists()
    services.series_update(series=series, by=world.cn_chair, rotation_times=[])
    assert list(series.meetings.all()) == [worked_on]


def test_people_answer_their_own_invitation_and_officers_for_their_party(world):
    from spacebridge.parties.tests.factories import member_of

    series = world.series(participants=[u.person for u in world.chairs])
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=series.first_start, by=world.cn_chair)
    row = services_attendance.invitation_answer(meeting=meeting, by=world.ru_chair, person=world.ru_chair.person,
                                                status="apologies")
    assert row.status == "apologies" and row.party == world.ru
    with pytest.raises(PermissionDenied):
        services_attendance.invitation_answer(meeting=meeting, by=world.ru_chair, person=world.us_chair.person,
                                              status="accepted")
    assert meeting.attendance.get(person=world.us_chair.person).status == "invited"
    # chair-ibmp is IBMP's liaison officer: they answer for IBMP, not for NASA; a plain member answers for nobody.
    party_row = services_attendance.invitation_answer(meeting=meeting, by=world.ru_chair, party=world.ru,
                                                      status="accepted")
    assert party_row.person is None and party_row.status == "accepted"
    with pytest.raises(PermissionDenied):
        services_attendance.invitation_answer(meeting=meeting, by=world.ru_chair, party=world.us, status="accepted")
    member = member_of(world.us, role="member", username="nasa-member")
    with pytest.raises(PermissionDenied):
        services_attendance.invitation_answer(meeting=meeting, by=member, party=world.us, status="accepted")
    with pytest.raises(ValidationError):
        services_attendance.invitation_answer(meeting=meeting, by=world.us_chair, person=world.us_chair.person,
                                              status="present")
    services.meeting_hold(meeting=meeting, by=world.cn_chair)
    with pytest.raises(ValidationError):
        services_attendance.invitation_answer(meeting=meeting, by=world.us_chair, person=world.us_chair.person,
                                              status="accepted")
    assert AuditEntry.objects.filter(verb="liaison.attendance_recorded", changes__answer=True).count() == 2


def test_a_one_off_meeting_invites_the_group_but_an_imported_one_does_not(world, mailoutbox):
    start = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
    meeting = services.meeting_create(by=world.cn_chair, group=world.group, title=EN("Kick-off"), start=start,
                                      end=start + timedelta(hours=1), time_zone="UTC")
    assert sorted(a.person.pk for a in meeting.attendance.all()) == sorted(u.person.pk for u in world.chairs)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.person.email for u in world.chairs)
    assert mailoutbox[0].attachments[0][0] == "meeting.ics" and "Kick-off" in str(mailoutbox[0].attachments[0][1])
    mailoutbox.clear()
    imported = services.meeting_create(by=world.cn_chair, group=world.group, title=EN("Imported"), start=start,
                                       end=start + timedelta(hours=1), time_zone="UTC", imported_from="x.ics")
    assert not imported.attendance.exists() and mailoutbox == []
