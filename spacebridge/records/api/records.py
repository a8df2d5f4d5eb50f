"""Records: list, share, read, change, publish and withdraw; and how a record is shown, for every part of the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from spacebridge.access.explain import explain
from spacebridge.access.policy import prefetch_policies
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.records import selectors, services
from spacebridge.records.api.fields import party_named, record_fields
from spacebridge.records.models import Record
from spacebridge.records.schemas import PublishIn, RecordIn, RecordOut, RecordPage, RecordPatch, Tombstone, WithdrawIn

router = Router()

GONE = {410: Tombstone}


def limit_of(value: int, most: int = 200) -> int:
    if not 1 <= value <= most:
        raise ValidationError({"limit": _("Ask for between 1 and %(most)d items.") % {"most": most}})
    return value


def page_url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"records:{name}", args=args))


def person_name(user: Any) -> str | None:
    if user is None:
        return None
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return person.display_name() if person is not None else user.get_username()


def record_for(request: HttpRequest, reference: str) -> Record:
    """Fetch and authorise: a record the caller may not see is a 404."""
    return selectors.record_get_for_user(user=request.auth, reference=reference)


def tombstone(request: HttpRequest, record: Record) -> JsonResponse:
    """410 Gone: what remains of a withdrawn record, as problem details."""
    body = {
        "type": "about:blank",
        "title": _("Withdrawn"),
        "status": 410,
        "detail": _("%(reference)s was withdrawn: %(reason)s")
        % {"reference": record.reference, "reason": record.withdrawal_reason},
        "instance": request.path,
        "reference": record.reference,
        "withdrawn_at": record.withdrawn_at.isoformat() if record.withdrawn_at else None,
        "reason": record.withdrawal_reason,
    }
    return JsonResponse(
        body, status=410, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False}
    )


def records_out(records: list[Record], request: HttpRequest) -> list[dict[str, Any]]:
    """Each record as its viewer sees it: the owner party its working copy, everyone else the published version."""
    seen = selectors.record_metadata_seen(user=request.auth, records=records)
    prefetch_policies(records)  # "who can see it" of every record: two queries, not two per record
    return [_record_out(record, *seen[record.pk], request) for record in records]


def record_out(record: Record, request: HttpRequest) -> dict[str, Any]:
    return records_out([record], request)[0]


def _record_out(record: Record, metadata: dict[str, Any], working: bool, request: HttpRequest) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "type": metadata["type"],
        "owner_party": metadata["owner_party"],
        "status": record.status,
        "version": record.version,
        "working_copy": working,
        "has_unpublished_changes": record.has_unpublished_changes if working else None,
        **{field: metadata[field] for field in ("title", "abstract", "keywords", "published_on", "licence")},
        **{field: metadata[field] for field in ("subjects", "contributors", "identifiers", "related")},
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "first_published_at": record.first_published_at,
        "withdrawn_at": record.withdrawn_at,
        "withdrawal_reason": record.withdrawal_reason,
        "url": page_url(request, "detail", record.reference),
        "who_can_see": explain(record, request.auth),
    }


class RecordFilters(Schema):
    type: str = ""
    party: str = ""
    country: str = ""
    subject: str = ""
    year: int | None = None
    language: str = ""
    status: str = ""
    cursor: str | None = None
    limit: int = 50


def records_filtered(filters: RecordFilters, request: HttpRequest) -> QuerySet[Record]:
    if filters.status and filters.status not in Record.Status.values:
        raise ValidationError({"status": _("Choose draft, published or withdrawn.")})
    if filters.year is not None and not 1 <= filters.year <= 9999:
        raise ValidationError({"year": _("Give a year between 1 and 9999.")})
    return selectors.record_list(
        user=request.auth,
        type=filters.type[:40],
        party=filters.party[:40],
        country=filters.country[:2],
        status=filters.status,
        subject=filters.subject[:60],
        year=filters.year,
        language=filters.language[:12],
    )


@router.get("/", response={200: RecordPage, **PROBLEMS}, summary="List records")
def record_list(request: HttpRequest, filters: Query[RecordFilters]) -> dict[str, Any]:
    records = records_filtered(filters, request)
    rows, next_cursor = keyset_page(records, cursor=filters.cursor, limit=limit_of(filters.limit))
    return {"items": records_out(rows, request), "next_cursor": next_cursor}


@router.post("/", response={201: RecordOut, **PROBLEMS}, summary="Share a record (a draft of your party)")
def record_create(request: HttpRequest, payload: RecordIn) -> Status:
    user = require_member(request)
    owner = party_named(payload.owner_party, request, "owner_party")
    record = services.record_create(by=user, owner_party=owner, **record_fields(payload, request, partial=False))
    return Status(201, record_out(record, request))


@router.get("/{reference}", response={200: RecordOut, **GONE, **PROBLEMS}, summary="One record")
def record_detail(request: HttpRequest, reference: str) -> Any:
    record = record_for(request, reference)
    if record.status == Record.Status.WITHDRAWN:
        return tombstone(request, record)
    return record_out(record, request)


@router.patch("/{reference}", response={200: RecordOut, **PROBLEMS}, summary="Change a record's working copy")
def record_update(request: HttpRequest, reference: str, payload: RecordPatch) -> dict[str, Any]:
    user = require_member(request)
    record = record_for(request, reference)
    record = services.record_update(record=record, by=user, **record_fields(payload, request, partial=True))
    return record_out(record, request)


@router.post("/{reference}/publish", response={200: RecordOut, **PROBLEMS}, summary="Publish the next version")
def record_publish(request: HttpRequest, reference: str, payload: PublishIn) -> dict[str, Any]:
    user = require_member(request)
    record = record_for(request, reference)
    services.record_publish(record=record, by=user, note=payload.note)
    record.refresh_from_db()  # the service published a fresh copy of the row
    return record_out(record, request)


@router.post("/{reference}/withdraw", response={200: RecordOut, **PROBLEMS}, summary="Withdraw a record")
def record_withdraw(request: HttpRequest, reference: str, payload: WithdrawIn) -> dict[str, Any]:
    user = require_member(request)
    record = services.record_withdraw(record=record_for(request, reference), by=user, reason=payload.reason)
    return record_out(record, request)
