"""API schemas of liaison."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from spacebridge.parties.schemas import MultilingualIn

# A person's id as the parties API gives it (within what a database key holds).
PersonId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ZoneTimeOut(Schema):
    label: str
    zone: str
    start: str
    end: str
    text: str


class SeriesOut(Schema):
    id: int
    group: str | None
    title: dict[str, Any]
    first_start: datetime
    time_zone: str
    duration_minutes: int
    rrule: str
    rdates: list[str]
    exdates: list[str]
    hosts: list[str]
    place: str
    online_link: str
    skip_holidays: bool
    rotation: list[str]
    participants: list[int]
    ics_url: str


class SeriesIn(Schema):
    group: str | None = Field(None, description="Acronym of the working group; empty for a platform-wide series")
    title: MultilingualIn
    first_start: datetime = Field(..., description="The first meeting, with its UTC offset")
    time_zone: str = Field(..., max_length=64, description="IANA zone the series is defined in")
    rrule: str = Field(..., max_length=500, description="RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2WE")
    duration_minutes: int = 90
    rdates: list[str] = Field(default_factory=list, max_length=200)
    exdates: list[str] = Field(default_factory=list, max_length=500)
    hosts: list[str] = Field(default_factory=list, max_length=20, description="Party codes, hosting in turn")
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=500)
    skip_holidays: bool = False
    rotation: list[str] = Field(default_factory=list, max_length=24, description="UTC start times (HH:MM) taken "
                                                                                 "in turn by the occurrences")
    participants: list[PersonId] = Field(default_factory=list, max_length=500,
                                    description="Ids of the default participants, invited to every meeting")


class SeriesPatch(Schema):
    title: MultilingualIn | None = None
    first_start: datetime | None = Field(None, description="The first meeting, with its UTC offset")
    time_zone: str | None = Field(None, max_length=64, description="IANA zone the series is defined in")
    duration_minutes: int | None = None
    rrule: str | None = Field(None, max_length=500,
                              description="RFC 5545 RRULE; the first meeting must stay one it gives")
    rdates: list[str] | None = Field(None, max_length=200, description="Replaces the extra dates (local times)")
    exdates: list[str] | None = Field(None, max_length=500, description="Replaces the excluded dates (local times)")
    hosts: list[str] | None = Field(None, max_length=20, description="Party codes, hosting in turn")
    participants: list[PersonId] | None = Field(None, max_length=500,
                                                description="Ids of the default participants; new ones are invited")
    place: str | None = Field(None, max_length=300)
    online_link: str | None = Field(None, max_length=500)
    skip_holidays: bool | None = None
    rotation: list[str] | None = Field(None, max_length=24, description="UTC start times (HH:MM) taken in turn")


class SeriesCreated(Schema):
    series: SeriesOut
    clock_changes: list[str]


class OccurrenceOut(Schema):
    key: str = Field(..., description="The occurrence's UTC start as YYYYMMDDTHHMMSSZ, as in its address")
    start: datetime
    end: datetime
    status: str
    meeting: int | None
    host: str | None
    clock_changes: list[str]
    holidays: list[str]
    skipped_for_holiday: bool
    times: list[ZoneTimeOut]


class OccurrenceFilters(Schema):
    start: date | None = None
    days: int = Field(366, ge=1, le=1830)


class AgendaItemOut(Schema):
    id: int
    position: int
    title: dict[str, Any]
    minutes_allotted: int
    presenter: str | None
    status: str
    carried_from: int | None = Field(None, description="The meeting the item was carried from")


class AttendanceOut(Schema):
    party: str
    person: int | None
    name: str | None
    status: str


class MeetingOut(Schema):
    id: int
    reference: str
    group: str | None
    series: int | None
    occurrence_start: datetime | None = Field(None, description="The series' time for this occurrence, if one")
    title: dict[str, Any]
    start: datetime
    end: datetime
    time_zone: str
    status: str
    host: str | None
    place: str
    online_link: str
    times: list[ZoneTimeOut]
    agenda: list[AgendaItemOut]
    agenda_overrun_minutes: int
    agenda_published_at: datetime | None
    attendance: list[AttendanceOut]
    minutes_status: str | None


class MeetingIn(Schema):
    group: str | None = Field(None, description="Acronym of the working group; empty for a platform-wide meeting")
    title: MultilingualIn
    start: datetime = Field(..., description="With its UTC offset")
    end: datetime = Field(..., description="With its UTC offset")
    time_zone: str = Field(..., max_length=64, description="IANA zone the meeting is held in")
    host: str | None = Field(None, max_length=40, description="Party code of the host")
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=500)


class MeetingPatch(Schema):
    start: datetime | None = Field(None, description="Moves the meeting; without an end it keeps its length")
    end: datetime | None = None
    status: str | None = Field(None, description="scheduled or cancelled (hold a meeting with its /hold address)")
    place: str | None = Field(None, max_length=300)
    online_link: str | None = Field(None, max_length=500)
    host: str | None = Field(None, max_length=40, description="Party code of the host")


class AgendaItemIn(Schema):
    title: MultilingualIn
    minutes_allotted: int = 10
    presenter: PersonId | None = Field(None, description="Id of the presenting person")


class AgendaItemPatch(Schema):
    status: str = Field(..., description="open or done")


class AgendaCarried(Schema):
    meeting: MeetingOut
    carried_to: int | None = Field(None, description="The meeting the unfinished items went to")
    carried: list[AgendaItemOut]


class AttendanceIn(Schema):
    party: str | None = Field(None, max_length=40, description="Party code; for a person, the party they represent "
                                                               "(by default their current one)")
    person: PersonId | None = Field(None, description="Id of the person; empty for the whole party")
    status: str = Field(..., description="invited, accepted, present or apologies")


class InvitationAnswerIn(Schema):
    status: str = Field(..., description="accepted or apologies")
    party: str | None = Field(None, max_length=40, description="Party code, to answer for the whole party as its "
                                                               "liaison officer; empty to answer for yourself")


class MinutesIn(Schema):
    text: MultilingualIn
    note: str = Field("", max_length=300)


class ApprovalIn(Schema):
    delegation: str = Field(..., max_length=2, description="ISO 3166-1 code of the delegation answering")
    answer: str = Field(..., description="approved or reservation")
    reservation: str = Field("", max_length=4000)


class MinutesReleaseIn(Schema):
    level: str = Field(..., description="group, platform or public")


class MinutesApprovalOut(Schema):
    delegation: str
    revision: int
    answer: str
    reservation: str


class MinutesOut(Schema):
    meeting: int
    status: str
    revision: int
    text: dict[str, Any]
    html: dict[str, str]
    delegations: list[str]
    approvals: list[MinutesApprovalOut]


class PositionOut(Schema):
    party: str
    position: str
    note: str


class DecisionOut(Schema):
    reference: str
    group: str | None
    meeting: int
    decided_on: date
    text: dict[str, Any]
    positions: list[PositionOut]


class PositionIn(Schema):
    party: str = Field(..., max_length=40, description="Party code")
    position: str = Field(..., description="concurs, reservation, abstains or objects")
    note: str = Field("", max_length=500)


class DecisionRecordIn(Schema):
    text: MultilingualIn
    positions: list[PositionIn] = Field(default_factory=list, max_length=100)


class DecisionFilters(Schema):
    q: str = Field("", max_length=200)
    group: str = Field("", max_length=20)
    limit: int = Field(50, ge=1, le=200)


class ActionOut(Schema):
    id: int
    reference: str
    group: str | None
    meeting: int
    description: dict[str, Any]
    owner_party: str
    owner_person: str | None
    due_on: date
    status: str
    overdue: bool
    evidence: str


class ActionIn(Schema):
    description: MultilingualIn
    owner_party: str = Field(..., max_length=40, description="Party code; a member party of the group")
    owner_person: PersonId | None = Field(None, description="Id of the owner, who belongs to the owner party")
    due_on: date


class ActionFilters(Schema):
    mine: bool = False
    overdue: bool = False
    group: str = Field("", max_length=20)
    party: str = Field("", max_length=40)
    limit: int = Field(100, ge=1, le=500)


class ActionPatch(Schema):
    status: str | None = None
    evidence: str | None = Field(None, max_length=4000)
    due_on: date | None = None


class SlotFilters(Schema):
    zones: str = Field("Asia/Shanghai,Europe/Moscow,America/New_York", max_length=500)
    work_start: str = Field("09:00", max_length=5)
    work_end: str = Field("18:00", max_length=5)
    duration: int = Field(90, ge=15, le=480)
    weekday: int = Field(2, ge=0, le=6)
    top: int = Field(10, ge=1, le=48)


class SlotOut(Schema):
    utc_time: str
    total: float
    burden: dict[str, float]


class SlotsOut(Schema):
    slots: list[SlotOut]
    rotation: list[str]
    rotation_share: dict[str, float]
