from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from spacebridge.audit.schemas import ChainOut
from spacebridge.audit.selectors import audit_count, audit_head, audit_verify
from spacebridge.core.api import PROBLEMS, require_member

router = Router(tags=["audit"])


@router.get("/chain", response={200: ChainOut, **PROBLEMS}, summary="State of the audit chain")
def chain(request: HttpRequest, verify: bool = False) -> dict[str, Any]:
    """The head of the hash chain (note it down to check later that history was not rewritten); with
    `verify=true` the whole chain is recomputed and the first broken entry named."""
    require_member(request)
    head = audit_head()
    result: dict[str, Any] = {
        "entries": audit_count(),
        "head_id": head.id if head else None,
        "head_hash": head.hash if head else None,
        "head_at": head.at if head else None,
        "intact": None,
    }
    if verify:
        report = audit_verify()
        result.update(
            intact=report.ok, broken_entry=report.broken_entry.id if report.broken_entry else None, reason=report.reason
        )
    return result
