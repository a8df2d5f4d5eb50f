"""Who may decide and approve releases: the owner party's officers, checked through the declared permissions."""

from __future__ import annotations

from typing import Any

from django.db import models

from spacebridge.access.policy import awaiting_export_approval, policy_of
from spacebridge.access.registry import released
from spacebridge.parties.models import Party
from spacebridge.parties.permissions import Perm, has_perm


def owner_party_of(obj: models.Model) -> Party | None:
    policy = policy_of(obj)
    if policy is not None and policy.owner_party is not None:
        return policy.owner_party
    entry = released(type(obj))
    return entry.default_owner(obj) if entry.default_owner else None  # type: ignore[return-value]


def can_decide_release(user: Any, obj: models.Model) -> bool:
    return has_perm(user, Perm.RELEASE_DECIDE, owner_party_of(obj))


def can_approve_export(user: Any, obj: models.Model) -> bool:
    policy = policy_of(obj)
    return bool(
        policy
        and awaiting_export_approval(policy)
        and has_perm(user, Perm.RELEASE_APPROVE_EXPORT, policy.owner_party)
    )
