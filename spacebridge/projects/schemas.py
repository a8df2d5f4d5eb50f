"""API in/out schemas of joint projects."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from spacebridge.core.api import CursorPage
from spacebridge.parties.schemas import MultilingualIn
from spacebridge.projects.models import Milestone, Participation, Project
from spacebridge.records.schemas import MultilingualOut


class ParticipationOut(Schema):
    party: str = Field(..., description="The party's code")
    role: str = Field(..., json_schema_extra={"enum": Participation.Role.values})
    contribution_kind: str = Field(..., json_schema_extra={"enum": Participation.Kind.values})
    contribution: MultilingualOut
    amount: str | None = Field(None, description="Decimal amount of a financial contribution")
    currency: str | None = Field(None, description="ISO 4217 code")


class MilestoneOut(Schema):
    id: int
    title: MultilingualOut
    due_on: date
    status: str = Field(..., json_schema_extra={"enum": Milestone.Status.values})
    achieved_on: date | None = None


class ProjectOut(Schema):
    slug: str
    url: str
    name: MultilingualOut
    description: MultilingualOut
    status: str = Field(..., json_schema_extra={"enum": Project.Status.values})
    start: date | None = None
    end: date | None = None
    place: MultilingualOut
    latitude: float | None = None
    longitude: float | None = None
    agreements: list[str]
    groups: list[str] = Field(..., description="Acronyms of the working groups running it that you may see")
    records: list[str] = Field(..., description="References of the records it produced that you may see")
    participations: list[ParticipationOut]
    milestones: list[MilestoneOut]


class ProjectPage(CursorPage):
    items: list[ProjectOut]


class ProjectIn(Schema):
    name: MultilingualIn
    lead_party: str = Field(..., max_length=40, description="The lead party's code")
    slug: str = Field("", max_length=80, description="Web address name; made from the English name if empty")
    description: MultilingualIn | None = None
    status: str = Field(Project.Status.PROPOSED, max_length=12, json_schema_extra={"enum": Project.Status.values})
    start: date | None = None
    end: date | None = None
    place: MultilingualIn | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    agreements: list[str] = Field(default_factory=list, max_length=50)
    groups: list[str] = Field(default_factory=list, max_length=50)
    records: list[str] = Field(default_factory=list, max_length=500)


class ProjectPatch(Schema):
    name: MultilingualIn | None = None
    description: MultilingualIn | None = None
    status: str | None = Field(None, max_length=12, json_schema_extra={"enum": Project.Status.values})
    start: date | None = None
    end: date | None = None
    place: MultilingualIn | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    agreements: list[str] | None = Field(None, max_length=50)
    groups: list[str] | None = Field(None, max_length=50)
    records: list[str] | None = Field(None, max_length=500)


class ParticipationIn(Schema):
    role: str = Field(Participation.Role.PARTICIPANT, max_length=12, json_schema_extra={"enum": Participation.Role.values})
    contribution_kind: str = Field(Participation.Kind.IN_KIND, max_length=10, json_schema_extra={"enum": Participation.Kind.values})
    contribution: MultilingualIn | None = None
    amount: str | None = Field(None, max_length=40, description="Decimal amount, for a financial contribution")
    currency: str = Field("", max_length=3, description="ISO 4217 code, for a financial contribution")


class MilestoneIn(Schema):
    title: MultilingualIn
    due_on: date
    status: str = Field(Milestone.Status.PLANNED, max_length=12, json_schema_extra={"enum": Milestone.Status.values})
    achieved_on: date | None = None


class MilestonePatch(Schema):
    title: MultilingualIn | None = None
    due_on: date | None = None
    status: str | None = Field(None, max_length=12, json_schema_extra={"enum": Milestone.Status.values})
    achieved_on: date | None = None
