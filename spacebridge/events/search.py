"""Events as searchable documents: title, description and venue, with the titles and speakers of the programme.

The event's page shows all of this to whoever the access policy lets see the event (its audience is decided when
it is created), so the kind's filter is the events list's own (``events_visible``). Sessions and talks re-index
their event when they change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from spacebridge.events.models import Event, ProgrammeSession, Talk
from spacebridge.events.selectors import events_visible
from spacebridge.search.registry import IndexedDocument, model_kind, register, site_path, text_languages

KIND = "event"


def _programme(ids: list[int]) -> dict[int, list[str]]:
    """``{event id: the titles of its sessions and talks, and its speakers}``."""
    words: dict[int, list[str]] = {}
    for session in ProgrammeSession.objects.filter(event_id__in=ids):
        words.setdefault(session.event_id, []).extend(session.title.text.values())
    for talk in Talk.objects.filter(session__event_id__in=ids).select_related("session", "speaker"):
        speakers = {talk.speaker_label(language) for language in ("en", "zh", "ru")}
        words.setdefault(talk.session.event_id, []).extend([*talk.title.text.values(), *sorted(speakers)])
    return words


def event_documents(ids: list[int]) -> list[IndexedDocument]:
    programme = _programme(ids)
    documents = []
    for event in Event.objects.filter(pk__in=ids):
        day = event.starts_at.astimezone(event.zone).date()
        documents.append(
            IndexedDocument(
                object_id=event.pk,
                ref=event.reference,
                type=KIND,
                title=event.title,
                summary=event.description,
                body=[event.slug, *event.venue.text.values(), *programme.get(event.pk, [])],
                url=site_path(event.get_absolute_url()),
                owner_party_id=event.organiser_party_id,
                date=day,
                year=day.year,
                languages=text_languages(event.title, event.description),
            )
        )
    return documents


def events_searchable(user: Any) -> QuerySet[Event]:
    """The events ``user`` may see: the events list's filter."""
    return events_visible(user=user)


EVENTS = model_kind(KIND, Event, documents=event_documents, visible=events_searchable)


def register_searchable() -> None:
    from spacebridge.search.signals import follow

    register(EVENTS)
    follow(KIND, Event)
    follow(KIND, ProgrammeSession, lambda session: [session.event_id])
    follow(KIND, Talk, lambda talk: [talk.session.event_id])
