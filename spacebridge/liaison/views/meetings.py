"""Meetings: an occurrence of a series, its page with times, agenda, attendance, decisions and actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.core.forms import service_call
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.liaison import selectors, services, services_attendance, services_minutes
from spacebridge.liaison.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    InvitationAnswerForm,
    MeetingForm,
    MoveForm,
)
from spacebridge.liaison.models import ActionItem, Attendance, Meeting
from spacebridge.liaison.permissions import can_run, liaison_officer_party_ids
from spacebridge.liaison.views.common import require_run
from spacebridge.parties.models import Party, Person

ACTIONS_SHOWN = 50  # per list on the meeting page; the group page and the overdue lists have the rest


def _occurrence_start(key: str) -> datetime:
    try:
        return datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise Http404 from exc


@login_required
def occurrence(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """An occurrence not yet prepared: its times; organisers prepare it to add an agenda and attendance."""
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    entry = selectors.occurrence_entry(series=series, occurrence_start=_occurrence_start(key))
    if entry.meeting is not None:
        return redirect(entry.meeting)
    if request.method == "POST":
        require_run(request.user, series.group)
        meeting = services.meeting_for_occurrence(series=series, occurrence_start=entry.start, by=request.user)
        return redirect(meeting)
    return render(request, "liaison/occurrence.html", {"series": series, "entry": entry,
                                                       "can_run": can_run(request.user, series.group)})


def _group_parties(meeting: Meeting) -> list[Party]:
    if meeting.group_id:
        return list(Party.objects.filter(group_memberships__group=meeting.group_id).distinct()
                    .order_by("country", "short_name"))
    return list(Party.objects.filter(pk__in=meeting.attendance.values("party")).order_by("country", "short_name"))


def _group_people(meeting: Meeting) -> list[Person]:
    if meeting.group_id:
        return list(Person.objects.filter(group_memberships__group=meeting.group_id).distinct())
    return list(Person.objects.filter(liaison_attendance__meeting=meeting).distinct())


def meeting_context(request: HttpRequest, meeting: Meeting) -> dict:
    parties, people = _group_parties(meeting), _group_people(meeting)
    agenda = list(meeting.agenda_items.select_related("presenter", "carried_from__meeting"))
    total = sum(item.minutes_allotted for item in agenda)
    runner = can_run(request.user, meeting.group)
    forms = {}
    if runner:
        forms = {
            "agenda_form": AgendaItemForm(prefix="agenda"),
            "attendance_form": AttendanceForm(prefix="attendance"),
            "decision_form": DecisionForm(prefix="decision", parties=parties),
            "action_form": ActionItemForm(prefix="action", initial={"due_on": date.today() + timedelta(days=30)}),
            "move_form": MoveForm(prefix="move", initial={
                "start": meeting.start.astimezone(ZoneInfo(meeting.time_zone)).replace(tzinfo=None)}),
        }
        # Choices from the rows already read: the page renders without a query per select box (the POST handlers
        # validate against querysets).
        party_choices = [("", "---------"), *((p.pk, str(p)) for p in parties)]
        person_choices = [("", "---------"), *((p.pk, str(p)) for p in people)]
        for form_name, field, choices in (("attendance_form", "party", party_choices),
                                          ("attendance_form", "person", person_choices),
                                          ("action_form", "owner_party", party_choices),
                                          ("action_form", "owner_person", person_choices),
                                          ("agenda_form", "presenter", person_choices)):
            forms[form_name].fields[field].choices = choices
    actions = selectors.action_rows_for_user(request.user)
    attendance = list(meeting.attendance.select_related("person", "party"))
    carried = list(actions.filter(carried_to=meeting)[:ACTIONS_SHOWN])
    return {
        "meeting": meeting, "agenda": agenda, "agenda_total": total, "overrun": max(0, total - meeting.duration_minutes),
        "attendance": attendance, "answers": _answerable(request, meeting, attendance, parties, people),
        "attendance_statuses": Attendance.Status.choices,
        "minutes": selectors.minutes_for_user(user=request.user, meeting=meeting),
        # The page lists references and texts: the delegations' positions are on each decision's page.
        "decisions": list(selectors.decisions_for_user(user=request.user, positions=False).filter(meeting=meeting)),
        "new_actions": list(actions.filter(meeting=meeting)[:ACTIONS_SHOWN]),
        "carried_actions": carried,
        # Counted only when the list is full: a meeting with fewer carried items needs no second query.
        "carried_count": actions.filter(carried_to=meeting).count() if len(carried) == ACTIONS_SHOWN else len(carried),
        "can_run": runner, "today": date.today(), **forms,
    }


def _answerable(request: HttpRequest, meeting: Meeting, attendance: list[Attendance], parties: list[Party],
                people: list[Person]) -> list[dict]:
    """The invitations the viewer may answer on this page: their own, and their parties' as liaison officer.
    Read from the rows the page already has, plus the viewer's person and officer roles (one query each)."""
    user = request.user
    if meeting.status != Meeting.Status.SCHEDULED or not user.is_authenticated:
        return []
    answers = []
    own = next((row for row in attendance if row.person is not None and row.person.user_id == user.pk), None)
    if own is not None:
        answers.append({"for": "me", "label": _("You"), "party": own.party.short_name, "status": own.status})
    else:
        person = getattr(user, "person", None)
        if person is not None and any(p.pk == person.pk for p in people):
            answers.append({"for": "me", "label": _("You"), "party": "", "status": None})
    officer_of = liaison_officer_party_ids(user)
    if officer_of:
        party_rows = {row.party_id: row for row in attendance if row.person_id is None}
        candidates = {p.pk: p for p in parties} | {pk: row.party for pk, row in party_rows.items()}
        for pk, party in candidates.items():
            if pk in officer_of or party.parent_id in officer_of:
                row = party_rows.get(pk)
                answers.append({"for": str(pk), "label": party.short_name, "party": party.short_name,
                                "status": row.status if row else None})
    return answers


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render_page_or_partial(request, "liaison/meeting_detail.html", "liaison/_agenda.html",
                                  meeting_context(request, meeting))


