"""Who may do what with news: the secretariat and a party's liaison officers write news; only a party's liaison
officers approve a joint announcement for that party. Declared here, granted to roles by migration 0002."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from spacebridge.parties.permissions import has_perm


class NewsPerm(StrEnum):
    NEWS_EDIT = "news:edit"
    ANNOUNCEMENT_APPROVE = "announcement:approve"


def can_write_news(user: Any, party: Any = None) -> bool:
    """Write news: for no party in particular (the secretariat), or for ``party`` (its liaison officers too)."""
    return has_perm(user, NewsPerm.NEWS_EDIT, party)  # type: ignore[arg-type]


def can_edit_news(user: Any, item: Any) -> bool:
    if has_perm(user, NewsPerm.NEWS_EDIT):  # type: ignore[arg-type]
        return True
    parties = [item.issuing_party] if item.issuing_party_id else []
    parties += [a.party for a in item.approvals.all()]
    return any(has_perm(user, NewsPerm.NEWS_EDIT, party) for party in parties)  # type: ignore[arg-type]


def can_approve_for(user: Any, party: Any) -> bool:
    return has_perm(user, NewsPerm.ANNOUNCEMENT_APPROVE, party)  # type: ignore[arg-type]
