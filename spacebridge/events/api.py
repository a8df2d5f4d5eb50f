"""Events: list, one event with its programme, register, cancel, participants, the organisers' decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.multilingual import MultilingualText
from spacebridge.events import selectors, services
from spacebridge.events.models import Event, Registration
from spacebridge.events.permissions import can_manage_event
from spacebridge.events.registrations import places_taken, registration_closed_reason
from spacebridge.events.schemas import (
    DecisionIn,
    EventDetail,
    EventFilters,
    EventPage,
    ParticipantList,
    RegistrationIn,
    RegistrationOut,
)
from spacebridge.parties.models import Party

router = Router(tags=["events"])


def _text(value: MultilingualText) -> dict[str, Any]:
    return {"original": value.original, "text": dict(value.text)}


def _time(moment: datetime | None, event: Event) -> dict[str, Any] | None:
    if moment is None:
        return None
    return {"utc": moment, "local": moment.astimezone(event.zone).isoformat()}


def _event_out(event: Event, request: HttpRequest) -> dict[str, Any]:
    reason = registration_closed_reason(event)
    return {
        "slug": event.slug,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "kind": event.kind,
        "title": _text(event.title),
        "description": _text(event.description),
        "time_zone": event.time_zone,
        "starts_at": _time(event.starts_at, event),
        "ends_at": _time(event.ends_at, event),
        "venue": _text(event.venue),
        "online_url": event.online_url,
        "organiser_party": event.organiser_party.code,
        "participating_parties": [p.code for p in event.participating_parties.all()],
        "registration": {
            "open": not reason,
            "closed_reason": reason,
            "capacity": event.capacity,
            "places_taken": event.taken if hasattr(event, "taken") else places_taken(event),
            "waiting": event.waiting if hasattr(event, "waiting") else event.registrations.filter(
                status=Registration.Status.WAITLISTED
            ).count(),
            "deadline": _time(event.registration_deadline, event),
            "requires_approval": event.requires_approval,
        },
        "ics": request.build_absolute_uri(reverse("events:ics", args=[event.slug])),
    }


def _registration_out(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "status": registration.status,
        "waiting_position": selectors.waiting_position(registration),
        "registered_at": registration.created_at,
    }


def _limit(value: int) -> int:
    if not 1 <= value <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and %(most)d items.") % {"most": 200}})
    return value


@router.get("/", response={200: EventPage, **PROBLEMS}, summary="List events")
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    if filters.when not in {"", "upcoming", "past"}:
        raise ValidationError({"when": _("Choose upcoming, past, or nothing for all events.")})
    if filters.kind and filters.kind not in Event.Kind.values:
        raise ValidationError({"kind": _("Choose a symposium, a workshop or a training.")})
    events = selectors.with_places(selectors.event_list(user=request.auth, when=filters.when, kind=filters.kind))
    rows, next_cursor = keyset_page(events, cursor=filters.cursor, limit=_limit(filters.limit))
    return {"items": [_event_out(e, request) for e in rows], "next_cursor": next_cursor}


@router.get("/{slug}", response={200: EventDetail, **PROBLEMS}, summary="One event with its programme")
def event_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    event = selectors.event_get_for_user(user=request.auth, slug=slug)
    programme = [
        {
            "title": _text(session.title),
            "starts_at": _time(session.starts_at, event),
            "ends_at": _time(session.ends_at, event),
            "room": session.room,
            "chair": session.chair,
            "talks": [
                {
                    "title": _text(talk.title),
                    "abstract": _text(talk.abstract),
                    "starts_at": _time(talk.starts_at, event),
                    "ends_at": _time(talk.ends_at, event),
                    "speaker": talk.speaker_label(),
                    "speaker_person": talk.speaker_id,
                    "speaker_affiliation": talk.speaker_affiliation,
                    "materials": [r.reference for r in talk.visible_materials],
                }
                for talk in session.talks.all()
            ],
        }
        for session in selectors.programme(event=event, user=request.auth)
    ]
    mine = selectors.registration_of(event=event, user=request.auth)
    return _event_out(event, request) | {
        "programme": programme,
        "proceedings": [r.reference for r in selectors.proceedings(event=event, user=request.auth)],
        "my_registration": _registration_out(mine) if mine else None,
    }


@router.post("/{slug}/registrations", response={201: RegistrationOut, **PROBLEMS}, summary="Register")
def event_register(request: HttpRequest, slug: str, payload: RegistrationIn) -> Status:
    """A member registers with their profile; a visitor (public events only) with a name and an e-mail address,
    and confirms it by the link sent there."""
    event = selectors.event_get_for_user(user=request.auth, slug=slug)
    party = None
    if payload.party:
        party = Party.objects.filter(code=payload.party).first()
        if party is None:
            raise ValidationError({"party": _("There is no party with the code “%(code)s”.") % {"code": payload.party}})
    registration = services.registration_submit(
        event=event,
        by=request.auth,
        name=payload.name,
        email=payload.email,
        party=party,
        affiliation=payload.affiliation,
        language=payload.language,
    )
    return Status(201, _registration_out(registration))


@router.post("/{slug}/registration/cancel", response={200: RegistrationOut, **PROBLEMS},
             summary="Cancel my registration")
def registration_cancel(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = require_member(request)
    event = selectors.event_get_for_user(user=user, slug=slug)
    registration = selectors.registration_of(event=event, user=user)
    if registration is None:
        raise Http404
    return _registration_out(services.registration_cancel(registration=registration, by=user))


@router.get("/{slug}/participants", response={200: ParticipantList, **PROBLEMS}, summary="The participant list")
def participant_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    """For the organisers and the officers of the participating parties; a 404 for everyone else."""
    event = selectors.event_get_for_user(user=request.auth, slug=slug)
    registrations = selectors.participants(event=event, user=request.auth)
    organiser = can_manage_event(request.auth, event)
    return {
        "items": [
            {
                "id": r.pk,
                "name": r.name,
                "affiliation": r.affiliation,
                "party": r.party.code if r.party else None,
                "status": r.status,
                "registered_at": r.created_at,
                "email": r.email if organiser else None,
            }
            for r in registrations
        ]
    }


@router.post("/{slug}/participants/{registration_id}/decision", response={200: RegistrationOut, **PROBLEMS},
             summary="Approve or refuse a registration")
def registration_decide(request: HttpRequest, slug: str, registration_id: int, payload: DecisionIn) -> dict[str, Any]:
    user = require_member(request)
    event = selectors.event_get_for_user(user=user, slug=slug)
    if not 1 <= registration_id < 2**63:
        raise Http404
    registration = selectors.participants(event=event, user=user).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    registration = services.registration_decide(
        registration=registration, by=user, approve=payload.approve, note=payload.note
    )
    return _registration_out(registration)