def _rerender(request: HttpRequest, meeting: Meeting, name: str, form: object) -> HttpResponse:
    context = meeting_context(request, meeting) | {name: form}
    return render(request, "liaison/meeting_detail.html", context, status=422)


@login_required
@require_POST
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every change from the meeting page: one service call each, errors shown on the form that caused them."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if action == "answer":  # an invitee's own answer: the service checks who may give it
        return _answer(request, meeting) or redirect(meeting)
    require_run(request.user, meeting.group)
    handler = _HANDLERS.get(action)
    if handler is None:
        raise Http404
    response = handler(request, meeting)
    return response or redirect(meeting)


def _agenda(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = AgendaItemForm(request.POST, prefix="agenda")
    form.fields["presenter"].queryset = Person.objects.filter(pk__in=[p.pk for p in _group_people(meeting)])
    if not form.is_valid() or service_call(form, lambda: services.agenda_item_add(
            meeting=meeting, by=request.user, title=form.cleaned_data["title"],
            minutes_allotted=form.cleaned_data["minutes_allotted"], presenter=form.cleaned_data["presenter"])) is None:
        return _rerender(request, meeting, "agenda_form", form)
    overrun = services.agenda_overrun(meeting)
    if overrun:
        messages.warning(request, _("The agenda runs %(minutes)d minutes over the meeting.") % {"minutes": overrun})
    return None


def _agenda_status(request: HttpRequest, meeting: Meeting) -> None:
    item = meeting.agenda_items.filter(pk=request.POST.get("item", "0")[:18] if request.POST.get(
        "item", "").isdigit() else 0).first()
    if item is None:
        raise Http404
    services.agenda_item_set_status(item=item, by=request.user,
                                    status="done" if request.POST.get("status") == "done" else "open")


def _publish(request: HttpRequest, meeting: Meeting) -> None:
    try:
        services.agenda_publish(meeting=meeting, by=request.user)
        messages.success(request, _("The agenda is published and sent to the participants."))
    except services.ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))


def _carry(request: HttpRequest, meeting: Meeting) -> None:
    try:
        carried = services.agenda_carry_unfinished(meeting=meeting, by=request.user)
        messages.success(request, _("%(count)d unfinished items carried to the next meeting.") % {
            "count": len(carried)})
    except services.ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))


