"""Writes of liaison: series, meetings, agendas and attendance. One transaction and one audit entry each.

Minutes, decisions and action items are in ``services_minutes``; calendar addresses and imports in
``services_calendar``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import recurrence, rotation, timing
from spacebridge.liaison.models import AgendaItem, Attendance, LiaisonSeries, Meeting
from spacebridge.liaison.permissions import can_run
from spacebridge.parties.models import Party, Person

UID_DOMAIN = "spacebridge"


def _require_run(by: Any, group: WorkingGroup | None, check_permission: bool) -> None:
    if check_permission and not can_run(by, group):
        raise PermissionDenied(_("Only the group's co-chairs, its secretary and the secretariat do this."))


def _aware(moment: datetime, field: str) -> datetime:
    if timezone.is_naive(moment):
        raise ValidationError({field: _("Give the time with its time zone.")})
    return moment.astimezone(ZoneInfo("UTC"))


def _check_link(link: str) -> str:
    link = (link or "").strip()
    if link and not link.lower().startswith(("https://", "http://")):
        raise ValidationError({"online_link": _("The online link must start with https:// or http://.")})
    return link


def _local_dates(values: list[str], field: str) -> list[str]:
    result = []
    for value in values:
        try:
            result.append(recurrence.parse_local(str(value)).isoformat(timespec="minutes"))
        except ValueError as exc:
            raise ValidationError({field: _("“%(value)s” is not a date and time.") % {"value": str(value)[:40]}}) from exc
    return sorted(set(result))


def series_countries(series: LiaisonSeries) -> list[str]:
    """The delegations taking part: the countries of the group's member parties and of the default participants."""
    countries: set[str] = set()
    if series.group_id:
        countries |= {str(c) for c in Party.objects.filter(group_memberships__group=series.group_id)
                      .values_list("country", flat=True)}
    if series.pk:
        countries |= {str(c) for c in Party.objects.filter(affiliations__person__liaison_series=series)
                      .values_list("country", flat=True)}
    return sorted(c for c in countries if c)


@transaction.atomic
def series_create(
    *,
    by: Any,
    group: WorkingGroup | None,
    title: MultilingualText,
    first_start: datetime,
    time_zone: str,
    rrule: str,
    duration_minutes: int = 90,
    rdates: list[str] | None = None,
    exdates: list[str] | None = None,
    host_rotation: list[Party] | None = None,
    place: str = "",
    online_link: str = "",
    participants: list[Person] | None = None,
    skip_holidays: bool = False,
    rotation_times: list[str] | None = None,
    notify: bool = True,
    check_permission: bool = True,
) -> tuple[LiaisonSeries, list[str]]:
    """Set up a series; returns it with the clock-change notices of its year ahead, to be shown to its author.

    With ``rotation_times`` (UTC times of day taken in turn) the occurrences of the year ahead that the rotation
    moves are kept as overrides. The default participants (else the group's people) are invited by e-mail with the
    series' calendar attached."""
    _require_run(by, group, check_permission)
    zone = recurrence.zone_validate(time_zone)
    rule = recurrence.rule_validate(rrule)
    _check_duration(duration_minutes)
    hosts = list(host_rotation or [])
    _check_hosts(group, hosts)
    series = LiaisonSeries(
        group=group, title=title, first_start=_aware(first_start, "first_start"), time_zone=zone.key,
        duration_minutes=duration_minutes, rrule=rule, rdates=_local_dates(rdates or [], "rdates"),
        exdates=_local_dates(exdates or [], "exdates"), host_rotation=[p.pk for p in hosts], place=place.strip(),
        online_link=_check_link(online_link), skip_holidays=skip_holidays, uid=f"series-{uuid.uuid4()}@{UID_DOMAIN}",
        rotation=rotation.rotation_validate(rotation_times or []),
    )
    series.full_clean()
    _first_is_an_occurrence(series)
    series.save()
    if participants:
        series.participants.set(participants)
    people = series_invitees(series)
    rotated = _rotation_overrides(series, people)
    audit_record(actor=by, verb="liaison.series_created", obj=series, changes={
        "title": title.to_json(), "first_start": series.first_start.isoformat(), "time_zone": zone.key,
        "rrule": rule, "duration_minutes": duration_minutes, "hosts": [p.code for p in hosts],
        "rotation": series.rotation, "rotated": rotated, "invited": len(people),
    })
    if notify and people:
        _send_series_invitation(series, people)
    return series, series_clock_notices(series)


