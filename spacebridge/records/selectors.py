"""Reads of the exchange registry; every one goes through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from spacebridge.access.policy import visible
from spacebridge.access.principals import principal_for
from spacebridge.records.models import AccessRequest, Record


def records_visible(*, user: Any, queryset: QuerySet[Record] | None = None) -> QuerySet[Record]:
    """The records ``user`` may see: released to them and published (or withdrawn: a tombstone), or their own
    party's drafts. Lists, search, feeds, exports, OAI-PMH, API and files all start here."""
    principal = principal_for(user)
    records = visible(queryset if queryset is not None else Record.objects.all(), user)
    return records.filter(~Q(status=Record.Status.DRAFT) | Q(owner_party_id__in=principal.own_party_ids))


def record_list(
    *,
    user: Any,
    type: str = "",
    party: str = "",
    country: str = "",
    status: str = "",
    subject: str = "",
    year: int | None = None,
    language: str = "",
) -> QuerySet[Record]:
    records = records_visible(user=user).select_related("type", "owner_party")
    if type:
        records = records.filter(type__code=type)
    if party:
        records = records.filter(owner_party__code=party)
    if country:
        records = records.filter(owner_party__country=country.upper())
    if status:
        records = records.filter(status=status)
    else:
        records = records.exclude(status=Record.Status.WITHDRAWN)
    if subject:
        records = records.filter(subjects__code=subject)
    if year:
        records = records.filter(published_on__year=year)
    if language:
        records = records.filter(title__text__has_key=language)
    return records


def record_get_for_user(*, user: Any, reference: str) -> Record:
    """Fetch and authorise in one call: a record the user may not see is a 404, like a missing one."""
    record = (
        records_visible(user=user)
        .select_related("type", "owner_party", "created_by")
        .filter(reference=reference.upper()[:20])
        .first()
    )
    if record is None:
        raise Http404
    return record


def access_requests_for_party(*, party_ids: set[int]) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(
        Q(record__owner_party_id__in=party_ids) | Q(requester_party_id__in=party_ids)
    ).select_related("record", "requester_party", "record__owner_party")
