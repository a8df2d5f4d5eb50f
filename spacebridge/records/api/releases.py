"""Release decisions: the owner party decides who sees a record; its export officer approves a dual-use release;
every decision is listed on the record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from spacebridge.access.explain import explain
from spacebridge.core.api import PROBLEMS, require_member
from spacebridge.records import services
from spacebridge.records.api.fields import aware, delegations, parties_named, working_group
from spacebridge.records.api.records import person_name, record_for
from spacebridge.records.models import ReleaseDecision
from spacebridge.records.schemas import ExportApprovalIn, ReleaseDecisionList, ReleaseDecisionResult, ReleaseIn

router = Router()


def _decision_out(decision: ReleaseDecision) -> dict[str, Any]:
    audience = decision.audience
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "decided_at": decision.decided_at,
        "decided_by": person_name(decision.decided_by),
        "audience": {
            "level": audience.get("level", ""),
            "parties": audience.get("parties", []),
            "delegations": audience.get("delegations", []),
            "group": audience.get("group"),
            "marking": audience.get("marking", ""),
            "legal_basis": audience.get("legal_basis", ""),
            "embargo_until": audience.get("embargo_until"),
        },
        "reason": decision.reason,
    }


@router.post("/{reference}/release", response={200: ReleaseDecisionResult, **PROBLEMS}, summary="Decide the release")
def record_release(request: HttpRequest, reference: str, payload: ReleaseIn) -> dict[str, Any]:
    user = require_member(request)
    record = record_for(request, reference)
    parties = parties_named(payload.parties, request, "parties")
    decision = services.record_release(
        record=record,
        by=user,
        level=payload.level,
        parties=[parties[code] for code in dict.fromkeys(payload.parties)],
        countries=delegations(payload.delegations),
        group=working_group(payload.group, request),
        marking=payload.marking,
        legal_basis=payload.legal_basis,
        embargo_until=aware(payload.embargo_until),
        reason=payload.reason,
    )
    return {**_decision_out(decision), "who_can_see": explain(record, user)}


@router.post(
    "/{reference}/release/approve",
    response={200: ReleaseDecisionResult, **PROBLEMS},
    summary="Approve a dual-use release (the owner party's export officer)",
)
def record_release_approve(request: HttpRequest, reference: str, payload: ExportApprovalIn) -> dict[str, Any]:
    user = require_member(request)
    record = record_for(request, reference)
    decision = services.record_approve_export(record=record, by=user, note=payload.note)
    return {**_decision_out(decision), "who_can_see": explain(record, user)}


@router.get(
    "/{reference}/release-decisions", response={200: ReleaseDecisionList, **PROBLEMS}, summary="Release decisions"
)
def release_decision_list(request: HttpRequest, reference: str) -> dict[str, Any]:
    record = record_for(request, reference)
    decisions = record.release_decisions.select_related("decided_by__person").order_by("-decided_at", "-pk")
    return {
        "reference": record.reference,
        "items": [_decision_out(d) for d in decisions],
        "who_can_see": explain(record, request.auth),
    }