def _check_duration(duration_minutes: int) -> None:
    if not 15 <= duration_minutes <= 24 * 60:
        raise ValidationError({"duration_minutes": _("A meeting lasts from 15 minutes to 24 hours.")})


def _check_hosts(group: WorkingGroup | None, hosts: list[Party]) -> None:
    if group is not None:
        members = set(group.memberships.values_list("party_id", flat=True))
        if any(p.pk not in members for p in hosts):
            raise ValidationError({"host_rotation": _("Every host must be a member party of the group.")})


def _send_series_invitation(series: LiaisonSeries, people: list[Person]) -> None:
    from spacebridge.liaison.tasks import send_series_invitation

    send_series_invitation.enqueue(series.pk, [p.pk for p in people])


def series_invitees(series: LiaisonSeries) -> list[Person]:
    """The people invited to every meeting of a series: its default participants, else the people of its group."""
    people = list(series.participants.select_related("user").prefetch_related("affiliations"))
    return people or _group_people(series.group)


def _rotation_overrides(series: LiaisonSeries, people: list[Person]) -> int:
    """Keep the occurrences of the year ahead that the rotation moves as overrides; returns how many were made."""
    if not series.rotation:
        return 0
    now = max(timing.utc_now(), series.first_start)
    before = len(series_starts(series, series.first_start, now))
    starts = series_starts(series, now, rotation.horizon(now))
    skipped = holiday_exdates(series, starts, series_countries(series))
    taken = set(series.meetings.values_list("occurrence_start", flat=True))
    hosts = Party.objects.in_bulk(series.host_rotation) if series.host_rotation else {}
    made = 0
    for index, occurrence in enumerate(starts, start=before):
        moved = rotation.rotated_start(occurrence, index, series.rotation)
        if moved == occurrence or occurrence in taken or occurrence in skipped:
            continue
        host = hosts.get(series.host_rotation[index % len(series.host_rotation)]) if hosts else None
        meeting = Meeting(
            series=series, group=series.group, occurrence_start=occurrence, title=series.title, start=moved,
            end=moved + timedelta(minutes=series.duration_minutes), time_zone=series.time_zone, host_party=host,
            place=series.place, online_link=series.online_link, uid=series.uid, sequence=series.sequence,
        )
        meeting.save()
        _invite_defaults(meeting, people)
        made += 1
    return made


def rotations_extend() -> int:
    """Keep every rotating series' moved occurrences a year ahead as time passes (``spacebridge liaison remind`` runs
    it daily): the occurrences that came into the year ahead and that the rotation moves become overrides, with the
    series' invitees invited; one audit entry per series that gained some. Returns how many were made."""
    made = 0
    for series in LiaisonSeries.objects.select_related("group").order_by("pk"):
        if not series.rotation:
            continue
        with transaction.atomic():
            count = _rotation_overrides(series, series_invitees(series))
            if count:
                audit_record(actor=None, verb="liaison.rotation_extended", obj=series, changes={"rotated": count})
        made += count
    return made


def _untouched_overrides(series: LiaisonSeries) -> list[Meeting]:
    """Future overrides nobody has worked on: scheduled, no agenda, minutes, decisions or actions, no answers."""
    answered = [Attendance.Status.ACCEPTED, Attendance.Status.PRESENT, Attendance.Status.APOLOGIES]
    return list(series.meetings.filter(start__gte=timing.utc_now(), status=Meeting.Status.SCHEDULED,
                                       agenda_published_at__isnull=True)
                .exclude(agenda_items__isnull=False).exclude(minutes__isnull=False)
                .exclude(decisions__isnull=False).exclude(action_items__isnull=False)
                .exclude(attendance__status__in=answered).distinct())


