"""The organisers' pages: create and change an event, and build its programme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.access.models import Level
from spacebridge.access.policy import policy_of
from spacebridge.access.principals import principal_for
from spacebridge.core.forms import apply_validation_error
from spacebridge.core.multilingual import content_language
from spacebridge.events import selectors, services
from spacebridge.events.forms import EventForm, ProceedingsForm, SessionForm, TalkForm, records_by_reference
from spacebridge.events.models import Event, Talk
from spacebridge.events.permissions import can_manage_event, can_organise_for
from spacebridge.parties.models import Party


def _organiser_parties(user: Any) -> Any:
    if can_organise_for(user, None):
        return Party.objects.order_by("country", "short_name")
    own = Party.objects.filter(pk__in=principal_for(user).own_party_ids)
    return Party.objects.filter(pk__in=[party.pk for party in own if can_organise_for(user, party)])


def _event_values(data: dict[str, Any]) -> dict[str, Any]:
    fields = (
        "kind", "title", "description", "time_zone", "starts_at", "ends_at", "venue", "online_url",
        "registration_open", "capacity", "registration_deadline", "requires_approval",
    )
    return {field: data.get(field) for field in fields} | {"online_url": data.get("online_url") or ""}


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    parties = _organiser_parties(request.user)
    if not parties.exists():
        raise PermissionDenied(_("Only the parties' officers and the secretariat organise events."))
    form = EventForm(request.POST or None, organiser_parties=parties, initial={"release": Level.PUBLIC})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                by=request.user,
                slug=data["slug"],
                organiser_party=data["organiser_party"],
                participating_parties=data["participating_parties"],
                release=data["release"],
                **_event_values(data),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("organiser_party", str(error))
        else:
            messages.success(request, _("Event created."))
            return redirect("events:programme", event.slug)
    return render(request, "events/event_form.html", {"form": form, "event": None},
                  status=422 if form.is_bound and form.errors else 200)


def _managed(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers change it."))
    return event


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed(request, slug)
    zone = event.zone
    policy = policy_of(event)
    initial = {
        "kind": event.kind, "title": event.title, "description": event.description, "time_zone": event.time_zone,
        "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
        "venue": event.venue, "online_url": event.online_url,
        "participating_parties": list(event.participating_parties.all()),
        "release": policy.level if policy else Level.OWNER, "registration_open": event.registration_open,
        "capacity": event.capacity, "requires_approval": event.requires_approval,
        "registration_deadline": event.registration_deadline.astimezone(zone).replace(tzinfo=None)
        if event.registration_deadline else None,
    }
    form = EventForm(request.POST or None, initial=initial, organiser_parties=Party.objects.none(), editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_update(
                event=event, by=request.user, release=data["release"],
                participating_parties=data["participating_parties"], **_event_values(data),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect(event.get_absolute_url())
    return render(request, "events/event_form.html", {"form": form, "event": event},
                  status=422 if form.is_bound and form.errors else 200)


@login_required
def event_programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme editor: add sessions and talks, remove them."""
    event = _managed(request, slug)
    session_form = SessionForm(event=event, prefix="session")
    talk_form = TalkForm(event=event, prefix="talk")
    current = " ".join(event.proceedings.order_by("reference").values_list("reference", flat=True))
    proceedings_form = ProceedingsForm(prefix="proceedings", initial={"references": current})
    status = 200
    if request.method == "POST" and request.POST.get("add") == "session":
        session_form = SessionForm(request.POST, event=event, prefix="session")
        if session_form.is_valid():
            try:
                services.session_add(event=event, by=request.user, **session_form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(session_form, error)
            else:
                messages.success(request, _("Session added."))
                return redirect("events:programme", event.slug)
        status = 422
    elif request.method == "POST" and request.POST.get("add") == "talk":
        talk_form = TalkForm(request.POST, event=event, prefix="talk")
        if talk_form.is_valid():
            data = dict(talk_form.cleaned_data)
            try:
                data["materials"] = records_by_reference(data.pop("materials"))
                services.talk_add(by=request.user, **data)
            except ValidationError as error:
                apply_validation_error(talk_form, error)
            else:
                messages.success(request, _("Talk added."))
                return redirect("events:programme", event.slug)
        status = 422
    elif request.method == "POST" and request.POST.get("add") == "proceedings":
        proceedings_form = ProceedingsForm(request.POST, prefix="proceedings")
        if proceedings_form.is_valid():
            try:
                records = records_by_reference(proceedings_form.cleaned_data["references"], field="references")
                services.proceedings_set(event=event, by=request.user, records=records)
            except ValidationError as error:
                proceedings_form.add_error("references", error.messages)
            else:
                messages.success(request, _("Proceedings saved."))
                return redirect("events:programme", event.slug)
        status = 422
    context = {
        "event": event,
        "language": content_language(translation.get_language()),
        "sessions": selectors.programme(event=event, user=request.user),
        "session_form": session_form,
        "talk_form": talk_form,
        "proceedings_form": proceedings_form,
    }
    return render(request, "events/programme_form.html", context, status=status)


@require_POST
@login_required
def programme_remove(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    event = _managed(request, slug)
    if kind == "session":
        session = event.sessions.filter(pk=pk).first()
        if session is None:
            raise Http404
        services.session_remove(session=session, by=request.user)
    else:
        talk = next((t for s in event.sessions.all() for t in s.talks.filter(pk=pk)), None)
        if talk is None:
            raise Http404
        services.talk_remove(talk=talk, by=request.user)
    messages.success(request, _("Removed from the programme."))
    return redirect("events:programme", event.slug)


def _local(moment: Any, event: Event) -> Any:
    return moment.astimezone(event.zone).replace(tzinfo=None)


@login_required
def programme_item_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Change one session or one talk of the programme."""
    event = _managed(request, slug)
    if kind == "session":
        item = event.sessions.filter(pk=pk).first()
    elif kind == "talk":
        item = Talk.objects.filter(pk=pk, session__event=event).select_related("session", "speaker").first()
    else:
        item = None
    if item is None:
        raise Http404
    initial: dict[str, Any] = {
        "title": item.title, "starts_at": _local(item.starts_at, event), "ends_at": _local(item.ends_at, event),
    }
    if kind == "session":
        initial |= {"room": item.room, "chair": item.chair}
        form: Any = SessionForm(request.POST or None, event=event, initial=initial)
    else:
        visible = selectors.records_visible_to(user=request.user, records=item.materials.all())
        initial |= {
            "session": item.session_id, "abstract": item.abstract, "speaker": item.speaker_id,
            "speaker_name": item.speaker_name, "speaker_affiliation": item.speaker_affiliation,
            "materials": " ".join(r.reference for r in visible),
        }
        form = TalkForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "session":
                services.session_update(session=item, by=request.user, **data)
            else:
                data["materials"] = records_by_reference(data.pop("materials"))
                services.talk_update(talk=item, by=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("events:programme", event.slug)
    context = {"event": event, "item": item, "kind": kind, "form": form,
               "language": content_language(translation.get_language())}
    return render(request, "events/programme_item_form.html", context,
                  status=422 if form.is_bound and form.errors else 200)
