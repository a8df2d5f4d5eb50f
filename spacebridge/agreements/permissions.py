"""Who may do what with agreements. Seeing one is the selectors' business (the access policy plus the parties'
officers for drafts); these are the write rules, in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from spacebridge.parties.models import Party
from spacebridge.parties.permissions import has_perm


class AgreementPerm(StrEnum):
    # The secretariat: create agreements for any parties, move them through their statuses, follow commitments.
    MANAGE = "agreement:manage"
    # A party's officers: see its unsigned agreements, work on their texts, record signatures.
    NEGOTIATE = "agreement:negotiate"
    # Register the party's public keys and sign for it.
    SIGN = "agreement:sign"


PERM_LABELS = {
    AgreementPerm.MANAGE: _("manage agreements"),
    AgreementPerm.NEGOTIATE: _("negotiate agreements for a party"),
    AgreementPerm.SIGN: _("sign agreements for a party"),
}


def can_manage(user: Any) -> bool:
    return has_perm(user, AgreementPerm.MANAGE)  # type: ignore[arg-type]


def is_officer_of(user: Any, party: Party) -> bool:
    return has_perm(user, AgreementPerm.NEGOTIATE, party)  # type: ignore[arg-type]


def can_create_for(user: Any, party: Party) -> bool:
    return can_manage(user) or is_officer_of(user, party)


def can_negotiate(user: Any, agreement: Any) -> bool:
    """Work on the texts, parties and terms: the secretariat, or an officer of one of the parties."""
    if can_manage(user):
        return True
    return any(is_officer_of(user, ap.party) for ap in agreement.parties.all())


def can_sign_for(user: Any, party: Party) -> bool:
    return has_perm(user, AgreementPerm.SIGN, party)  # type: ignore[arg-type]


def can_record_signature(user: Any, party: Party) -> bool:
    return can_manage(user) or can_sign_for(user, party)
