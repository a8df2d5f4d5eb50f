"""API schemas of the working groups: what a client reads, and what it sends to change a group."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from spacebridge.parties.schemas import MultilingualIn


class MembershipOut(Schema):
    id: int
    party: str
    person: str | None
    person_id: int | None
    role: str
    start: date | None
    end: date | None
    current: bool


class PlanItemOut(Schema):
    id: int
    reference: str
    kind: str
    title: dict[str, Any]
    owner_party: str
    due_on: date
    status: str
    done_on: date | None
    overdue: bool
    evidence: list[str]


class GroupOut(Schema):
    acronym: str
    name: dict[str, Any]
    status: str
    mandate: dict[str, Any]
    scope: dict[str, Any]
    subjects: list[str]
    members: list[MembershipOut]
    work_plan: list[PlanItemOut]


class GroupIn(Schema):
    acronym: str = Field(..., min_length=1, max_length=20, description="Latin letters, digits and hyphens: WG-MED")
    name: MultilingualIn
    status: str = Field("proposed", description="proposed, active or concluded")


class GroupPatch(Schema):
    """The charter; a field left out stays as it is."""

    name: MultilingualIn | None = None
    mandate: MultilingualIn | None = None
    scope: MultilingualIn | None = None
    status: str | None = Field(None, description="proposed, active or concluded")
    subjects: list[str] | None = Field(None, description="Thesaurus concept codes; the list replaces the subjects",
                                       max_length=100)


class MembershipIn(Schema):
    party: str = Field(..., max_length=40, description="The party's code")
    person: int | None = Field(None, description="The person's id; none for the party itself (role member_party)")
    role: str = Field("member_party", description="member_party, co_chair, secretary, member or observer")
    start: date | None = None
    end: date | None = None


class MembershipEndIn(Schema):
    end: date = Field(..., description="The membership's last day")


class RoleChangeIn(Schema):
    role: str = Field(..., description="co_chair, secretary, member or observer")
    on: date = Field(..., description="The first day of the new role; the old one ends the day before")


class PlanItemIn(Schema):
    kind: str = Field("milestone", description="milestone or deliverable")
    title: MultilingualIn
    owner_party: str = Field(..., max_length=40, description="The code of a member party of the group")
    due_on: date


class PlanItemPatch(Schema):
    """Progress of a work-plan item; a field left out stays as it is."""

    status: str | None = Field(None, description="planned, in_progress, done, delayed or dropped")
    due_on: date | None = None
    evidence: list[str] | None = Field(
        None, max_length=50,
        description="References of registry records the caller may see; the list replaces the evidence the caller "
                    "sees (records the caller may not see stay linked)")
