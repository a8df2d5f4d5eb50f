"""Access requests: ask for a record one may not see (answered alike whether or not it exists), follow one's
requests, and the owner party's decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from spacebridge.access.principals import principal_for
from spacebridge.core.api import PROBLEMS, keyset_page, require_member
from spacebridge.core.errors import NotFound
from spacebridge.records import selectors, services
from spacebridge.records.api.fields import party_named
from spacebridge.records.api.records import limit_of, person_name
from spacebridge.records.models import AccessRequest
from spacebridge.records.schemas import (
    BIGGEST_ID,
    AccessRequestAccepted,
    AccessRequestDecisionIn,
    AccessRequestIn,
    AccessRequestOut,
    AccessRequestPage,
)

router = Router()


class AccessRequestFilters(Schema):
    status: str = ""
    cursor: str | None = None
    limit: int = 50


def _access_request_out(access_request: AccessRequest, request: HttpRequest) -> dict[str, Any]:
    own = principal_for(request.auth).own_party_ids
    sent = access_request.requester_id == request.auth.pk or access_request.requester_party_id in own
    return {
        "id": access_request.pk,
        "reference": access_request.record_reference,
        "direction": "sent" if sent else "received",
        "requester_party": access_request.requester_party.code,
        "requested_by": person_name(access_request.requester),
        "justification": access_request.justification,
        "status": access_request.status,
        "created_at": access_request.created_at,
        "decided_at": access_request.decided_at,
        "decision_reason": access_request.decision_reason,
    }


@router.get("/access-requests/", response={200: AccessRequestPage, **PROBLEMS}, summary="Access requests you follow")
def access_request_list(request: HttpRequest, filters: Query[AccessRequestFilters]) -> dict[str, Any]:
    user = require_member(request)
    if filters.status and filters.status not in AccessRequest.Status.values:
        raise ValidationError({"status": _("Choose pending, granted, refused or withdrawn.")})
    requests = selectors.access_requests_followed(user=user)
    if filters.status:
        requests = requests.filter(status=filters.status)
    rows, next_cursor = keyset_page(requests, cursor=filters.cursor, limit=limit_of(filters.limit))
    return {"items": [_access_request_out(r, request) for r in rows], "next_cursor": next_cursor}


@router.post(
    "/access-requests/",
    response={202: AccessRequestAccepted, **PROBLEMS},
    summary="Ask for a record you may not see",
    description="The answer is the same whether or not the reference names a record that can be asked for, so "
    "asking reveals nothing; the owner party answers requests it receives.",
)
def access_request_create(request: HttpRequest, payload: AccessRequestIn) -> Status:
    user = require_member(request)
    party = party_named(payload.party, request)
    services.access_request_submit(
        reference=payload.reference, by=user, party=party, justification=payload.justification
    )
    detail = _("Your request is noted. If the record exists and can be asked for, its owner party will answer.")
    return Status(202, {"detail": detail})


@router.post(
    "/access-requests/{int:request_id}/decision",
    response={200: AccessRequestOut, **PROBLEMS},
    summary="Grant or refuse an access request (the owner party's liaison officers)",
)
def access_request_decide(request: HttpRequest, request_id: int, payload: AccessRequestDecisionIn) -> dict[str, Any]:
    user = require_member(request)
    followed = selectors.access_requests_followed(user=user)
    access_request = followed.filter(pk=request_id).first() if request_id <= BIGGEST_ID else None
    if access_request is None:
        raise NotFound(_("There is no such object, or you may not see it."))
    services.access_request_answer(request=access_request, by=user, grant=payload.grant, reason=payload.reason)
    return _access_request_out(followed.get(pk=request_id), request)
