"""Reads of the exchange registry; every one goes through the access policy."""

from __future__ import annotations

import re
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
    records = queryset if queryset is not None else Record.objects.all()
    own = Q(owner_party_id__in=principal.own_party_ids)
    # The owner party sees its records before any release decision too: a record without a policy is the owner's.
    records = visible(records, user) | records.filter(own)
    return records.filter(~Q(status=Record.Status.DRAFT) | own)


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
        records = records.filter(_as_read(user, Q(type__code=type), metadata__type=type))
    if party:
        records = records.filter(owner_party__code=party)
    if country:
        records = records.filter(owner_party__country=country.upper())
    if status:
        records = records.filter(status=status)
    else:
        records = records.exclude(status=Record.Status.WITHDRAWN)
    if subject:
        tagged = Q(pk__in=Record.subjects.through.objects.filter(concept__code=subject).values("record_id"))
        # The published subjects are a JSON list of codes: one quoted code matches one element exactly.
        records = records.filter(_as_read(user, tagged, metadata__subjects__regex=f'"{re.escape(subject)}"'))
    if year:
        records = records.filter(
            _as_read(user, Q(published_on__year=year), metadata__published_on__startswith=f"{year:04d}-")
        )
    if language:
        records = records.filter(
            _as_read(user, Q(title__text__has_key=language), metadata__title__text__has_key=language)
        )
    return records


def _as_read(user: Any, working: Q, **published: Any) -> Q:
    """A list filter on what ``user`` reads of each record: the working copy of their own parties' records (and of
    records without unpublished changes, where both are the same), the last published version of the others, so
    that filtering never tells anyone what a working copy holds."""
    from django.db.models import Exists, OuterRef

    current = Q(owner_party_id__in=principal_for(user).own_party_ids) | Q(has_unpublished_changes=False)
    as_published = Exists(RecordVersion.objects.filter(record=OuterRef("pk"), number=OuterRef("version"), **published))
    return (current & working) | (~current & as_published)


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


def _transparent(requests: QuerySet[AccessRequest], user: Any) -> QuerySet[AccessRequest]:
    """The requests the transparency figures and log show ``user``: those that reached an owner party, less the
    still-pending requests of the user's own parties for records the user may not see. Until the owner party
    answers, nothing there (no row, no count) changes with whether a reference the user's party asked for exists."""
    requests = requests.filter(record__isnull=False)
    own = principal_for(user).own_party_ids if user is not None else frozenset()
    if own:
        unanswered = Q(requester_party_id__in=own, status=AccessRequest.Status.PENDING)
        requests = requests.exclude(unanswered & ~Q(record__in=records_visible(user=user).values("pk")))
    return requests


def access_requests_all(*, user: Any = None) -> QuerySet[AccessRequest]:
    """Every request, for the transparency page; the page shows a record's reference only to those who see it."""
    requests = _transparent(AccessRequest.objects.all(), user)
    return requests.select_related("record__owner_party", "requester_party").order_by("-id")


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


def access_request_figures(*, side: str, user: Any = None) -> list[PartyFigures]:
    """Requests received, granted, refused, pending and the median time to a decision, per owner party
    (``side="owner"``) or per requesting party (``side="requester"``), busiest first, as ``user`` may read them
    (see ``_transparent``)."""
    from spacebridge.parties.models import Party

    column = "record__owner_party_id" if side == "owner" else "requester_party_id"
    figures: dict[int, PartyFigures] = {}
    requests = _transparent(AccessRequest.objects.all(), user)
    rows = requests.values_list(column, "status", "created_at", "decided_at").iterator(chunk_size=2000)
    for party_id, status, created_at, decided_at in rows:
        entry = figures.setdefault(party_id, PartyFigures(party=None))
        entry.received += 1
        setattr(entry, status, getattr(entry, status) + 1)
        if status in {AccessRequest.Status.GRANTED, AccessRequest.Status.REFUSED} and decided_at:
            entry.durations.append(decided_at - created_at)
    for party in Party.objects.filter(pk__in=figures):
        figures[party.pk].party = party
    return sorted(figures.values(), key=lambda f: (-f.received, str(f.party and f.party.short_name)))


# ------------------------------------------------------------------------------------------------------------------
# The records API: what a record shows its viewer, the access requests a member follows, the thesaurus.
# ------------------------------------------------------------------------------------------------------------------

from spacebridge.access.policy import visible as _visible  # noqa: E402
from spacebridge.core.multilingual import MultilingualText  # noqa: E402
from spacebridge.records.metadata import records_metadata  # noqa: E402
from spacebridge.records.models import Concept, RecordVersion  # noqa: E402


def record_metadata_seen(*, user: Any, records: list[Record]) -> dict[int, tuple[dict[str, Any], bool]]:
    """What each record (already taken from ``records_visible``) shows ``user``: ``{pk: (metadata, working copy?)}``.
    The owner party sees its working copy; everyone else the last published version, so edits stay with the owner
    until they are published. Related records the user may not see are left out: a reference is information too."""
    own = principal_for(user).own_party_ids
    working = records_metadata(r for r in records if r.owner_party_id in own or not r.version)
    seen = {pk: (metadata, True) for pk, metadata in working.items()}
    published = Q(pk__in=[])
    for record in records:
        if record.pk not in seen:
            published |= Q(record_id=record.pk, number=record.version)
    for record_id, metadata in RecordVersion.objects.filter(published).values_list("record_id", "metadata"):
        seen[record_id] = (metadata, False)
    related = {link["reference"] for metadata, _working in seen.values() for link in metadata.get("related", [])}
    if related:
        visible_refs = set(records_visible(user=user).filter(reference__in=related).values_list("reference", flat=True))
        for metadata, _working in seen.values():
            metadata["related"] = [link for link in metadata.get("related", []) if link["reference"] in visible_refs]
    return seen


def access_requests_followed(*, user: Any) -> QuerySet[AccessRequest]:
    """The access requests ``user`` follows: those they made, those their parties made, and those made to their
    parties as owners."""
    principal = principal_for(user)
    if not principal.authenticated:
        return AccessRequest.objects.none()
    own = principal.own_party_ids
    return AccessRequest.objects.filter(
        Q(requester_id=principal.user_id) | Q(requester_party_id__in=own) | Q(record__owner_party_id__in=own)
    ).select_related("record", "requester_party", "requester__person")


def concept_list(*, user: Any, query: str = "") -> QuerySet[Concept]:
    """Thesaurus concepts whose labels, in any language, contain ``query`` (case and accents folded)."""
    from spacebridge.parties.models import fold_name

    concepts = _visible(Concept.objects.all(), user)
    folded = fold_name(query)
    return concepts.filter(label_index__contains=folded) if folded else concepts


def records_as_published(*, user: Any, records: list[Record]) -> list[Record]:
    """Rows of a list (already taken from ``records_visible``) as ``user`` may read them: a record of another party
    shows the title, abstract and keywords of its last published version, never the working copy its owner party
    is editing. Changes the instances in memory only (they must not be saved); one query for the whole page."""
    own = principal_for(user).own_party_ids
    edited = {r.pk: r for r in records if r.owner_party_id not in own and r.version and r.has_unpublished_changes}
    if not edited:
        return records
    published = Q(pk__in=[])
    for record in edited.values():
        published |= Q(record_id=record.pk, number=record.version)
    for record_id, metadata in RecordVersion.objects.filter(published).values_list("record_id", "metadata"):
        record = edited[record_id]
        record.title = MultilingualText.from_json(metadata["title"])
        record.abstract = MultilingualText.from_json(metadata.get("abstract"))
        record.keywords = metadata.get("keywords") or {}
    return records