def _rotation_made(series: LiaisonSeries, meetings: list[Meeting]) -> set[int]:
    """Of ``meetings``, those at exactly the start the series' rotation gives them."""
    moved = [m for m in meetings if m.occurrence_start and m.start != m.occurrence_start]
    if not series.rotation or not moved:
        return set()
    first = min(m.occurrence_start for m in moved if m.occurrence_start)
    last = max(m.occurrence_start for m in moved if m.occurrence_start)
    before = len(series_starts(series, series.first_start, first))
    index = {s: i for i, s in enumerate(series_starts(series, first, last + timedelta(seconds=1)), start=before)}
    return {m.pk for m in moved if m.occurrence_start in index
            and rotation.rotated_start(m.occurrence_start, index[m.occurrence_start], series.rotation) == m.start}


def _first_is_an_occurrence(series: LiaisonSeries) -> None:
    """RFC 5545 counts DTSTART as the first instance even when the rule skips it, and some programs do not: a first
    meeting that the rule itself does not give is refused, so every calendar shows the same meetings."""
    probe = recurrence.expand(rule=series.rrule, first_start=series.first_start, zone=ZoneInfo(series.time_zone),
                              window_start=series.first_start, window_end=series.first_start + timedelta(seconds=1))
    if not probe:
        raise ValidationError({"first_start": _("The first meeting does not fall on a day the recurrence rule gives; "
                                                "choose a first meeting that matches the rule.")})


def series_clock_notices(series: LiaisonSeries, *, days: int = 366) -> list[str]:
    now = max(timing.utc_now(), series.first_start)
    starts = series_starts(series, now, now + timedelta(days=days))
    occurrences = timing.annotate(starts, duration=timedelta(minutes=series.duration_minutes), countries=[])
    return timing.shift_notices(occurrences)


def holiday_exdates(series: LiaisonSeries, starts: list[datetime], countries: list[str]) -> set[datetime]:
    if not series.skip_holidays:
        return set()
    return {start for start in starts if timing.holidays_at(start, countries)}


def series_starts(series: LiaisonSeries, window_start: datetime, window_end: datetime) -> list[datetime]:
    """The rule's starts in the window (EXDATE and RDATE applied, not yet the overrides or holiday skips)."""
    return recurrence.expand(
        rule=series.rrule, first_start=series.first_start, zone=ZoneInfo(series.time_zone),
        window_start=window_start, window_end=window_end, rdates=series.rdates, exdates=series.exdates,
    )


def host_for(series: LiaisonSeries, occurrence_start: datetime) -> Party | None:
    """Hosts take turns by the occurrence's position in the series."""
    if not series.host_rotation:
        return None
    index = len(series_starts(series, series.first_start, occurrence_start))
    return Party.objects.filter(pk=series.host_rotation[index % len(series.host_rotation)]).first()


_SCHEDULE_FIELDS = ("rrule", "exdates", "rdates", "time_zone", "first_start", "duration_minutes", "rotation",
                   "skip_holidays")


