"""API in/out schemas of the exchange registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from spacebridge.access.models import Level, Marking
from spacebridge.core.api import CursorPage, Problem
from spacebridge.parties.schemas import MultilingualIn, WhoCanSee
from spacebridge.records.models import AccessRequest, Contributor, Identifier, RelatedRecord

BIGGEST_ID = 2**63 - 1  # the largest primary key a database column holds

# --- records ------------------------------------------------------------------------------------------------------


class MultilingualOut(Schema):
    original: str = Field(..., description="BCP 47 code of the language the text was written in")
    text: dict[str, str] = Field(..., description="{language: text}")


class ContributorOut(Schema):
    name: str
    role: str
    person: int | None = Field(None, description="The person's id (`/api/v1/parties/people/{id}`), if registered")
    party: str | None = Field(None, description="The party's code, if the contributor is a party or acts for one")


class ContributorIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    role: str = Field(Contributor.Role.AUTHOR, json_schema_extra={"enum": Contributor.Role.values})
    person: int | None = Field(None, ge=1, le=BIGGEST_ID, description="A registered person's number")
    party: str | None = Field(None, max_length=40)


class IdentifierOut(Schema):
    scheme: str
    value: str


class IdentifierIn(Schema):
    scheme: str = Field(..., max_length=10, json_schema_extra={"enum": Identifier.Scheme.values})
    value: str = Field(..., min_length=1, max_length=500)


class RelatedOut(Schema):
    relation: str
    reference: str


class RelatedIn(Schema):
    relation: str = Field(..., json_schema_extra={"enum": RelatedRecord.Relation.values})
    reference: str = Field(..., max_length=20)


class RecordOut(Schema):
    reference: str = Field(..., description="SB-YYYY-NNNNNN")
    type: str
    owner_party: str
    status: str
    version: int = Field(..., description="The last published version; 0 for a draft")
    working_copy: bool = Field(
        ...,
        description="True when the metadata shown is the owner party's working copy, which may hold changes not "
        "yet published; everyone else sees the last published version",
    )
    has_unpublished_changes: bool | None = Field(..., description="Shown to the owner party only")
    title: MultilingualOut
    abstract: MultilingualOut
    keywords: dict[str, list[str]]
    published_on: date | None
    licence: str
    subjects: list[str] = Field(..., description="Concept codes of the thesaurus (`/api/v1/records/concepts/`)")
    contributors: list[ContributorOut]
    identifiers: list[IdentifierOut]
    related: list[RelatedOut] = Field(..., description="Related records the viewer may see")
    created_at: datetime
    updated_at: datetime
    first_published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str
    url: str = Field(..., description="The record page")
    who_can_see: WhoCanSee


class RecordPage(CursorPage):
    items: list[RecordOut]


class RecordIn(Schema):
    owner_party: str = Field(..., max_length=40, description="Code of the party that shares the record")
    type: str = Field(..., max_length=40, description="publication, dataset, technology, patent, software, …")
    title: MultilingualIn
    abstract: MultilingualIn | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict, description="{language: [keywords]}")
    published_on: date | None = None
    licence: str = Field("", max_length=60, description="SPDX identifier, such as CC-BY-4.0")
    subjects: list[str] = Field(default_factory=list, max_length=50, description="Concept codes")
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    contributors: list[ContributorIn] = Field(default_factory=list, max_length=200)
    related: list[RelatedIn] = Field(default_factory=list, max_length=50)


class RecordPatch(Schema):
    type: str | None = Field(None, max_length=40)
    title: MultilingualIn | None = None
    abstract: MultilingualIn | None = None
    keywords: dict[str, list[str]] | None = None
    published_on: date | None = None
    licence: str | None = Field(None, max_length=60)
    subjects: list[str] | None = Field(None, max_length=50)
    identifiers: list[IdentifierIn] | None = Field(None, max_length=20)
    contributors: list[ContributorIn] | None = Field(None, max_length=200)
    related: list[RelatedIn] | None = Field(None, max_length=50)


class PublishIn(Schema):
    note: str = Field("", max_length=500, description="What changed in this version")


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class Tombstone(Problem):
    """A withdrawn record: 410 Gone, with what remains of it."""

    reference: str
    withdrawn_at: datetime | None
    reason: str


# --- release decisions --------------------------------------------------------------------------------------------


class ReleaseIn(Schema):
    level: str = Field(..., json_schema_extra={"enum": Level.values})
    parties: list[str] = Field(default_factory=list, max_length=100, description="Codes of the parties released to")
    delegations: list[str] = Field(
        default_factory=list, max_length=100, description="ISO 3166 country codes: every party of that country"
    )
    group: str | None = Field(None, max_length=40, description="Acronym of the working group (level `group`)")
    marking: str = Field(Marking.NONE, json_schema_extra={"enum": Marking.values})
    legal_basis: str = Field("", max_length=300)
    embargo_until: datetime | None = None
    reason: str = Field("", max_length=500)


class ExportApprovalIn(Schema):
    note: str = Field("", max_length=500)


class ReleaseAudience(Schema):
    level: str
    parties: list[str]
    delegations: list[str]
    group: str | None
    marking: str
    legal_basis: str
    embargo_until: str | None


class ReleaseDecisionOut(Schema):
    id: int
    kind: str = Field(..., description="`release` or `export_approval`")
    decided_at: datetime
    decided_by: str | None
    audience: ReleaseAudience
    reason: str


class ReleaseDecisionResult(ReleaseDecisionOut):
    who_can_see: WhoCanSee


class ReleaseDecisionList(Schema):
    reference: str
    items: list[ReleaseDecisionOut]
    who_can_see: WhoCanSee


# --- versions -----------------------------------------------------------------------------------------------------


class VersionSummary(Schema):
    number: int
    note: str
    published_at: datetime
    published_by: str | None


class VersionList(Schema):
    reference: str
    items: list[VersionSummary]
    who_can_see: WhoCanSee


class VersionOut(VersionSummary):
    reference: str
    metadata: dict[str, Any] = Field(..., description="The record's metadata as this version froze it")
    who_can_see: WhoCanSee


class FieldChange(Schema):
    field: str
    old: Any = None
    new: Any = None


class VersionDiff(Schema):
    reference: str
    from_version: int
    to_version: int
    changes: list[FieldChange]
    who_can_see: WhoCanSee


class DiffFilters(Schema):
    from_version: int | None = Field(None, alias="from", description="Defaults to the version before `to`")
    to_version: int | None = Field(None, alias="to", description="Defaults to the last published version")


# --- files --------------------------------------------------------------------------------------------------------


class FileOut(Schema):
    name: str
    size: int
    media_type: str
    sha256: str
    uploaded_at: datetime
    download_url: str


class FileList(Schema):
    reference: str
    items: list[FileOut]
    who_can_see: WhoCanSee


# --- export formats -----------------------------------------------------------------------------------------------


class ExportFormatOut(Schema):
    name: str
    label: str
    media_type: str
    extension: str


# --- access requests ----------------------------------------------------------------------------------------------


class AccessRequestIn(Schema):
    reference: str = Field(..., min_length=1, max_length=20)
    party: str = Field(..., max_length=40, description="Code of your party, on whose behalf you ask")
    justification: str = Field(..., description="Why you need the record (10 to 5000 characters)")


class AccessRequestAccepted(Schema):
    detail: str


class AccessRequestOut(Schema):
    id: int
    reference: str
    direction: str = Field(..., description="`sent` by your party, or `received` by your party as the owner")
    requester_party: str
    requested_by: str | None = Field(None, description="The member who asked")
    justification: str
    status: str = Field(..., json_schema_extra={"enum": AccessRequest.Status.values})
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


class AccessRequestPage(CursorPage):
    items: list[AccessRequestOut]


class AccessRequestDecisionIn(Schema):
    grant: bool
    reason: str = Field(..., min_length=1, max_length=2000)


# --- thesaurus ----------------------------------------------------------------------------------------------------


class ConceptOut(Schema):
    code: str
    pref: MultilingualOut
    alt: dict[str, list[str]]
    broader: list[str]
    narrower: list[str]
    related: list[str]
    source: str
    who_can_see: WhoCanSee


class ConceptPage(CursorPage):
    items: list[ConceptOut]
