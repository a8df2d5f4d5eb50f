"""Reads of the events part; every one goes through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from spacebridge.access.policy import get_visible_or_404, visible
from spacebridge.events.models import Event, ProgrammeSession, Registration, Talk
from spacebridge.events.permissions import can_see_participants
from spacebridge.records.models import Record
from spacebridge.records.selectors import records_visible


def events_visible(*, user: Any) -> QuerySet[Event]:
    """The events ``user`` may see: lists, pages, feeds, calendars and the API start here."""
    return visible(Event.objects.all(), user).select_related("organiser_party")


def event_list(*, user: Any, when: str = "", kind: str = "") -> QuerySet[Event]:
    """``when``: ``upcoming`` (not yet over, soonest first), ``past`` (latest first) or all (latest first)."""
    events = events_visible(user=user)
    now = timezone.now()
    if kind:
        events = events.filter(kind=kind)
    if when == "upcoming":
        return events.filter(ends_at__gt=now).order_by("starts_at", "pk")
    if when == "past":
        events = events.filter(ends_at__lte=now)
    return events.order_by("-starts_at", "-pk")


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its places taken and its waiting list counted in the same query, and its parties."""
    confirmed = Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    waiting = Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED))
    return events.annotate(taken=confirmed, waiting=waiting).prefetch_related("participating_parties")


def event_get_for_user(*, user: Any, slug: str) -> Event:
    """Fetch and authorise in one call: an event the user may not see is a 404."""
    if not isinstance(slug, str) or len(slug) > 80:
        raise Http404
    return get_visible_or_404(Event.objects.select_related("organiser_party"), user, slug=slug)


def programme(*, event: Event, user: Any) -> list[ProgrammeSession]:
    """The event's sessions with their talks and speakers; each talk's materials only where ``user`` may see them."""
    materials = records_visible(user=user, queryset=Record.objects.all()).select_related("type").order_by("reference")
    talks = Talk.objects.select_related("speaker").prefetch_related(
        Prefetch("materials", queryset=materials, to_attr="visible_materials")
    )
    return list(event.sessions.prefetch_related(Prefetch("talks", queryset=talks)))


def proceedings(*, event: Event, user: Any) -> list[Record]:
    return list(records_visible(user=user, queryset=event.proceedings.all()).select_related("type").order_by("reference"))


def records_visible_to(*, user: Any, records: QuerySet[Record]) -> list[Record]:
    return list(records_visible(user=user, queryset=records).order_by("reference"))


def participants(*, event: Event, user: Any) -> QuerySet[Registration]:
    """Everyone registered, for the organisers and the participating parties' officers; else a 404."""
    if not can_see_participants(user, event):
        raise Http404
    return event.registrations.select_related("party").order_by("created_at", "pk")


def registration_of(*, event: Event, user: Any) -> Registration | None:
    """The signed-in user's current registration for the event."""
    if not getattr(user, "is_authenticated", False):
        return None
    return event.registrations.filter(user=user, status__in=Registration.ACTIVE).first()


def registration_by_token(*, slug: str, token: str) -> Registration:
    """The registration an e-mail link names; the link is the key, so no other check applies."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise Http404
    registration = Registration.objects.select_related("event").filter(token=token, event__slug=slug).first()
    if registration is None:
        raise Http404
    return registration


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITLISTED, created_at__lte=registration.created_at
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )
