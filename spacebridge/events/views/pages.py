"""Reading events: the list, the event page with its programme, materials and proceedings, the participant list.
Load → check access → render."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from spacebridge.access.principals import principal_for
from spacebridge.core.multilingual import content_language
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.events import selectors
from spacebridge.events.forms import RegistrationForm
from spacebridge.events.models import Event, Registration
from spacebridge.events.permissions import can_manage_event, can_organise_for, can_see_participants
from spacebridge.events.registrations import places_taken, registration_closed_reason
from spacebridge.parties.models import Party

UPCOMING_SHOWN = 100  # the soonest; the calendar feed holds every one
PAST_PER_PAGE = 30


def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    upcoming = list(selectors.event_list(user=request.user, when="upcoming", kind=kind)[:UPCOMING_SHOWN])
    # Past events page by page, the latest first; a page number out of range or not a number shows the nearest page.
    past = Paginator(selectors.event_list(user=request.user, when="past", kind=kind), PAST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    principal = principal_for(request.user)
    context = {
        "upcoming": upcoming,
        "past": past,
        "kind": kind,
        "kinds": Event.Kind.choices,
        "can_create": any(
            can_organise_for(request.user, p) for p in Party.objects.filter(pk__in=principal.own_party_ids)
        )
        or can_organise_for(request.user, None),
        "language": content_language(translation.get_language()),
    }
    return render_page_or_partial(request, "events/event_list.html", "events/_event_rows.html", context)


def own_parties(user: Any) -> list[Party]:
    return list(Party.objects.filter(pk__in=principal_for(user).own_party_ids))


def registration_form(request: HttpRequest, data: Any = None) -> RegistrationForm:
    return RegistrationForm(data, user=request.user, own_parties=own_parties(request.user))


def structured_data(request: HttpRequest, event: Event, language: str) -> dict[str, Any]:
    """schema.org Event, for search engines and link previews."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title.get(language),
        "startDate": event.starts_at.astimezone(event.zone).isoformat(),
        "endDate": event.ends_at.astimezone(event.zone).isoformat(),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": {"@type": "Organization", "name": event.organiser_party.name.get(language)},
    }
    if event.description:
        data["description"] = event.description.get(language)
    places: list[dict[str, Any]] = []
    if event.venue:
        places.append({"@type": "Place", "name": event.venue.get(language)})
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if places:
        data["location"] = places if len(places) > 1 else places[0]
        data["eventAttendanceMode"] = (
            "https://schema.org/MixedEventAttendanceMode" if len(places) > 1
            else "https://schema.org/OnlineEventAttendanceMode" if event.online_url
            else "https://schema.org/OfflineEventAttendanceMode"
        )
    return data


def detail_context(request: HttpRequest, event: Event, form: RegistrationForm | None = None) -> dict[str, Any]:
    registration = selectors.registration_of(event=event, user=request.user)
    taken = places_taken(event)
    language = content_language(translation.get_language())
    return {
        "event": event,
        "language": language,
        "structured_data": structured_data(request, event, language),
        "sessions": selectors.programme(event=event, user=request.user),
        "proceedings": selectors.proceedings(event=event, user=request.user),
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration) if registration else None,
        "form": form or registration_form(request),
        "closed_reason": registration_closed_reason(event),
        "places_taken": taken,
        "places_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "waiting": event.registrations.filter(status=Registration.Status.WAITLISTED).count(),
        "can_manage": can_manage_event(request.user, event),
        "can_see_participants": can_see_participants(request.user, event),
        "is_past": event.ends_at <= timezone.now(),
        "other_titles": [(lang, text) for lang, text in event.title.text.items()
                         if lang != event.title.resolve()[0]],
    }


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    return render(request, "events/event_detail.html", detail_context(request, event))


def participants_csv(event: Event, registrations: list[Registration], with_email: bool) -> HttpResponse:
    """The participant list as a spreadsheet (UTF-8 with a byte-order mark, so spreadsheet programs read Chinese
    and Russian names right); times in the event's zone with their offset."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-participants.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [_("Name"), _("Affiliation"), _("Party"), _("Status"), _("Registered")]
    writer.writerow(header + ([_("E-mail")] if with_email else []))
    for r in registrations:
        row = [r.name, r.affiliation, r.party.short_name if r.party else "", r.get_status_display(),
               r.created_at.astimezone(event.zone).isoformat(timespec="minutes")]
        writer.writerow([_spreadsheet_safe(cell) for cell in row] + ([r.email] if with_email else []))
    return response


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet program will not run as a formula."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def event_participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    registrations = list(selectors.participants(event=event, user=request.user))
    if request.GET.get("format") == "csv":
        return participants_csv(event, registrations, can_manage_event(request.user, event))
    by_status: dict[str, list[Registration]] = {status: [] for status in Registration.Status.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    context = {
        "event": event,
        "language": content_language(translation.get_language()),
        "groups": [(status, label, by_status[status]) for status, label in Registration.Status.choices
                   if by_status[status]],
        "can_manage": can_manage_event(request.user, event),
        "places_taken": len(by_status[Registration.Status.CONFIRMED]),
    }
    return render(request, "events/participants.html", context)