@transaction.atomic
def series_update(
    *,
    series: LiaisonSeries,
    by: Any,
    title: MultilingualText | None = None,
    first_start: datetime | None = None,
    time_zone: str | None = None,
    duration_minutes: int | None = None,
    rrule: str | None = None,
    exdates: list[str] | None = None,
    rdates: list[str] | None = None,
    host_rotation: list[Party] | None = None,
    place: str | None = None,
    online_link: str | None = None,
    participants: list[Person] | None = None,
    skip_holidays: bool | None = None,
    rotation_times: list[str] | None = None,
    notify: bool = True,
    check_permission: bool = True,
) -> LiaisonSeries:
    """Change a series (only the arguments given). When its schedule changes, the future overrides nobody has
    worked on that the old rule no longer gives or the rotation made are made again from the changed series;
    new default participants are invited to the prepared meetings ahead and by e-mail."""
    _require_run(by, series.group, check_permission)
    before = _series_state(series)
    untouched = _untouched_overrides(series)
    rotation_made = _rotation_made(series, untouched)
    if title is not None:
        series.title = title
    if time_zone is not None:
        series.time_zone = recurrence.zone_validate(time_zone).key
    if first_start is not None:
        series.first_start = _aware(first_start, "first_start")
    if duration_minutes is not None:
        _check_duration(duration_minutes)
        series.duration_minutes = duration_minutes
    if rrule is not None:
        series.rrule = recurrence.rule_validate(rrule)
    if exdates is not None:
        series.exdates = _local_dates(exdates, "exdates")
    if rdates is not None:
        series.rdates = _local_dates(rdates, "rdates")
    if host_rotation is not None:
        _check_hosts(series.group, host_rotation)
        series.host_rotation = [p.pk for p in host_rotation]
    if place is not None:
        series.place = place.strip()
    if online_link is not None:
        series.online_link = _check_link(online_link)
    if skip_holidays is not None:
        series.skip_holidays = skip_holidays
    if rotation_times is not None:
        series.rotation = rotation.rotation_validate(rotation_times)
    _first_is_an_occurrence(series)
    series.sequence += 1
    series.full_clean()
    series.save()
    invited = _participants_change(series, participants) if participants is not None else []
    _upcoming_follow(series, before)
    after = _series_state(series)
    changes: dict[str, Any] = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if any(k in changes for k in _SCHEDULE_FIELDS):
        changes["overrides_remade"] = _overrides_remake(series, untouched, rotation_made)
    audit_record(actor=by, verb="liaison.series_changed", obj=series, changes=changes)
    if notify and invited:
        _send_series_invitation(series, invited)
    return series


def _upcoming_follow(series: LiaisonSeries, before: dict[str, Any]) -> None:
    """The upcoming meetings take the series' new title, place and link where they still had the old ones (a
    meeting given its own place keeps it)."""
    upcoming = list(series.meetings.filter(start__gte=timing.utc_now(), status=Meeting.Status.SCHEDULED))
    for meeting in upcoming:
        changed = []
        if meeting.title.to_json() == before["title"] and series.title.to_json() != before["title"]:
            meeting.title, changed = series.title, [*changed, "title"]
        for field in ("place", "online_link"):
            if getattr(meeting, field) == before[field] != getattr(series, field):
                setattr(meeting, field, getattr(series, field))
                changed.append(field)
        if changed:
            meeting.sequence += 1
            meeting.save(update_fields=[*changed, "sequence", "updated_at"])


def _series_state(series: LiaisonSeries) -> dict[str, Any]:
    return {"title": series.title.to_json(), "first_start": series.first_start.isoformat(),
            "time_zone": series.time_zone, "duration_minutes": series.duration_minutes, "rrule": series.rrule,
            "exdates": series.exdates, "rdates": series.rdates, "hosts": list(series.host_rotation),
            "place": series.place, "online_link": series.online_link, "skip_holidays": series.skip_holidays,
            "rotation": list(series.rotation),
            "participants": sorted(series.participants.values_list("pk", flat=True)) if series.pk else []}


def _participants_change(series: LiaisonSeries, participants: list[Person]) -> list[Person]:
    """Set the default participants; the new ones are invited to the prepared meetings ahead, the removed ones
    lose the invitations they have not answered. Returns the new participants."""
    old = set(series.participants.values_list("pk", flat=True))
    series.participants.set(participants)
    new = [p for p in participants if p.pk not in old]
    removed = old - {p.pk for p in participants}
    upcoming = list(series.meetings.filter(start__gte=timing.utc_now(), status=Meeting.Status.SCHEDULED))
    if removed:
        Attendance.objects.filter(meeting__in=upcoming, person__in=removed,
                                  status=Attendance.Status.INVITED).delete()
    people = list(Person.objects.filter(pk__in=[p.pk for p in new]).select_related("user")
                  .prefetch_related("affiliations"))
    for meeting in upcoming:
        _invite_defaults(meeting, people)
    return people


