"""Writes of the events part: events, their programme, materials, proceedings and registrations.

Each service is one transaction with one audit entry. Registration places are counted with the event's row locked
(``select_for_update``; on SQLite the IMMEDIATE transaction serialises writers), so two people can never take the
last place at once; a cancelled place goes to the first person on the waiting list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from spacebridge.access.models import Level
from spacebridge.access.policy import can_see
from spacebridge.access.services import release_set
from spacebridge.audit.services import audit_record
from spacebridge.core.multilingual import MultilingualText, validate_multilingual
from spacebridge.events.models import Event, ProgrammeSession, Talk
from spacebridge.events.permissions import can_manage_event, can_organise_for
from spacebridge.events.registrations import (
    _promote_waiting,
    places_taken,
    registration_cancel,
    registration_confirm_email,
    registration_decide,
    registration_record,
    registration_submit,
    registrations_tell_changed,
)
from spacebridge.parties.models import Party, Person
from spacebridge.records.models import Record

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ZONES = frozenset(available_timezones())
# The releases an event may have: anyone, signed-in members, or named parties (the organiser always sees it).
EVENT_RELEASES = (Level.PUBLIC, Level.PLATFORM, Level.PARTIES, Level.OWNER)
# Changes the registrants are told of, with the calendar file again.
PRACTICAL_FIELDS = ("starts_at", "ends_at", "time_zone", "venue", "online_url")
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "registration_open",
    "capacity",
    "registration_deadline",
    "requires_approval",
)


def _text(value: Any, field: str, *, required: bool, max_length: int) -> MultilingualText:
    text = MultilingualText.from_json(value)
    try:
        validate_multilingual(text, required=required, max_length=max_length)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _plain(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: _("Text may not contain NUL characters.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Keep this under %(max)d characters.") % {"max": max_length}})
    return value


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its time zone.")})
    return value.astimezone(UTC) if value is not None else None


def _check_event(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values["kind"] not in Event.Kind.values:
        errors["kind"] = _("Choose a symposium, a workshop or a training.")
    if values["time_zone"] not in _ZONES:
        errors["time_zone"] = _("“%(zone)s” is not a known time zone (use a name like Asia/Shanghai).") % {
            "zone": values["time_zone"]
        }
    starts, ends = values["starts_at"], values["ends_at"]
    if starts is None or ends is None:
        errors["starts_at"] = _("Give the start and the end of the event.")
    elif ends <= starts:
        errors["ends_at"] = _("The event must end after it starts.")
    deadline = values.get("registration_deadline")
    if deadline is not None and ends is not None and deadline > ends:
        errors["registration_deadline"] = _("The registration deadline must not be after the event ends.")
    if values["online_url"]:
        try:
            URLValidator(schemes=["https", "http"])(values["online_url"])
        except ValidationError:
            errors["online_url"] = _("Enter a web address starting with https://.")
    capacity = values.get("capacity")
    if capacity is not None and not 1 <= capacity <= 100_000:
        errors["capacity"] = _("Give a capacity between 1 and 100 000 places, or leave it empty for no limit.")
    if errors:
        raise ValidationError(errors)


def _clean_event(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values["title"] = _text(values["title"], "title", required=True, max_length=300)
    values["description"] = _text(values.get("description"), "description", required=False, max_length=10000)
    values["venue"] = _text(values.get("venue"), "venue", required=False, max_length=500)
    values["online_url"] = _plain(values.get("online_url", ""), "online_url", 200)
    for field in ("starts_at", "ends_at", "registration_deadline"):
        values[field] = _aware(values.get(field), field)
    _check_event(values)
    return values


def _snapshot(event: Event) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, MultilingualText):
            return value.to_json()
        if isinstance(value, datetime):
            return value.isoformat()
        return value

    return {field: plain(getattr(event, field)) for field in EVENT_FIELDS} | {
        "participating_parties": sorted(p.code for p in event.participating_parties.all())
    }


def _release(event: Event, by: Any, release: str, parties: list[Party]) -> None:
    if release not in EVENT_RELEASES:
        raise ValidationError({"release": _("Choose who may see the event.")})
    release_set(
        obj=event,
        by=by,
        level=release,
        owner_party=event.organiser_party,
        parties=parties if release == Level.PARTIES else (),
        reason=_("Event audience"),
        check_permission=False,
    )


@transaction.atomic
def event_create(
    *,
    by: Any,
    slug: str,
    title: Any,
    organiser_party: Party,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    kind: str = Event.Kind.SYMPOSIUM,
    description: Any = None,
    venue: Any = None,
    online_url: str = "",
    participating_parties: Iterable[Party] = (),
    registration_open: bool = False,
    capacity: int | None = None,
    registration_deadline: datetime | None = None,
    requires_approval: bool = False,
    release: str = Level.PUBLIC,
    check_permission: bool = True,
) -> Event:
    """Create an event of ``organiser_party`` and decide who may see it (public by default)."""
    if check_permission and not can_organise_for(by, organiser_party):
        raise PermissionDenied(_("Only the organiser party's officers and the secretariat organise its events."))
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise ValidationError({"slug": _("Use lower-case letters, digits and hyphens, like wenchang-2027.")})
    if Event.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another event already has this web address.")})
    values = _clean_event(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "time_zone": time_zone,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue": venue,
            "online_url": online_url,
            "registration_open": registration_open,
            "capacity": capacity,
            "registration_deadline": registration_deadline,
            "requires_approval": requires_approval,
        }
    )
    participating = list(participating_parties)
    event = Event.objects.create(
        slug=slug,
        organiser_party=organiser_party,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **values,
    )
    event.participating_parties.set(participating)
    _release(event, by, release, participating)
    audit_record(actor=by, verb="event.created", obj=event, changes=_snapshot(event) | {"release": release})
    return event


@transaction.atomic
def event_update(
    *, event: Event, by: Any, release: str | None = None, participating_parties: Iterable[Party] | None = None,
    **changes: Any,
) -> Event:
    """Change an event's details; more places (or no limit) promote people from the waiting list."""
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change it."))
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = _snapshot(event)
    values = _clean_event({field: getattr(event, field) for field in EVENT_FIELDS} | changes)
    taken = places_taken(event)
    if values["capacity"] is not None and values["capacity"] < taken:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)d person already holds a place: keep at least that many, or cancel some first.",
                    "%(count)d people already hold places: keep at least that many, or cancel some first.",
                    taken,
                )
                % {"count": taken}
            }
        )
    for field, value in values.items():
        setattr(event, field, value)
    event.save()
    if participating_parties is not None:
        event.participating_parties.set(list(participating_parties))
    if release is not None:
        _release(event, by, release, list(event.participating_parties.all()))
    after = _snapshot(event)
    if any(before[field] != after[field] for field in PRACTICAL_FIELDS):
        registrations_tell_changed(event)
    audit_record(
        actor=by,
        verb="event.updated",
        obj=event,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v} | ({"release": release} if release else {}),
    )
    _promote_waiting(event, by)
    return event


