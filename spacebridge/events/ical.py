"""The events' own export format: iCalendar (RFC 5545). Times are written in the event's time zone (with its
VTIMEZONE), so a calendar program shows them right wherever its user is."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from spacebridge.events.models import Event, ProgrammeSession

PRODID = "-//Spacebridge//Events//EN"
SEQUENCE_EPOCH = 1_500_000_000  # seconds; keeps the sequence a small, ever-growing integer


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(event: Event, language: str) -> str:
    return ", ".join(part for part in (event.venue.get(language), event.online_url) if part)


def _event_component(event: Event, language: str) -> CalendarEvent:
    component = CalendarEvent()
    url = settings.BASE_URL + event.get_absolute_url()
    component.add("uid", f"event-{event.slug}@spacebridge")
    component.add("summary", event.title.get(language))
    component.add("dtstart", event.starts_at.astimezone(event.zone))
    component.add("dtend", event.ends_at.astimezone(event.zone))
    component.add("dtstamp", timezone.now())
    component.add("last-modified", event.updated_at)
    # A calendar program replaces its copy when the sequence grows: each change of the event makes it grow.
    component.add("sequence", int(event.updated_at.timestamp()) - SEQUENCE_EPOCH)
    component.add("url", url)
    if location := _location(event, language):
        component.add("location", location)
    description = event.description.get(language)
    component.add("description", f"{description}\n\n{url}".strip())
    component.add("categories", [event.get_kind_display()])
    return component


def _session_component(session: ProgrammeSession, event: Event, language: str) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", f"event-{event.slug}-session-{session.pk}@spacebridge")
    component.add("summary", f"{session.title.get(language)} — {event.title.get(language)}")
    component.add("dtstart", session.starts_at.astimezone(event.zone))
    component.add("dtend", session.ends_at.astimezone(event.zone))
    component.add("dtstamp", timezone.now())
    component.add("url", settings.BASE_URL + event.get_absolute_url() + "#programme")
    lines = [
        f"{talk.starts_at.astimezone(event.zone):%H:%M} {talk.title.get(language)} — {talk.speaker_label(language)}"
        for talk in session.talks.all()
    ]
    if lines:
        component.add("description", "\n".join(lines))
    if location := ", ".join(p for p in (session.room, event.venue.get(language)) if p):
        component.add("location", location)
    component.add("related-to", f"event-{event.slug}@spacebridge")
    return component


def event_calendar(event: Event, *, language: str, with_sessions: bool = True) -> bytes:
    """One event, and its programme's sessions."""
    calendar = _calendar(event.title.get(language))
    calendar.add_component(_event_component(event, language))
    if with_sessions:
        sessions = event.sessions.prefetch_related("talks__speaker")
        for session in sessions:
            calendar.add_component(_session_component(session, event, language))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def events_calendar(events: Iterable[Event], *, name: str, language: str) -> bytes:
    """Many events (the calendar feed), one entry each."""
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_event_component(event, language))
    calendar.add_missing_timezones()
    return calendar.to_ical()