def _overrides_remake(series: LiaisonSeries, untouched: list[Meeting], rotation_made: set[int]) -> int:
    """Drop the untouched overrides that are no longer right and make the rotation's overrides again."""
    stale = set(rotation_made)
    for meeting in untouched:
        if meeting.occurrence_start and not _occurrence_of(series, meeting.occurrence_start):
            stale.add(meeting.pk)
    Meeting.objects.filter(pk__in=stale).delete()
    return _rotation_overrides(series, series_invitees(series))


def _occurrence_of(series: LiaisonSeries, occurrence_start: datetime) -> bool:
    probe = series_starts(series, occurrence_start, occurrence_start + timedelta(seconds=1))
    return bool(probe)


@transaction.atomic
def meeting_for_occurrence(
    *, series: LiaisonSeries, occurrence_start: datetime, by: Any, check_permission: bool = True
) -> Meeting:
    """The meeting of one occurrence, kept as an override of the series from the first change on."""
    _require_run(by, series.group, check_permission)
    occurrence_start = _aware(occurrence_start, "occurrence_start")
    existing = series.meetings.filter(occurrence_start=occurrence_start).first()
    if existing is not None:
        return existing
    if not _occurrence_of(series, occurrence_start):
        raise ValidationError({"occurrence_start": _("The series has no meeting at this time.")})
    meeting = Meeting(
        series=series, group=series.group, occurrence_start=occurrence_start, title=series.title,
        start=occurrence_start, end=occurrence_start + timedelta(minutes=series.duration_minutes),
        time_zone=series.time_zone, host_party=host_for(series, occurrence_start), place=series.place,
        online_link=series.online_link, uid=series.uid, sequence=series.sequence,
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    _invite_defaults(meeting, series_invitees(series))
    audit_record(actor=by, verb="liaison.meeting_prepared", obj=meeting,
                 changes={"series": series.reference, "start": occurrence_start.isoformat()})
    return meeting


def _invite_defaults(meeting: Meeting, people: list[Person]) -> None:
    """An "invited" row for each person (with a current affiliation) who has none at the meeting yet."""
    rows = []
    for person in people:
        current = person.current_affiliations()
        if current:
            rows.append(Attendance(meeting=meeting, person=person, party_id=current[0].party_id))
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def meeting_create(
    *,
    by: Any,
    group: WorkingGroup | None,
    title: MultilingualText,
    start: datetime,
    end: datetime,
    time_zone: str,
    host_party: Party | None = None,
    place: str = "",
    online_link: str = "",
    imported_from: str = "",
    uid: str = "",
    notify: bool = True,
    check_permission: bool = True,
) -> Meeting:
    """A one-off meeting. The group's people are invited (rows "invited" and an e-mail with the .ics); meetings
    imported from a calendar file are not announced."""
    _require_run(by, group, check_permission)
    zone = recurrence.zone_validate(time_zone)
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        raise ValidationError({"end": _("A meeting must end after it starts.")})
    meeting = Meeting(
        group=group, title=title, start=start, end=end, time_zone=zone.key, host_party=host_party,
        place=place.strip()[:300], online_link=_check_link(online_link), imported_from=imported_from[:300],
        uid=uid[:120] or f"meeting-{uuid.uuid4()}@{UID_DOMAIN}",
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    people = [] if imported_from else _group_people(group)
    _invite_defaults(meeting, people)
    audit_record(actor=by, verb="liaison.meeting_created", obj=meeting, changes={
        "title": title.to_json(), "start": start.isoformat(), "end": end.isoformat(), "time_zone": zone.key,
        "invited": len(people)})
    if notify and people:
        from spacebridge.liaison.tasks import send_meeting_invitation

        send_meeting_invitation.enqueue(meeting.pk)
    return meeting


def _group_people(group: WorkingGroup | None) -> list[Person]:
    if group is None:
        return []
    return list(Person.objects.filter(group_memberships__group=group).distinct().select_related("user")
                .prefetch_related("affiliations"))


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    by: Any,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
    place: str | None = None,
    online_link: str | None = None,
    host_party: Party | None = None,
    notify: bool = True,
    check_permission: bool = True,
) -> Meeting:
    """Move, cancel, re-open or change one meeting; for an occurrence this is an override of the series."""
    _require_run(by, meeting.group, check_permission)
    before = {"start": meeting.start.isoformat(), "end": meeting.end.isoformat(), "status": meeting.status,
              "place": meeting.place, "online_link": meeting.online_link,
              "host": meeting.host_party.code if meeting.host_party else None}
    if start is not None:
        length = meeting.end - meeting.start
        meeting.start = _aware(start, "start")
        meeting.end = _aware(end, "end") if end is not None else meeting.start + length
    elif end is not None:
        meeting.end = _aware(end, "end")
    if meeting.end <= meeting.start:
        raise ValidationError({"end": _("A meeting must end after it starts.")})
    if status is not None:
        if status not in Meeting.Status.values:
            raise ValidationError({"status": _("Choose one of the statuses offered.")})
        meeting.status = status
    if place is not None:
        meeting.place = place.strip()[:300]
    if online_link is not None:
        meeting.online_link = _check_link(online_link)
    if host_party is not None:
        meeting.host_party = host_party
    meeting.sequence += 1
    meeting.save()
    after = {"start": meeting.start.isoformat(), "end": meeting.end.isoformat(), "status": meeting.status,
             "place": meeting.place, "online_link": meeting.online_link,
             "host": meeting.host_party.code if meeting.host_party else None}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    verb = "liaison.meeting_cancelled" if changes.get("status", [None, None])[1] == "cancelled" else (
        "liaison.meeting_moved" if "start" in changes else "liaison.meeting_changed")
    audit_record(actor=by, verb=verb, obj=meeting, changes=changes)
    if notify and ("start" in changes or "status" in changes) and meeting.status != Meeting.Status.HELD:
        from spacebridge.liaison.tasks import send_meeting_invitation

        send_meeting_invitation.enqueue(meeting.pk)
    return meeting


@transaction.atomic
def meeting_hold(*, meeting: Meeting, by: Any, check_permission: bool = True) -> Meeting:
    """Mark the meeting held: the open action items of its group are carried to it."""
    _require_run(by, meeting.group, check_permission)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled meeting cannot be held; re-open it first.")})
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    from spacebridge.liaison.models import ActionItem

    if meeting.group_id:
        carried = ActionItem.objects.filter(group=meeting.group, status=ActionItem.Status.OPEN,
                                            meeting__start__lt=meeting.start)
        meeting.carried_action_items.add(*carried)
    audit_record(actor=by, verb="liaison.meeting_held", obj=meeting, changes={"status": "held"})
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: Any,
    title: MultilingualText,
    minutes_allotted: int = 10,
    presenter: Person | None = None,
    carried_from: AgendaItem | None = None,
    check_permission: bool = True,
) -> AgendaItem:
    _require_run(by, meeting.group, check_permission)
    if not 1 <= minutes_allotted <= 24 * 60:
        raise ValidationError({"minutes_allotted": _("Allot from 1 minute to 24 hours.")})
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, title=title, minutes_allotted=minutes_allotted,
                      presenter=presenter, carried_from=carried_from)
    item.full_clean()
    item.save()
    audit_record(actor=by, verb="liaison.agenda_item_added", obj=meeting, changes={
        "position": item.position, "title": title.to_json(), "minutes": minutes_allotted,
        "presenter": presenter.transliteration if presenter else None})
    return item


