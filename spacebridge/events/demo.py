"""Demo events (``demo/wenchang_symposia.json``), loaded by ``spacebridge demo`` after the parties, people and records:
the Wenchang symposium of 29–30 January 2018 with its programme, materials, proceedings and participants, and the
2027 follow-up symposium, open for registration with three places. ``spacebridge events load`` reads the same format.

Times in the file are local times of the event's time zone. A speaker or participant named by a key is the demo
person with that key (``yang-liwei`` → yang.liwei@example.org); materials and proceedings name records by the
beginning of their English title.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from spacebridge.core.multilingual import MultilingualText
from spacebridge.events.models import Event
from spacebridge.events.services import (
    event_create,
    proceedings_set,
    registration_record,
    registration_submit,
    session_add,
    talk_add,
)
from spacebridge.parties.models import Party, Person
from spacebridge.records.models import Record

DEMO_FILE = Path(__file__).parent / "demo" / "wenchang_symposia.json"


def _local(value: str | None, zone: ZoneInfo) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=zone) if value else None


def _person(key: str) -> Person:
    person = Person.objects.filter(email=f"{key.replace('-', '.')}@example.org").select_related("user").first()
    if person is None:
        raise ValidationError(f"no demo person {key!r}")
    return person


def _records(titles: list[str]) -> list[Record]:
    found = []
    for title in titles:
        record = Record.objects.filter(title__text__en__startswith=title).order_by("pk").first()
        if record is None:
            raise ValidationError(f"no record titled {title!r}…")
        found.append(record)
    return found


def _text(value: dict[str, str], original: str) -> MultilingualText:
    return MultilingualText(value, original if original in value else "")


def _programme(event: Event, spec: dict[str, Any], by: Any) -> None:
    zone, original = event.zone, spec.get("original_language", "en")
    for item in spec.get("sessions", []):
        session = session_add(
            event=event,
            by=by,
            title=_text(item["title"], original),
            starts_at=_local(item["starts"], zone),
            ends_at=_local(item["ends"], zone),
            room=item.get("room", ""),
            chair=item.get("chair", ""),
            check_permission=False,
        )
        for talk in item.get("talks", []):
            speaker = _person(talk["speaker"]) if talk.get("speaker") else None
            affiliation = talk.get("speaker_affiliation", "")
            if speaker is not None and not affiliation:
                current = speaker.current_affiliations()
                affiliation = current[0].party.short_name if current else ""
            talk_add(
                session=session,
                by=by,
                title=_text(talk["title"], original),
                starts_at=_local(talk["starts"], zone),
                ends_at=_local(talk["ends"], zone),
                speaker=speaker,
                speaker_name=talk.get("speaker_name", ""),
                speaker_affiliation=affiliation,
                materials=_records(talk.get("materials", [])),
                check_permission=False,
            )


def _participants(event: Event, spec: dict[str, Any], by: Any) -> None:
    for item in spec.get("participants", []):
        if isinstance(item, dict):
            registration_record(event=event, by=by, check_permission=False, **item)
            continue
        person = _person(item)
        current = person.current_affiliations()
        party = current[0].party if current else None
        if event.registration_open and person.user is not None:
            registration_submit(event=event, by=person.user, party=party)
        else:
            registration_record(
                event=event, by=by, name=person.display_name("en"), email=person.email, party=party,
                user=person.user, check_permission=False,
            )


@transaction.atomic
def event_load(spec: dict[str, Any], *, by: Any, check_permission: bool = True) -> Event:
    """One event of the demo format, with its programme, proceedings and participants."""
    zone = ZoneInfo(spec["time_zone"])
    original = spec.get("original_language", "en")
    registration = spec.get("registration", {})
    organiser = Party.objects.filter(code=spec["organiser"]).first()
    if organiser is None:
        raise ValidationError({"organiser": f"no party {spec['organiser']!r}"})
    event = event_create(
        by=by,
        slug=spec["slug"],
        kind=spec.get("kind", Event.Kind.SYMPOSIUM),
        title=_text(spec["title"], original),
        description=_text(spec.get("description", {}), original),
        time_zone=spec["time_zone"],
        starts_at=_local(spec["starts"], zone),
        ends_at=_local(spec["ends"], zone),
        venue=_text(spec.get("venue", {}), original),
        online_url=spec.get("online_url", ""),
        organiser_party=organiser,
        participating_parties=Party.objects.filter(code__in=spec.get("participating", [])),
        release=spec.get("release", "public"),
        registration_open=bool(registration.get("open")),
        capacity=registration.get("capacity"),
        registration_deadline=_local(registration.get("deadline"), zone),
        requires_approval=bool(registration.get("approval")),
        check_permission=check_permission,
    )
    _programme(event, spec, by)
    if spec.get("proceedings"):
        proceedings_set(event=event, by=by, records=_records(spec["proceedings"]), check_permission=False)
    _participants(event, spec, by)
    return event


def events_demo_load(*, by: Any) -> list[Event]:
    """Load the demo events; ``by`` is the secretariat officer."""
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return [event_load(item, by=by, check_permission=False) for item in spec["events"]]
