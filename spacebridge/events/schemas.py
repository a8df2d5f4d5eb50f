"""API in/out schemas of the events part."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from spacebridge.core.api import CursorPage
from spacebridge.events.models import Event, Registration


class EventTextOut(Schema):
    original: str = Field(..., description="BCP 47 code of the language the text was written in")
    text: dict[str, str] = Field(..., description="{language: text}")


class TimeOut(Schema):
    utc: datetime = Field(..., description="The instant, in UTC")
    local: str = Field(..., description="The same instant in the event's time zone, ISO 8601 with its offset")


class TalkOut(Schema):
    title: EventTextOut
    abstract: EventTextOut
    starts_at: TimeOut
    ends_at: TimeOut
    speaker: str = Field(..., description="The speaker's name")
    speaker_person: int | None = Field(None, description="The registered person's id, if any")
    speaker_affiliation: str
    materials: list[str] = Field(..., description="References of the registry records you may see (slides, papers)")


class SessionOut(Schema):
    title: EventTextOut
    starts_at: TimeOut
    ends_at: TimeOut
    room: str
    chair: str
    talks: list[TalkOut]


class RegistrationInfo(Schema):
    open: bool = Field(..., description="Whether one can register now")
    closed_reason: str = Field("", description="Why not, when registration is closed")
    capacity: int | None
    places_taken: int
    waiting: int = Field(..., description="People on the waiting list")
    deadline: TimeOut | None
    requires_approval: bool


class EventOut(Schema):
    slug: str
    url: str
    kind: str = Field(..., json_schema_extra={"enum": Event.Kind.values})
    title: EventTextOut
    description: EventTextOut
    time_zone: str = Field(..., description="IANA time zone the event is planned in")
    starts_at: TimeOut
    ends_at: TimeOut
    venue: EventTextOut
    online_url: str
    organiser_party: str = Field(..., description="The organiser party's code")
    participating_parties: list[str]
    registration: RegistrationInfo
    ics: str = Field(..., description="The event's iCalendar file, with its sessions")


class EventDetail(EventOut):
    programme: list[SessionOut]
    proceedings: list[str] = Field(..., description="References of the proceedings' records you may see")
    my_registration: RegistrationOut | None = None


class EventPage(CursorPage):
    items: list[EventOut]


class EventFilters(Schema):
    when: str = Field("", description="upcoming, past, or empty for all")
    kind: str = ""
    cursor: str | None = None
    limit: int = 50


class RegistrationIn(Schema):
    name: str = Field("", max_length=200, description="Visitors only; a member's comes from their profile")
    email: str = Field("", max_length=254, description="Visitors only; a member's comes from their profile")
    party: str | None = Field(None, max_length=40, description="One of your own parties' codes")
    affiliation: str = Field("", max_length=300)
    language: str = Field("en", json_schema_extra={"enum": ["en", "zh-hans", "ru"]},
                          description="The language of the e-mails")


class RegistrationOut(Schema):
    id: int
    status: str = Field(..., json_schema_extra={"enum": Registration.Status.values})
    waiting_position: int | None = None
    registered_at: datetime


class ParticipantOut(Schema):
    id: int
    name: str
    affiliation: str
    party: str | None
    status: str = Field(..., json_schema_extra={"enum": Registration.Status.values})
    registered_at: datetime
    email: str | None = Field(None, description="Shown to the organisers only")


class ParticipantList(Schema):
    items: list[ParticipantOut]


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


EventDetail.model_rebuild()