def _within_event(event: Event, starts_at: datetime | None, ends_at: datetime | None) -> tuple[datetime, datetime]:
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Give the start and the end.")})
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("It must end after it starts.")})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError({"starts_at": _("It must take place within the event's dates.")})
    return starts_at, ends_at


@transaction.atomic
def session_add(
    *,
    event: Event,
    by: Any,
    title: Any,
    starts_at: datetime,
    ends_at: datetime,
    room: str = "",
    chair: str = "",
    check_permission: bool = True,
) -> ProgrammeSession:
    if check_permission and not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    text = _text(title, "title", required=True, max_length=300)
    starts_at, ends_at = _within_event(event, starts_at, ends_at)
    session = ProgrammeSession.objects.create(
        event=event,
        title=text,
        starts_at=starts_at,
        ends_at=ends_at,
        room=_plain(room, "room", 200),
        chair=_plain(chair, "chair", 200),
    )
    audit_record(
        actor=by,
        verb="event.session_added",
        obj=event,
        changes={"session": session.pk, "title": text.to_json(), "starts_at": starts_at.isoformat()},
    )
    return session


@transaction.atomic
def session_update(
    *, session: ProgrammeSession, by: Any, title: Any, starts_at: datetime, ends_at: datetime, room: str = "",
    chair: str = "",
) -> ProgrammeSession:
    """Change a session; its talks must still fit inside it."""
    event = session.event
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    text = _text(title, "title", required=True, max_length=300)
    starts_at, ends_at = _within_event(event, starts_at, ends_at)
    if session.talks.filter(models.Q(starts_at__lt=starts_at) | models.Q(ends_at__gt=ends_at)).exists():
        raise ValidationError({"starts_at": _("Some of the session's talks would fall outside it: move them first.")})
    before = {"title": session.title.to_json(), "starts_at": session.starts_at.isoformat(),
              "ends_at": session.ends_at.isoformat(), "room": session.room, "chair": session.chair}
    session.title, session.starts_at, session.ends_at = text, starts_at, ends_at
    session.room, session.chair = _plain(room, "room", 200), _plain(chair, "chair", 200)
    session.save()
    after = {"title": text.to_json(), "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
             "room": session.room, "chair": session.chair}
    audit_record(
        actor=by,
        verb="event.session_changed",
        obj=event,
        changes={"session": session.pk} | {k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return session


@transaction.atomic
def session_remove(*, session: ProgrammeSession, by: Any) -> None:
    event = session.event
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    audit_record(
        actor=by,
        verb="event.session_removed",
        obj=event,
        changes={"session": session.pk, "title": session.title.to_json(), "talks": session.talks.count()},
    )
    session.delete()


def _visible_records(by: Any, records: Iterable[Record], field: str) -> list[Record]:
    chosen = list(records)
    hidden = [r.reference for r in chosen if not can_see(by, r)]
    if hidden:
        # Nobody links what they may not see; the message does not say whether such a record exists.
        raise ValidationError({field: _("No record you may see has the reference %(ref)s.") % {"ref": hidden[0]}})
    return chosen


@transaction.atomic
def talk_add(
    *,
    session: ProgrammeSession,
    by: Any,
    title: Any,
    starts_at: datetime,
    ends_at: datetime,
    abstract: Any = None,
    speaker: Person | None = None,
    speaker_name: str = "",
    speaker_affiliation: str = "",
    materials: Iterable[Record] = (),
    check_permission: bool = True,
) -> Talk:
    """A talk with its speaker: a registered person, or a free-text name and affiliation. Its materials must be
    records ``by`` may see (a loader with ``check_permission=False`` links what it is given)."""
    event = session.event
    if check_permission and not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    text = _text(title, "title", required=True, max_length=300)
    summary = _text(abstract, "abstract", required=False, max_length=5000)
    starts_at, ends_at = _within_event(event, starts_at, ends_at)
    if starts_at < session.starts_at or ends_at > session.ends_at:
        raise ValidationError({"starts_at": _("A talk must take place within its session.")})
    speaker_name = _plain(speaker_name, "speaker_name", 200)
    if speaker is None and not speaker_name:
        raise ValidationError({"speaker_name": _("Name the speaker: a registered person or a name.")})
    linked = _visible_records(by, materials, "materials") if check_permission else list(materials)
    talk = Talk.objects.create(
        session=session,
        title=text,
        abstract=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        speaker=speaker,
        speaker_name="" if speaker else speaker_name,
        speaker_affiliation=_plain(speaker_affiliation, "speaker_affiliation", 300),
    )
    talk.materials.set(linked)
    audit_record(
        actor=by,
        verb="event.talk_added",
        obj=event,
        changes={
            "talk": talk.pk,
            "title": text.to_json(),
            "speaker": talk.speaker_label("en"),
            "materials": [r.reference for r in linked],
        },
    )
    return talk


@transaction.atomic
def talk_update(
    *,
    talk: Talk,
    by: Any,
    session: ProgrammeSession,
    title: Any,
    starts_at: datetime,
    ends_at: datetime,
    abstract: Any = None,
    speaker: Person | None = None,
    speaker_name: str = "",
    speaker_affiliation: str = "",
    materials: Iterable[Record] = (),
) -> Talk:
    """Change a talk (or move it to another session of the same event). Materials the organiser may not see stay
    linked as they were: nobody unlinks what they cannot see."""
    event = talk.session.event
    if not can_manage_event(by, event) or session.event_id != event.pk:
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    text = _text(title, "title", required=True, max_length=300)
    summary = _text(abstract, "abstract", required=False, max_length=5000)
    starts_at, ends_at = _within_event(event, starts_at, ends_at)
    if starts_at < session.starts_at or ends_at > session.ends_at:
        raise ValidationError({"starts_at": _("A talk must take place within its session.")})
    speaker_name = _plain(speaker_name, "speaker_name", 200)
    if speaker is None and not speaker_name:
        raise ValidationError({"speaker_name": _("Name the speaker: a registered person or a name.")})
    linked = _visible_records(by, materials, "materials")
    hidden = [r for r in talk.materials.all() if not can_see(by, r)]
    before = sorted(talk.materials.values_list("reference", flat=True))
    talk.session, talk.title, talk.abstract, talk.starts_at, talk.ends_at = session, text, summary, starts_at, ends_at
    talk.speaker, talk.speaker_name = speaker, "" if speaker else speaker_name
    talk.speaker_affiliation = _plain(speaker_affiliation, "speaker_affiliation", 300)
    talk.save()
    talk.materials.set([*linked, *hidden])
    audit_record(
        actor=by,
        verb="event.talk_changed",
        obj=event,
        changes={
            "talk": talk.pk,
            "title": text.to_json(),
            "starts_at": starts_at.isoformat(),
            "speaker": talk.speaker_label("en"),
            "materials": [before, sorted(r.reference for r in [*linked, *hidden])],
        },
    )
    return talk


@transaction.atomic
def talk_remove(*, talk: Talk, by: Any) -> None:
    event = talk.session.event
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    audit_record(actor=by, verb="event.talk_removed", obj=event, changes={"talk": talk.pk, "title": talk.title.to_json()})
    talk.delete()


@transaction.atomic
def talk_materials_set(*, talk: Talk, by: Any, records: Iterable[Record]) -> Talk:
    event = talk.session.event
    if not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its programme."))
    before = sorted(talk.materials.values_list("reference", flat=True))
    linked = _visible_records(by, records, "materials")
    talk.materials.set(linked)
    audit_record(
        actor=by,
        verb="event.materials_changed",
        obj=event,
        changes={"talk": talk.pk, "materials": [before, sorted(r.reference for r in linked)]},
    )
    return talk


@transaction.atomic
def proceedings_set(*, event: Event, by: Any, records: Iterable[Record], check_permission: bool = True) -> Event:
    """The proceedings: records ``by`` may see; each reader sees only those released to them."""
    if check_permission and not can_manage_event(by, event):
        raise PermissionDenied(_("Only the event's organisers change its proceedings."))
    before = sorted(event.proceedings.values_list("reference", flat=True))
    linked = _visible_records(by, records, "proceedings") if check_permission else list(records)
    event.proceedings.set(linked)
    audit_record(
        actor=by,
        verb="event.proceedings_changed",
        obj=event,
        changes={"proceedings": [before, sorted(r.reference for r in linked)]},
    )
    return event


__all__ = [
    "event_create",
    "event_update",
    "proceedings_set",
    "registration_cancel",
    "registration_confirm_email",
    "registration_decide",
    "registration_record",
    "registration_submit",
    "session_add",
    "session_remove",
    "session_update",
    "talk_add",
    "talk_materials_set",
    "talk_remove",
    "talk_update",
]
