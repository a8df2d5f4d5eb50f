"""API schemas of agreements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from spacebridge.core.api import CursorPage


class AgreementSummary(Schema):
    reference: str
    type: str
    status: str
    title: dict[str, Any]
    parties: list[str]
    implementation: str | None
    expires_on: date | None
    url: str


class AgreementPage(CursorPage):
    items: list[AgreementSummary]


class SignatoryOut(Schema):
    name: str
    title: str
    authority: str


class SignatureOut(Schema):
    kind: str
    signed_by: str
    signed_at: datetime
    place: str
    key_fingerprint: str | None
    signature: str | None
    valid: bool | None = Field(None, description="digital signatures: verified now against the current texts")
    scan_sha256: str | None


class AgreementPartyOut(Schema):
    code: str
    name: str
    signed_on: date | None
    signed_place: str
    signatories: list[SignatoryOut]
    signatures: list[SignatureOut]


class TextStateOut(Schema):
    language: str
    version: int
    kind: str
    sha256: str
    out_of_step: bool
    articles: int


class CommitmentOut(Schema):
    id: int
    article: str
    passage: dict[str, Any]
    responsible_parties: list[str]
    due_on: date | None
    recurrence: str
    state: str
    status: str | None = Field(None, description="on_track, late or done (null when cancelled)")
    groups: list[str]
    records: list[str]


class AgreementOut(AgreementSummary):
    lead_party: str
    entry_into_force: str
    entry_into_force_on: date | None
    in_force_since: date | None
    term_months: int | None
    notice_days: int | None
    notice_deadline: date | None
    automatic_renewal: bool
    renewal_term_months: int | None
    amends: str | None
    superseded_by: str | None
    related: list[str]
    allowed_transitions: list[str]
    canonical_hash: str | None
    party_details: list[AgreementPartyOut]
    texts: list[TextStateOut]
    commitments: list[CommitmentOut]


class AgreementIn(Schema):
    type: str = "mou"
    title: dict[str, str] = Field(..., description="{language: title}; the first language is the original")
    lead_party: str
    parties: list[str] = Field(..., description="codes of the other parties")
    entry_into_force: str = "last_signature"
    entry_into_force_on: date | None = None
    term_months: int | None = None
    expires_on: date | None = None
    notice_days: int | None = None
    automatic_renewal: bool = False
    renewal_term_months: int | None = None


class TransitionIn(Schema):
    status: str
    on: date | None = None
    reason: str = ""
    superseded_by: str | None = None


class TextIn(Schema):
    language: str
    body: str = Field(..., max_length=500_000)
    kind: str = "authentic"
    note: str = ""


class ArticleOut(Schema):
    key: str
    label: str
    heading: str
    paragraphs: list[str]


class TextOut(Schema):
    language: str
    version: int
    kind: str
    sha256: str
    note: str
    created_at: datetime
    body: str
    articles: list[ArticleOut]


class SignatureIn(Schema):
    party: str
    signature: str = Field(..., description="base64 Ed25519 signature of the canonical hash (ASCII hex)")
    place: str = ""


class KeyIn(Schema):
    party: str
    public_key: str = Field(..., max_length=2000)
    label: str = ""


class KeyOut(Schema):
    party: str
    fingerprint: str
    label: str
    registered_at: datetime


class CommitmentIn(Schema):
    article: str
    passage: dict[str, str]
    responsible_parties: list[str]
    due_on: date | None = None
    recurrence: str = ""
    groups: list[str] = []
    records: list[str] = []


class CommitmentStateIn(Schema):
    state: str
