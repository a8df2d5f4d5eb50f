"""Agreements API: the same selectors and services as the pages; an agreement the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status

from spacebridge.agreements import commitments as commitment_services
from spacebridge.agreements import selectors, services, signatures
from spacebridge.agreements.models import Agreement, TextVersion
from spacebridge.agreements.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPage,
    CommitmentIn,
    CommitmentOut,
    CommitmentStateIn,
    KeyIn,
    KeyOut,
    SignatureIn,
    TextIn,
    TextOut,
    TransitionIn,
)
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.multilingual import MultilingualText
from spacebridge.groups.models import WorkingGroup
from spacebridge.parties.models import Party
from spacebridge.records.selectors import records_visible

router = Router(tags=["agreements"])

NO_SUCH_AGREEMENT = gettext_lazy("There is no agreement with this reference.")


class AgreementFilters(Schema):
    status: str = ""
    type: str = ""
    party: str = ""
    cursor: str | None = None
    limit: int = 50


def _party(code: str, field: str) -> Party:
    party = Party.objects.filter(code=str(code).strip().lower()[:40]).first()
    if party is None:
        raise ValidationError({field: _("There is no party “%(code)s”.") % {"code": code}})
    return party


def _load(request: HttpRequest, reference: str) -> Agreement:
    return selectors.agreement_get_for_user(user=request.auth, reference=reference)


def _summary(agreement: Agreement, request: HttpRequest) -> dict[str, Any]:
    return {
        "reference": agreement.reference,
        "type": agreement.type,
        "status": agreement.status,
        "title": agreement.title.to_json(),
        "parties": [ap.party.code for ap in agreement.parties.all()],
        "implementation": selectors.implementation_status(agreement),
        "expires_on": agreement.expires_on,
        "url": request.build_absolute_uri(reverse("agreements:detail", args=[agreement.reference])),
    }


def _signature(check: dict[str, Any]) -> dict[str, Any]:
    s = check["signature"]
    return {
        "kind": s.kind,
        "signed_by": s.signed_by,
        "signed_at": s.signed_at,
        "place": s.place,
        "key_fingerprint": s.key.fingerprint if s.key else None,
        "signature": s.value or None,
        "valid": check["valid"],
        "scan_sha256": s.scan.sha256 if s.scan else None,
    }


def _commitment(commitment: Any, visible_records: set[int]) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "article": commitment.article_key,
        "passage": commitment.passage.to_json(),
        "responsible_parties": [p.code for p in commitment.responsible_parties.all()],
        "due_on": commitment.due_on,
        "recurrence": commitment.recurrence,
        "state": commitment.state,
        "status": selectors.commitment_status(commitment),
        "groups": [g.acronym for g in commitment.groups.all()],
        "records": [r.reference for r in commitment.records.all() if r.pk in visible_records],
    }


def agreement_out(agreement: Agreement, request: HttpRequest) -> dict[str, Any]:
    agreement = _load(request, agreement.reference)  # fresh, with its parties and signatures
    commitments = list(selectors.commitments_of(agreement))
    record_ids = {r.pk for c in commitments for r in c.records.all()}
    visible = set(records_visible(user=request.auth).filter(pk__in=record_ids).values_list("pk", flat=True))
    related = selectors.agreements_visible(user=request.auth, queryset=agreement.related.all())
    has_texts = agreement.texts.exists()
    return _summary(agreement, request) | {
        "lead_party": agreement.lead_party.code,
        "entry_into_force": agreement.entry_into_force,
        "entry_into_force_on": agreement.entry_into_force_on,
        "in_force_since": agreement.in_force_since,
        "term_months": agreement.term_months,
        "notice_days": agreement.notice_days,
        "notice_deadline": agreement.notice_deadline(),
        "automatic_renewal": agreement.automatic_renewal,
        "renewal_term_months": agreement.renewal_term_months,
        "amends": agreement.amends.reference if agreement.amends else None,
        "superseded_by": agreement.superseded_by.reference if agreement.superseded_by else None,
        "related": [a.reference for a in related],
        "allowed_transitions": agreement.allowed_transitions(),
        "canonical_hash": selectors.agreement_hash(agreement) if has_texts else None,
        "party_details": [
            {
                "code": row["party"].party.code,
                "name": row["party"].party.name.get(),
                "signed_on": row["party"].signed_on,
                "signed_place": row["party"].signed_place,
                "signatories": [
                    {"name": s.name, "title": s.title, "authority": s.authority} for s in row["party"].signatories.all()
                ],
                "signatures": [_signature(check) for check in row["signatures"]],
            }
            for row in selectors.signature_state(agreement)
        ],
        "texts": [
            {
                "language": s.text.language,
                "version": s.version.number,
                "kind": s.version.kind,
                "sha256": s.version.sha256,
                "out_of_step": s.out_of_step,
                "articles": s.version.articles.count(),
            }
            for s in selectors.text_states(agreement)
            if s.version
        ],
        "commitments": [_commitment(c, visible) for c in commitments],
    }


@router.get("/", response={200: AgreementPage, **PROBLEMS}, summary="List agreements")
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]) -> dict[str, Any]:
    if not 1 <= filters.limit <= 200:
        raise ValidationError({"limit": _("Ask for between 1 and %(most)d items.") % {"most": 200}})
    agreements = selectors.agreement_list(
        user=request.auth, status=filters.status[:20], type=filters.type[:20], party=filters.party[:40]
    )
    rows, next_cursor = keyset_page(agreements, cursor=filters.cursor, limit=filters.limit)
    return {"items": [_summary(a, request) for a in rows], "next_cursor": next_cursor}


@router.post("/", response={201: AgreementOut, **PROBLEMS}, summary="Draft an agreement")
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Status:
    user = require_member(request)
    title = MultilingualText(dict(payload.title), next(iter(payload.title), ""))
    parties = [_party(code, "parties") for code in payload.parties[:50]]
    terms = payload.dict(exclude={"type", "title", "lead_party", "parties"})
    agreement = services.agreement_create(
        by=user,
        type=payload.type,
        title=title,
        lead_party=_party(payload.lead_party, "lead_party"),
        parties=parties,
        **terms,
    )
    return Status(201, agreement_out(agreement, request))


@router.post("/keys", response={201: KeyOut, **PROBLEMS}, summary="Register a party's Ed25519 public key")
def key_register(request: HttpRequest, payload: KeyIn) -> Status:
    user = require_member(request)
    key = signatures.party_key_register(
        party=_party(payload.party, "party"), by=user, public_key=payload.public_key, label=payload.label
    )
    return Status(
        201,
        {
            "party": key.party.code,
            "fingerprint": key.fingerprint,
            "label": key.label,
            "registered_at": key.registered_at,
        },
    )


@router.get("/{reference}", response={200: AgreementOut, **PROBLEMS}, summary="One agreement")
def agreement_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return agreement_out(_load(request, reference), request)


@router.post("/{reference}/status", response={200: AgreementOut, **PROBLEMS}, summary="Move along the status machine")
def agreement_transition(request: HttpRequest, reference: str, payload: TransitionIn) -> dict[str, Any]:
    user = require_member(request)
    agreement = _load(request, reference)
    superseded_by = None
    if payload.superseded_by:
        superseded_by = selectors.agreements_visible(user=user).filter(reference=payload.superseded_by[:20]).first()
        if superseded_by is None:
            raise ValidationError({"superseded_by": str(NO_SUCH_AGREEMENT)})
    services.agreement_transition(
        agreement=agreement,
        by=user,
        to=payload.status,
        on=payload.on,
        reason=payload.reason,
        superseded_by=superseded_by,
    )
    return agreement_out(agreement, request)


@router.get("/{reference}/texts/{language}", response={200: TextOut, **PROBLEMS}, summary="A text's current version")
def text_detail(request: HttpRequest, reference: str, language: str, version: int | None = None) -> dict[str, Any]:
    agreement = _load(request, reference)
    versions = TextVersion.objects.filter(text__agreement=agreement, text__language=language[:10])
    if version is not None and not 1 <= version <= 10**6:
        raise Http404
    found = versions.filter(number=version).first() if version else versions.order_by("-number").first()
    if found is None:
        raise Http404
    return {
        "language": language,
        "version": found.number,
        "kind": found.kind,
        "sha256": found.sha256,
        "note": found.note,
        "created_at": found.created_at,
        "body": found.body,
        "articles": [
            {"key": a.key, "label": a.label, "heading": a.heading, "paragraphs": a.paragraphs}
            for a in found.articles.all()
        ],
    }


@router.post("/{reference}/texts", response={201: AgreementOut, **PROBLEMS}, summary="Add a text version")
def text_add(request: HttpRequest, reference: str, payload: TextIn) -> Status:
    user = require_member(request)
    agreement = _load(request, reference)
    services.text_version_add(
        agreement=agreement,
        by=user,
        language=payload.language[:10],
        body=payload.body,
        kind=payload.kind,
        note=payload.note,
    )
    return Status(201, agreement_out(agreement, request))


@router.post(
    "/{reference}/texts/{language}/confirm",
    response={200: AgreementOut, **PROBLEMS},
    summary="Confirm a language in step with the others",
)
def text_confirm(request: HttpRequest, reference: str, language: str) -> dict[str, Any]:
    user = require_member(request)
    agreement = _load(request, reference)
    text = agreement.texts.filter(language=language[:10]).first()
    if text is None:
        raise Http404
    services.text_confirm(text=text, by=user)
    return agreement_out(agreement, request)


@router.post(
    "/{reference}/signatures",
    response={201: AgreementOut, **PROBLEMS},
    summary="Sign for a party with a detached Ed25519 signature of the canonical hash",
)
def signature_add(request: HttpRequest, reference: str, payload: SignatureIn) -> Status:
    user = require_member(request)
    agreement = _load(request, reference)
    agreement_party = agreement.parties.filter(party__code=payload.party.strip().lower()[:40]).first()
    if agreement_party is None:
        raise ValidationError({"party": _("Choose one of the agreement's parties.")})
    signatures.signature_add_digital(
        agreement_party=agreement_party, by=user, signature=payload.signature, place=payload.place
    )
    return Status(201, agreement_out(agreement, request))


@router.post("/{reference}/commitments", response={201: CommitmentOut, **PROBLEMS}, summary="Mark a commitment")
def commitment_create(request: HttpRequest, reference: str, payload: CommitmentIn) -> Status:
    user = require_member(request)
    agreement = _load(request, reference)
    records = list(records_visible(user=user).filter(reference__in=payload.records[:50]))
    if len(records) != len(set(payload.records[:50])):
        raise ValidationError({"records": _("Link only records you can see.")})
    groups = list(WorkingGroup.objects.filter(acronym__in=payload.groups[:20]))
    if len(groups) != len(set(payload.groups[:20])):
        raise ValidationError({"groups": _("There is no such working group.")})
    passage = MultilingualText(dict(payload.passage), next(iter(payload.passage), ""))
    commitment = commitment_services.commitment_create(
        agreement=agreement,
        by=user,
        article_key=payload.article[:20],
        passage=passage,
        responsible_parties=[_party(c, "responsible_parties") for c in payload.responsible_parties[:50]],
        due_on=payload.due_on,
        recurrence=payload.recurrence,
        groups=groups,
        records=records,
    )
    return Status(201, _commitment(commitment, {r.pk for r in records}))


@router.post(
    "/{reference}/commitments/{commitment_id}/state",
    response={200: CommitmentOut, **PROBLEMS},
    summary="Change a commitment's status",
)
def commitment_state(request: HttpRequest, reference: str, commitment_id: int, payload: CommitmentStateIn) -> Any:
    user = require_member(request)
    agreement = _load(request, reference)
    if not 1 <= commitment_id <= 2**62:
        raise Http404
    commitment = agreement.commitments.filter(pk=commitment_id).first()
    if commitment is None:
        raise Http404
    commitment = commitment_services.commitment_set_state(commitment=commitment, by=user, state=payload.state)
    visible = set(
        records_visible(user=user).filter(pk__in=commitment.records.values("pk")).values_list("pk", flat=True)
    )
    return _commitment(commitment, visible)
