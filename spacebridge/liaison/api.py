"""JSON endpoints of liaison: the same selectors, services and access policy as the pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Field as FormField
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from spacebridge.access.policy import visible
from spacebridge.core.api import PROBLEMS, require_member
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import selectors, services, services_attendance, services_minutes, slots, timing
from spacebridge.liaison.models import ActionItem, AgendaItem, Decision, LiaisonSeries, Meeting, Minutes
from spacebridge.liaison.schemas import (
    ActionFilters,
    ActionIn,
    ActionOut,
    ActionPatch,
    AgendaCarried,
    AgendaItemIn,
    AgendaItemPatch,
    ApprovalIn,
    AttendanceIn,
    DecisionFilters,
    DecisionOut,
    DecisionRecordIn,
    InvitationAnswerIn,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MinutesIn,
    MinutesOut,
    MinutesReleaseIn,
    OccurrenceFilters,
    OccurrenceOut,
    SeriesCreated,
    SeriesIn,
    SeriesOut,
    SeriesPatch,
    SlotFilters,
    SlotsOut,
)
from spacebridge.liaison.templatetags.liaison import render_markdown
from spacebridge.parties.models import Party, Person

router = Router(tags=["liaison"])


def _times(start: datetime, end: datetime, zone: str, request: HttpRequest) -> list[dict[str, Any]]:
    viewer = getattr(getattr(request.auth, "person", None), "time_zone", None) or "UTC"
    return [{"label": row.label, "zone": row.zone, "start": row.start.isoformat(), "end": row.end.isoformat(),
             "text": row.text} for row in timing.meeting_times(start, end, meeting_zone=zone, viewer_zone=viewer)]


def _series_out(series: LiaisonSeries, request: HttpRequest) -> dict[str, Any]:
    hosts = Party.objects.in_bulk(series.host_rotation)
    return {
        "id": series.pk, "group": series.group.acronym if series.group else None, "title": series.title.to_json(),
        "first_start": series.first_start, "time_zone": series.time_zone, "duration_minutes": series.duration_minutes,
        "rrule": series.rrule, "rdates": series.rdates, "exdates": series.exdates,
        "hosts": [hosts[pk].code for pk in series.host_rotation if pk in hosts], "place": series.place,
        "online_link": series.online_link, "skip_holidays": series.skip_holidays, "rotation": list(series.rotation),
        "participants": [p.pk for p in series.participants.all()],
        "ics_url": request.build_absolute_uri(reverse("liaison:series_feed", args=[series.pk])),
    }


def _group(acronym: str | None, user: Any) -> WorkingGroup | None:
    if not acronym:
        return None
    group = visible(WorkingGroup.objects.all(), user).filter(acronym=acronym.upper()[:20]).first()
    if group is None:
        raise ValidationError({"group": _("There is no working group “%(acronym)s”.") % {"acronym": acronym[:20]}})
    return group


def _party(code: str, user: Any, field: str) -> Party:
    party = visible(Party.objects.all(), user).filter(code=code[:40]).first()
    if party is None:
        raise ValidationError({field: _("There is no party with the code “%(code)s”.") % {"code": code[:40]}})
    return party


def _person(pk: int | None, user: Any, field: str) -> Person | None:
    if pk is None:
        return None
    person = visible(Person.objects.all(), user).filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: _("There is no person with the number %(value)s.") % {"value": pk}})
    return person


def _moment(value: Any, field: str) -> Any:
    """A date or time of the calendar the platform keeps (1900 to 2200): the services take it to UTC and add
    durations to it, which the ends of Python's calendar (years 1 and 9999) cannot take."""
    if value is not None and not 1900 <= value.year <= 2200:
        raise ValidationError({field: _("%(name)s has the value “%(value)s”, which is out of range.") % {
            "name": field, "value": value.isoformat()[:40]}})
    return value


def _text(value: Any) -> MultilingualText:
    return MultilingualText.from_json(value.dict())