def agenda_overrun(meeting: Meeting) -> int:
    """Minutes by which the agenda exceeds the meeting (0 when it fits)."""
    total = sum(item.minutes_allotted for item in meeting.agenda_items.all())
    return max(0, total - meeting.duration_minutes)


@transaction.atomic
def agenda_item_set_status(*, item: AgendaItem, by: Any, status: str, check_permission: bool = True) -> AgendaItem:
    _require_run(by, item.meeting.group, check_permission)
    if status not in (AgendaItem.Status.OPEN, AgendaItem.Status.DONE):
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    before = item.status
    item.status = status
    item.save(update_fields=["status"])
    audit_record(actor=by, verb="liaison.agenda_item_changed", obj=item.meeting,
                 changes={"position": item.position, "status": [before, status]})
    return item


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: Any, notify: bool = True, check_permission: bool = True) -> Meeting:
    _require_run(by, meeting.group, check_permission)
    if not meeting.agenda_items.exists():
        raise ValidationError({"agenda": _("Add at least one agenda item before publishing the agenda.")})
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "updated_at"])
    audit_record(actor=by, verb="liaison.agenda_published", obj=meeting,
                 changes={"items": meeting.agenda_items.count()})
    if notify:
        from spacebridge.liaison.tasks import send_agenda

        send_agenda.enqueue(meeting.pk)
    return meeting