def _attendance(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = AttendanceForm(request.POST, prefix="attendance")
    if not form.is_valid():
        return _rerender(request, meeting, "attendance_form", form)
    person = form.cleaned_data["person"]
    if person is not None and not person.affiliations.filter(party=form.cleaned_data["party"]).exists():
        form.add_error("person", _("This person does not belong to that party."))
        return _rerender(request, meeting, "attendance_form", form)
    services.attendance_set(meeting=meeting, by=request.user, party=form.cleaned_data["party"], person=person,
                            status=form.cleaned_data["status"])
    return None


def _answer(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = InvitationAnswerForm(request.POST, prefix="answer")
    if not form.is_valid():
        return _rerender(request, meeting, "answer_form", form)
    target = form.cleaned_data["answer_for"]
    if target == "me":
        person = getattr(request.user, "person", None)
        if person is None:
            raise PermissionDenied
        subject: dict = {"person": person}
    else:
        party = Party.objects.filter(pk=target).first()
        if party is None:
            raise Http404
        subject = {"party": party}
    if service_call(form, lambda: services_attendance.invitation_answer(
            meeting=meeting, by=request.user, status=form.cleaned_data["status"], **subject)) is None:
        return _rerender(request, meeting, "answer_form", form)
    messages.success(request, _("Your answer is recorded.") if target == "me" else
                     _("The party's answer is recorded."))
    return None


def _hold(request: HttpRequest, meeting: Meeting) -> None:
    try:
        services.meeting_hold(meeting=meeting, by=request.user)
        messages.success(request, _("The meeting is marked as held; open action items are carried to it."))
    except services.ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))


def _cancel(request: HttpRequest, meeting: Meeting) -> None:
    status = Meeting.Status.SCHEDULED if meeting.status == Meeting.Status.CANCELLED else Meeting.Status.CANCELLED
    services.meeting_change(meeting=meeting, by=request.user, status=status)
    messages.success(request, _("The meeting is cancelled.") if status == "cancelled" else _("The meeting is re-opened."))


def _move(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = MoveForm(request.POST, prefix="move")
    if not form.is_valid():
        return _rerender(request, meeting, "move_form", form)
    start = form.cleaned_data["start"].replace(tzinfo=ZoneInfo(meeting.time_zone))
    if service_call(form, lambda: services.meeting_change(meeting=meeting, by=request.user, start=start)) is None:
        return _rerender(request, meeting, "move_form", form)
    messages.success(request, _("The meeting is moved; the participants are told."))
    return None


def _decision(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = DecisionForm(request.POST, prefix="decision", parties=_group_parties(meeting))
    if not form.is_valid() or service_call(form, lambda: services_minutes.decision_record(
            meeting=meeting, by=request.user, text=form.cleaned_data["text"], positions=form.positions())) is None:
        return _rerender(request, meeting, "decision_form", form)
    return None


def _action(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    form = ActionItemForm(request.POST, prefix="action")
    if not form.is_valid() or service_call(form, lambda: services_minutes.action_item_add(
            meeting=meeting, by=request.user, description=form.cleaned_data["description"],
            owner_party=form.cleaned_data["owner_party"], owner_person=form.cleaned_data["owner_person"],
            due_on=form.cleaned_data["due_on"])) is None:
        return _rerender(request, meeting, "action_form", form)
    return None


_HANDLERS = {"agenda": _agenda, "agenda-status": _agenda_status, "publish": _publish, "carry": _carry,
             "attendance": _attendance, "hold": _hold, "cancel": _cancel, "move": _move, "decision": _decision,
             "action": _action}


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_run(request.user, data["group"]):
            form.add_error("group", _("Only the group's co-chairs, its secretary and the secretariat schedule its "
                                      "meetings."))
        else:
            start = data["start"].replace(tzinfo=ZoneInfo(data["time_zone"]))
            meeting = service_call(form, lambda: services.meeting_create(
                by=request.user, group=data["group"], title=data["title"], start=start,
                end=start + timedelta(minutes=data["duration_minutes"]), time_zone=data["time_zone"],
                place=data["place"], online_link=data["online_link"]))
            if meeting is not None:
                return redirect(meeting)
    return render(request, "liaison/meeting_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The liaison calendar: the coming meetings of every series and group the viewer may see."""
    now = datetime.now(UTC)
    entries = selectors.calendar_entries(user=request.user, window_start=now - timedelta(days=1),
                                         window_end=now + timedelta(days=62))
    return render(request, "liaison/index.html", {
        "entries": entries, "series": list(selectors.series_for_user(request.user)),
        "my_actions": list(selectors.my_actions(request.user)[:10]),
        "can_manage": can_run(request.user, None), "open_status": ActionItem.Status.OPEN,
    })