@router.get("/series/", response={200: list[SeriesOut], **PROBLEMS}, summary="List liaison series")
def series_list(request: HttpRequest) -> list[dict[str, Any]]:
    series = selectors.series_for_user(request.auth).prefetch_related("participants")[:500]
    return [_series_out(s, request) for s in series]


def _series_fields(payload: Any, user: Any) -> dict[str, Any]:
    """The service's arguments from the fields the client gave (a field sent as null is left as it is)."""
    given = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None and k != "group"}
    if "title" in given:
        given["title"] = _text(payload.title)
    if "first_start" in given:
        given["first_start"] = _moment(payload.first_start, "first_start")
    if "hosts" in given:
        given["host_rotation"] = [_party(code, user, "hosts") for code in given.pop("hosts")]
    if "participants" in given:
        given["participants"] = [_person(pk, user, "participants") for pk in given["participants"]]
    if "rotation" in given:
        given["rotation_times"] = given.pop("rotation")
    return given


@contextmanager
def _named_as_sent() -> Iterator[None]:
    """The services name the host rotation ``host_rotation``; the API's field is ``hosts``."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or "host_rotation" not in exc.error_dict:
            raise
        errors = {("hosts" if k == "host_rotation" else k): v for k, v in exc.error_dict.items()}
        raise ValidationError(errors) from exc


@router.post("/series/", response={201: SeriesCreated, **PROBLEMS}, summary="Set up a liaison series")
def series_create(request: HttpRequest, payload: SeriesIn) -> Status:
    user = require_member(request)
    fields = _series_fields(payload, user)
    with _named_as_sent():
        series, notices = services.series_create(by=user, group=_group(payload.group, user), **fields)
    return Status(201, {"series": _series_out(series, request), "clock_changes": notices})


@router.get("/series/{int:series_id}", response={200: SeriesOut, **PROBLEMS}, summary="One liaison series")
def series_detail(request: HttpRequest, series_id: int) -> dict[str, Any]:
    return _series_out(selectors.series_get_for_user(user=request.auth, pk=series_id), request)


@router.patch("/series/{int:series_id}", response={200: SeriesOut, **PROBLEMS},
              summary="Change a series: only the fields given")
def series_update(request: HttpRequest, series_id: int, payload: SeriesPatch) -> dict[str, Any]:
    user = require_member(request)
    series = selectors.series_get_for_user(user=user, pk=series_id)
    changes = _series_fields(payload, user)
    if changes:
        with _named_as_sent():
            series = services.series_update(series=series, by=user, **changes)
    return _series_out(series, request)


@router.get("/series/{int:series_id}/occurrences", response={200: list[OccurrenceOut], **PROBLEMS},
            summary="A series' occurrences with clock changes and holidays")
def series_occurrences(request: HttpRequest, series_id: int, filters: Query[OccurrenceFilters]) -> list[Any]:
    series = selectors.series_get_for_user(user=request.auth, pk=series_id)
    first = _moment(filters.start, "start") or date.today()
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    entries = selectors.series_occurrences(series, start, start + timedelta(days=filters.days), include_skipped=True)
    return [{
        "key": e.occurrence_key, "start": e.start, "end": e.end, "status": e.status,
        "meeting": e.meeting.pk if e.meeting else None,
        "host": e.host.code if e.host else None,
        "clock_changes": [f"{s.label}: {s.before} → {s.after}" for s in e.shifts],
        "holidays": [f"{country}: {name}" for country, name in e.holidays],
        "skipped_for_holiday": e.skipped_for_holiday and e.meeting is None,
        "times": _times(e.start, e.end, series.time_zone, request),
    } for e in entries]


def _occurrence_start(key: str) -> datetime:
    try:
        start = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValidationError({"key": _("“%(value)s” is not a date and time.") % {"value": key[:40]}}) from exc
    return _moment(start, "key")


@router.post("/series/{int:series_id}/occurrences/{key}", response={200: MeetingOut, 201: MeetingOut, **PROBLEMS},
             summary="Prepare an occurrence as a meeting (201), or find the one prepared (200)")
def occurrence_prepare(request: HttpRequest, series_id: int, key: str) -> Status:
    user = require_member(request)
    series = selectors.series_get_for_user(user=user, pk=series_id)
    start = _occurrence_start(key)
    prepared = series.meetings.filter(occurrence_start=start).exists()
    meeting = services.meeting_for_occurrence(series=series, occurrence_start=start, by=user)
    return Status(200 if prepared else 201, _meeting_out(meeting, request))


def _agenda_item_out(item: AgendaItem) -> dict[str, Any]:
    return {"id": item.pk, "position": item.position, "title": item.title.to_json(),
            "minutes_allotted": item.minutes_allotted,
            "presenter": item.presenter.transliteration if item.presenter else None, "status": item.status,
            "carried_from": item.carried_from.meeting_id if item.carried_from else None}


def _meeting_out(meeting: Meeting, request: HttpRequest) -> dict[str, Any]:
    minutes = selectors.minutes_for_user(user=request.auth, meeting=meeting)
    agenda = list(meeting.agenda_items.select_related("presenter", "carried_from"))
    return {
        "id": meeting.pk, "reference": meeting.reference, "group": meeting.group.acronym if meeting.group else None,
        "series": meeting.series_id, "occurrence_start": meeting.occurrence_start, "title": meeting.title.to_json(),
        "start": meeting.start, "end": meeting.end, "time_zone": meeting.time_zone, "status": meeting.status,
        "host": meeting.host_party.code if meeting.host_party else None, "place": meeting.place,
        "online_link": meeting.online_link, "times": _times(meeting.start, meeting.end, meeting.time_zone, request),
        "agenda": [_agenda_item_out(i) for i in agenda],
        "agenda_overrun_minutes": max(0, sum(i.minutes_allotted for i in agenda) - meeting.duration_minutes),
        "agenda_published_at": meeting.agenda_published_at,
        "attendance": [{"party": a.party.code, "person": a.person_id,
                        "name": a.person.transliteration if a.person else None, "status": a.status}
                       for a in meeting.attendance.select_related("person", "party")],
        "minutes_status": minutes.status if minutes else None,
    }


def _meeting(request: HttpRequest, meeting_id: int) -> tuple[Any, Meeting]:
    """The signed-in member and the meeting they may see (404 otherwise); the services decide what they may do."""
    user = require_member(request)
    return user, selectors.meeting_get_for_user(user=user, pk=meeting_id)


@router.post("/meetings/", response={201: MeetingOut, **PROBLEMS}, summary="Schedule a one-off meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    user = require_member(request)
    meeting = services.meeting_create(
        by=user, group=_group(payload.group, user), title=_text(payload.title),
        start=_moment(payload.start, "start"), end=_moment(payload.end, "end"), time_zone=payload.time_zone,
        host_party=_party(payload.host, user, "host") if payload.host else None, place=payload.place,
        online_link=payload.online_link)
    return Status(201, _meeting_out(meeting, request))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingOut, **PROBLEMS}, summary="One meeting")
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _meeting_out(selectors.meeting_get_for_user(user=request.auth, pk=meeting_id), request)


@router.patch("/meetings/{int:meeting_id}", response={200: MeetingOut, **PROBLEMS},
              summary="Move, cancel, re-open or change one meeting (for an occurrence: an override of the series)")
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if changes.get("status") == Meeting.Status.HELD:
        # Holding carries the group's open action items to the meeting: that is its own address, /hold.
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    for field in ("start", "end"):
        _moment(changes.get(field), field)
    if "host" in changes:
        changes["host_party"] = _party(changes.pop("host"), user, "host")
    if changes:
        meeting = services.meeting_change(meeting=meeting, by=user, **changes)
    return _meeting_out(meeting, request)


@router.post("/meetings/{int:meeting_id}/hold", response={200: MeetingOut, **PROBLEMS},
             summary="Mark a meeting held: the group's open action items are carried to it")
def meeting_hold(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    return _meeting_out(services.meeting_hold(meeting=meeting, by=user), request)


@router.post("/meetings/{int:meeting_id}/agenda", response={201: MeetingOut, **PROBLEMS},
             summary="Add an agenda item; the answer says by how much the agenda overruns the meeting")
def agenda_item_add(request: HttpRequest, meeting_id: int, payload: AgendaItemIn) -> Status:
    user, meeting = _meeting(request, meeting_id)
    services.agenda_item_add(meeting=meeting, by=user, title=_text(payload.title),
                             minutes_allotted=payload.minutes_allotted,
                             presenter=_person(payload.presenter, user, "presenter"))
    return Status(201, _meeting_out(meeting, request))


@router.patch("/meetings/{int:meeting_id}/agenda/{int:item_id}", response={200: MeetingOut, **PROBLEMS},
              summary="Mark an agenda item done or open")
def agenda_item_update(request: HttpRequest, meeting_id: int, item_id: int, payload: AgendaItemPatch) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    item = meeting.agenda_items.filter(pk=item_id if item_id < 2**63 else 0).first()
    if item is None:
        raise Http404
    services.agenda_item_set_status(item=item, by=user, status=payload.status)
    return _meeting_out(meeting, request)


@router.post("/meetings/{int:meeting_id}/agenda/publish", response={200: MeetingOut, **PROBLEMS},
             summary="Publish the agenda: it is sent to the participants")
def agenda_publish(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    return _meeting_out(services.agenda_publish(meeting=meeting, by=user), request)


@router.post("/meetings/{int:meeting_id}/agenda/carry", response={200: AgendaCarried, **PROBLEMS},
             summary="Carry the agenda items not done to the next meeting")
def agenda_carry(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    carried = services.agenda_carry_unfinished(meeting=meeting, by=user)
    return {"meeting": _meeting_out(meeting, request), "carried_to": carried[0].meeting_id if carried else None,
            "carried": [_agenda_item_out(i) for i in carried]}


@router.put("/meetings/{int:meeting_id}/attendance", response={200: MeetingOut, **PROBLEMS},
            summary="Record the attendance of a person (with the party they represent) or of a whole party")
def attendance_set(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    person = _person(payload.person, user, "person")
    if payload.party:
        party: Party | None = _party(payload.party, user, "party")
    else:
        current = person.current_affiliations() if person is not None else []
        party = current[0].party if current else None
    if party is None:
        raise ValidationError({"party": FormField.default_error_messages["required"]})
    if person is not None and not person.affiliations.filter(party=party).exists():
        raise ValidationError({"person": _("This person does not belong to that party.")})
    services.attendance_set(meeting=meeting, by=user, party=party, person=person, status=payload.status)
    return _meeting_out(meeting, request)


@router.post("/meetings/{int:meeting_id}/answer", response={200: MeetingOut, **PROBLEMS},
             summary="Answer an invitation: accept or send apologies, for yourself or for your party")
def invitation_answer(request: HttpRequest, meeting_id: int, payload: InvitationAnswerIn) -> dict[str, Any]:
    user, meeting = _meeting(request, meeting_id)
    if payload.party:
        subject: dict[str, Any] = {"party": _party(payload.party, user, "party")}
    else:
        person = getattr(user, "person", None)
        if person is None:
            raise PermissionDenied(_("You answer only your own invitation, or for a party whose liaison officer you "
                                     "are."))
        subject = {"person": person}
    services_attendance.invitation_answer(meeting=meeting, by=user, status=payload.status, **subject)
    return _meeting_out(meeting, request)


def _minutes_out(minutes: Minutes) -> dict[str, Any]:
    return {
        "meeting": minutes.meeting_id, "status": minutes.status, "revision": minutes.revision,
        "text": minutes.text.to_json(), "html": {k: render_markdown(v) for k, v in minutes.text.text.items()},
        "delegations": minutes.delegations,
        "approvals": [{"delegation": a.delegation, "revision": a.revision, "answer": a.answer,
                       "reservation": a.reservation} for a in minutes.approvals.all()],
    }


@router.get("/meetings/{int:meeting_id}/minutes", response={200: MinutesOut, **PROBLEMS}, summary="A meeting's minutes")
def minutes_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.meeting_get_for_user(user=request.auth, pk=meeting_id)
    minutes = selectors.minutes_for_user(user=request.auth, meeting=meeting)
    if minutes is None:
        raise Http404
    return _minutes_out(minutes)


@router.put("/meetings/{int:meeting_id}/minutes", response={200: MinutesOut, **PROBLEMS},
            summary="Write or revise a meeting's minutes")
def minutes_save(request: HttpRequest, meeting_id: int, payload: MinutesIn) -> dict[str, Any]:
    user = require_member(request)
    meeting = selectors.meeting_get_for_user(user=user, pk=meeting_id)
    minutes = services_minutes.minutes_save(meeting=meeting, by=user, note=payload.note,
                                            text=MultilingualText.from_json(payload.text.dict()))
    return _minutes_out(minutes)


@router.post("/meetings/{int:meeting_id}/minutes/approvals", response={201: MinutesOut, **PROBLEMS},
             summary="A delegation approves circulated minutes or records a reservation")
def minutes_answer(request: HttpRequest, meeting_id: int, payload: ApprovalIn) -> Status:
    user = require_member(request)
    meeting = selectors.meeting_get_for_user(user=user, pk=meeting_id)
    minutes = selectors.minutes_for_user(user=user, meeting=meeting)
    if minutes is None:
        raise Http404
    services_minutes.minutes_answer(minutes=minutes, by=user, delegation=payload.delegation, answer=payload.answer,
                                    reservation=payload.reservation)
    minutes.refresh_from_db()
    return Status(201, _minutes_out(minutes))


def _minutes(request: HttpRequest, meeting_id: int) -> tuple[Any, Minutes]:
    user, meeting = _meeting(request, meeting_id)
    minutes = selectors.minutes_for_user(user=user, meeting=meeting)
    if minutes is None:
        raise Http404
    return user, minutes


@router.post("/meetings/{int:meeting_id}/minutes/circulate", response={200: MinutesOut, **PROBLEMS},
             summary="Circulate draft minutes to the delegations for approval")
def minutes_circulate(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user, minutes = _minutes(request, meeting_id)
    return _minutes_out(services_minutes.minutes_circulate(minutes=minutes, by=user))


@router.post("/meetings/{int:meeting_id}/minutes/release", response={200: MinutesOut, **PROBLEMS},
             summary="Release approved minutes and the meeting's decisions to all members or the public")
def minutes_release(request: HttpRequest, meeting_id: int, payload: MinutesReleaseIn) -> dict[str, Any]:
    user, minutes = _minutes(request, meeting_id)
    return _minutes_out(services_minutes.minutes_release(minutes=minutes, by=user, level=payload.level))


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {"reference": decision.reference, "group": decision.group.acronym if decision.group else None,
            "meeting": decision.meeting_id, "decided_on": decision.decided_on, "text": decision.text.to_json(),
            "positions": [{"party": p.party.code, "position": p.position, "note": p.note}
                          for p in decision.positions.all()]}


@router.post("/meetings/{int:meeting_id}/decisions", response={201: DecisionOut, **PROBLEMS},
             summary="Enter a decision in the register with each party's position")
def decision_record(request: HttpRequest, meeting_id: int, payload: DecisionRecordIn) -> Status:
    user, meeting = _meeting(request, meeting_id)
    positions: dict[Party, str] = {}
    notes: dict[Party, str] = {}
    for row in payload.positions:
        party = _party(row.party, user, "positions")
        positions[party], notes[party] = row.position, row.note
    decision = services_minutes.decision_record(meeting=meeting, by=user, text=_text(payload.text),
                                                positions=positions, notes=notes)
    return Status(201, _decision_out(decision))


@router.get("/decisions/", response={200: list[DecisionOut], **PROBLEMS}, summary="Search the decisions register")
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]) -> list[dict[str, Any]]:
    decisions = selectors.decisions_for_user(user=request.auth, query=filters.q,
                                             group=_group(filters.group, request.auth))
    return [_decision_out(d) for d in decisions[: filters.limit]]


@router.get("/decisions/{path:reference}", response={200: DecisionOut, **PROBLEMS}, summary="One decision")
def decision_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _decision_out(selectors.decision_get_for_user(user=request.auth, reference=reference[:60]))


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {"id": item.pk, "reference": item.reference, "group": item.group.acronym if item.group else None,
            "meeting": item.meeting_id, "description": item.description.to_json(),
            "owner_party": item.owner_party.code,
            "owner_person": item.owner_person.transliteration if item.owner_person else None,
            "due_on": item.due_on, "status": item.status, "overdue": item.is_overdue(date.today()),
            "evidence": item.evidence}


@router.get("/actions/", response={200: list[ActionOut], **PROBLEMS}, summary="Action items: mine, overdue, by group")
def action_list(request: HttpRequest, filters: Query[ActionFilters]) -> list[dict[str, Any]]:
    items = selectors.my_actions(request.auth) if filters.mine else selectors.actions_for_user(request.auth)
    if filters.overdue:
        items = items.filter(status=ActionItem.Status.OPEN, due_on__lt=date.today())
    if filters.group:
        items = items.filter(group=_group(filters.group, request.auth))
    if filters.party:
        items = items.filter(owner_party__code=filters.party)
    return [_action_out(i) for i in items.order_by("due_on", "pk")[: filters.limit]]


@router.post("/meetings/{int:meeting_id}/actions", response={201: ActionOut, **PROBLEMS},
             summary="Agree an action item with its owner party, owner and due date")
def action_item_add(request: HttpRequest, meeting_id: int, payload: ActionIn) -> Status:
    user, meeting = _meeting(request, meeting_id)
    item = services_minutes.action_item_add(
        meeting=meeting, by=user, description=_text(payload.description),
        owner_party=_party(payload.owner_party, user, "owner_party"),
        owner_person=_person(payload.owner_person, user, "owner_person"), due_on=payload.due_on)
    return Status(201, _action_out(item))


@router.patch("/actions/{int:action_id}", response={200: ActionOut, **PROBLEMS},
              summary="Close, re-open or re-schedule an action item")
def action_update(request: HttpRequest, action_id: int, payload: ActionPatch) -> dict[str, Any]:
    user = require_member(request)
    item = selectors.action_get_for_user(user=user, pk=action_id)
    item = services_minutes.action_item_update(item=item, by=user, status=payload.status, evidence=payload.evidence,
                                               due_on=payload.due_on)
    return _action_out(item)


@router.get("/slots", response={200: SlotsOut, **PROBLEMS}, summary="Fair slot finder")
def slot_finder(request: HttpRequest, filters: Query[SlotFilters]) -> dict[str, Any]:
    from spacebridge.liaison import recurrence

    zones = list(dict.fromkeys(z.strip() for z in filters.zones.split(",") if z.strip()))[:8]
    for zone in zones:
        recurrence.zone_validate(zone)
    try:
        hours = slots.WorkingHours(datetime.strptime(filters.work_start, "%H:%M").time(),
                                   datetime.strptime(filters.work_end, "%H:%M").time())
    except ValueError as exc:
        raise ValidationError({"work_start": _("Give working hours as HH:MM.")}) from exc
    ranked = slots.rank_slots(zones=zones, duration=filters.duration, hours=hours, start=date.today(),
                              weekday=filters.weekday)
    rotation = slots.fair_rotation(ranked, size=len(zones))
    return {"slots": [{"utc_time": s.utc_time.strftime("%H:%M"), "total": s.total, "burden": s.burden}
                      for s in ranked[: filters.top]],
            "rotation": [s.utc_time.strftime("%H:%M") for s in rotation.slots], "rotation_share": rotation.share}