def next_meeting(meeting: Meeting, *, by: Any) -> Meeting | None:
    """The meeting after this one: the series' next occurrence (prepared if need be), else the group's next."""
    if meeting.series_id:
        series = meeting.series
        assert series is not None
        after = meeting.occurrence_start or meeting.start
        starts = series_starts(series, after + timedelta(seconds=1), after + timedelta(days=800))
        cancelled = set(series.meetings.filter(status=Meeting.Status.CANCELLED).values_list("occurrence_start",
                                                                                            flat=True))
        for start in starts:
            if start not in cancelled:
                return meeting_for_occurrence(series=series, occurrence_start=start, by=by, check_permission=False)
        return None
    return (Meeting.objects.filter(group=meeting.group, start__gt=meeting.start)
            .exclude(status=Meeting.Status.CANCELLED).order_by("start").first())


@transaction.atomic
def agenda_carry_unfinished(*, meeting: Meeting, by: Any, check_permission: bool = True) -> list[AgendaItem]:
    """Carry the agenda items not done to the next meeting, keeping their titles, presenters and time."""
    _require_run(by, meeting.group, check_permission)
    unfinished = list(meeting.agenda_items.filter(status=AgendaItem.Status.OPEN))
    if not unfinished:
        return []
    target = next_meeting(meeting, by=by)
    if target is None:
        raise ValidationError({"agenda": _("There is no next meeting to carry the items to.")})
    carried = []
    for item in unfinished:
        carried.append(agenda_item_add(meeting=target, by=by, title=item.title, minutes_allotted=item.minutes_allotted,
                                       presenter=item.presenter, carried_from=item, check_permission=False))
        item.status = AgendaItem.Status.CARRIED
        item.save(update_fields=["status"])
    audit_record(actor=by, verb="liaison.agenda_carried", obj=meeting,
                 changes={"to": target.reference, "items": [i.position for i in unfinished]})
    return carried


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, by: Any, party: Party, status: str, person: Person | None = None,
    check_permission: bool = True,
) -> Attendance:
    """Invited, accepted, present or apologies, for a person (with the party they represent) or a whole party."""
    own = person is not None and getattr(by, "is_authenticated", False) and person.user_id == by.pk
    if check_permission and not own and not can_run(by, meeting.group):
        raise PermissionDenied(_("Only the meeting's organisers record other people's attendance."))
    if status not in Attendance.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    lookup = {"person": person} if person is not None else {"person": None, "party": party}
    row, created = Attendance.objects.get_or_create(meeting=meeting, **lookup,
                                                    defaults={"status": status, "party": party})
    before = None if created else row.status
    row.status, row.party = status, party
    row.save(update_fields=["status", "party"])
    audit_record(actor=by, verb="liaison.attendance_recorded", obj=meeting, changes={
        "party": party.code, "person": person.transliteration if person else None, "status": [before, status]})
    return row
