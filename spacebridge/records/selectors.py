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


# ------------------------------------------------------------------------------------------------------------------
# Access requests on the registry's pages: each side's own list, and the figures of the transparency page.
# ------------------------------------------------------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402
from datetime import timedelta  # noqa: E402
from statistics import median  # noqa: E402


def access_requests_made(*, party_ids: set[int] | frozenset[int]) -> QuerySet[AccessRequest]:
    """The requests the given parties made (the requester's "my access requests")."""
    return (
        AccessRequest.objects.filter(requester_party_id__in=party_ids)
        .select_related("record", "record__owner_party", "requester_party", "requester", "decided_by")
        .order_by("-id")
    )


def access_requests_received(*, party_ids: set[int] | frozenset[int]) -> QuerySet[AccessRequest]:
    """The requests for records the given parties own (the owner's "requests to my party")."""
    return (
        AccessRequest.objects.filter(record__owner_party_id__in=party_ids)
        .select_related("record", "record__owner_party", "requester_party", "requester", "decided_by")
        .order_by("-id")
    )


def access_requests_all() -> QuerySet[AccessRequest]:
    """Every request, for the transparency page; the page shows a record's reference only to those who see it."""
    return AccessRequest.objects.select_related("record__owner_party", "requester_party").order_by("-id")


@dataclass
class PartyFigures:
    party: Any
    received: int = 0
    granted: int = 0
    refused: int = 0
    pending: int = 0
    withdrawn: int = 0
    durations: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def median_time_to_decision(self) -> timedelta | None:
        return median(self.durations) if self.durations else None


def access_request_figures(*, side: str) -> list[PartyFigures]:
    """Requests received, granted, refused, pending and the median time to a decision, per owner party
    (``side="owner"``) or per requesting party (``side="requester"``), busiest first."""
    from spacebridge.parties.models import Party

    column = "record__owner_party_id" if side == "owner" else "requester_party_id"
    figures: dict[int, PartyFigures] = {}
    rows = AccessRequest.objects.values_list(column, "status", "created_at", "decided_at").iterator(chunk_size=2000)
    for party_id, status, created_at, decided_at in rows:
        entry = figures.setdefault(party_id, PartyFigures(party=None))
        entry.received += 1
        setattr(entry, status, getattr(entry, status) + 1)
        if status in {AccessRequest.Status.GRANTED, AccessRequest.Status.REFUSED} and decided_at:
            entry.durations.append(decided_at - created_at)
    for party in Party.objects.filter(pk__in=figures):
        figures[party.pk].party = party
    return sorted(figures.values(), key=lambda f: (-f.received, str(f.party and f.party.short_name)))
