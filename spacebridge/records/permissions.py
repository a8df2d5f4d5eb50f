"""Who may do what with records. Reading is the access policy's business (``access.policy``)."""

from __future__ import annotations

from typing import Any

from spacebridge.parties.permissions import Perm, has_perm
from spacebridge.records.models import Record


def can_submit_for(user: Any, party: Any) -> bool:
    return has_perm(user, Perm.RECORD_SUBMIT, party)


def can_edit_record(user: Any, record: Record) -> bool:
    """The owner party's liaison officers, and the member of the owner party who created the record."""
    if has_perm(user, Perm.RELEASE_DECIDE, record.owner_party):
        return True
    return record.created_by_id == getattr(user, "pk", None) and has_perm(user, Perm.RECORD_SUBMIT, record.owner_party)


def can_decide_release(user: Any, record: Record) -> bool:
    return has_perm(user, Perm.RELEASE_DECIDE, record.owner_party)


def can_approve_export(user: Any, record: Record) -> bool:
    return has_perm(user, Perm.RELEASE_APPROVE_EXPORT, record.owner_party)
