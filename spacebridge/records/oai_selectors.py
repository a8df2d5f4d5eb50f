"""Reads for the OAI-PMH provider. Harvesters are anonymous: every query starts at ``records_visible`` with an
anonymous user, so a harvester sees public published records and public tombstones, never a draft or a record
released to some parties only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from spacebridge.parties.models import Party
from spacebridge.records.models import Concept, Record, RecordType, RecordVersion
from spacebridge.records.oai_request import PAGE_SIZE, SET_SPEC, Selection
from spacebridge.records.selectors import records_visible


def public_records() -> QuerySet[Record]:
    """What an anonymous visitor sees: public published records and public tombstones."""
    return records_visible(user=AnonymousUser())


def harvestable_records() -> QuerySet[Record]:
    """What harvesters meet: the public records, and, as deleted records for ever, those that were public once and
    left public view (a release decision restricted them)."""
    return public_records() | Record.objects.filter(left_public_at__isnull=False)


def repository_host() -> str:
    return urlparse(settings.BASE_URL).hostname or "localhost"


def oai_identifier(reference: str) -> str:
    return f"oai:{repository_host()}:{reference}"


def reference_of(identifier: str) -> str:
    """The record reference an ``oai:<host>:<reference>`` identifier names, or "" when it is not one of ours."""
    prefix = f"oai:{repository_host()}:"
    if not identifier.startswith(prefix):
        return ""
    return identifier[len(prefix) :]


def oai_record_get(*, identifier: str) -> Record | None:
    reference = reference_of(identifier)
    if not reference:
        return None
    return harvestable_records().filter(reference=reference).select_related("type", "owner_party").first()


def oai_earliest_datestamp() -> datetime | None:
    return harvestable_records().order_by("updated_at", "pk").values_list("updated_at", flat=True).first()


def _published(**lookups: Any) -> Exists:
    """The record's latest published version matches ``lookups``: sets follow what was published, never the working
    copy its owner party may be editing."""
    return Exists(RecordVersion.objects.filter(record=OuterRef("pk"), number=OuterRef("version"), **lookups))


def _in_set(records: QuerySet[Record], set_spec: str) -> QuerySet[Record]:
    kind, _colon, code = set_spec.partition(":")
    if kind == "type":
        return records.filter(_published(metadata__type=code)) if code else records
    if kind == "party":
        return records.filter(owner_party__code=code) if code else records
    if kind == "subject":
        # The published subjects are a JSON list of codes: one quoted code matches one element exactly (a setSpec
        # holds no quote); the family holds every record published with some subject.
        pattern = f'"{re.escape(code)}"' if code else '"'
        return records.filter(_published(metadata__subjects__regex=pattern))
    return records.none()


def oai_list(*, selection: Selection) -> QuerySet[Record]:
    """The complete list a ListIdentifiers/ListRecords sequence walks: datestamp in [from, before), in the set."""
    records = harvestable_records().filter(updated_at__lt=selection.before)
    if selection.since:
        records = records.filter(updated_at__gte=selection.since)
    if selection.set_spec:
        records = _in_set(records, selection.set_spec)
    return records


@dataclass(frozen=True)
class Page:
    keys: list[tuple[datetime, int]]  # (datestamp, id) of the records on this page, in order
    has_more: bool


def oai_page(*, selection: Selection) -> Page:
    """One page of the list, after the last (datestamp, id) delivered: a keyset walk along the datestamp index. The
    list is never counted: a page costs the same at the start of a harvest of a million records as anywhere else."""
    records = oai_list(selection=selection)
    if selection.after:
        at, pk = selection.after
        records = records.filter(updated_at__gte=at).filter(Q(updated_at__gt=at) | Q(pk__gt=pk))
    keys = list(records.order_by("updated_at", "pk").values_list("updated_at", "pk")[: PAGE_SIZE + 1])
    return Page(keys=keys[:PAGE_SIZE], has_more=len(keys) > PAGE_SIZE)


@dataclass(frozen=True)
class Harvested:
    """A record as a harvester meets it: its header facts; the metadata is written from its published version."""

    record: Record
    set_specs: list[str]
    public: bool = True  # False: it was public once, and a release decision took it out of public view

    @property
    def deleted(self) -> bool:
        return self.record.status == Record.Status.WITHDRAWN or not self.public

    @property
    def year(self) -> int:
        return (self.record.first_published_at or self.record.created_at).year


HEADER_FIELDS = (
    "reference", "status", "updated_at", "version", "first_published_at", "created_at", "type__code", "owner_party__code"
)  # fmt: skip


def oai_records(*, ids: list[int]) -> Iterator[Harvested]:
    """The records of one page, in datestamp order, streamed in chunks."""
    records = (
        harvestable_records()
        .filter(pk__in=ids)
        .select_related("type", "owner_party")
        .order_by("updated_at", "pk")
        .only(*HEADER_FIELDS)  # the header needs no more; the metadata comes from the published version
    )
    public = set(public_records().filter(pk__in=ids).values_list("pk", flat=True))
    published = {
        record_id: (kind, subjects)
        for record_id, kind, subjects in RecordVersion.objects.filter(record_id__in=ids, number=F("record__version"))
        .values_list("record_id", "metadata__type", "metadata__subjects")
        .iterator(chunk_size=PAGE_SIZE)
    }
    for record in records.iterator(chunk_size=PAGE_SIZE):
        kind, subjects = published.get(record.pk, (record.type.code, []))
        yield Harvested(record, set_specs_of(record, kind=kind, subjects=subjects or []), public=record.pk in public)


def set_specs_of(record: Record, *, kind: str, subjects: list[str]) -> list[str]:
    """The sets of a record's published version (its type and subjects as published) and of its owner party."""
    specs = [f"type:{kind}", f"party:{record.owner_party.code}"]
    specs += sorted(f"subject:{code}" for code in subjects)
    return [spec for spec in specs if SET_SPEC.match(spec)]


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: Any  # MultilingualText or str


def oai_sets() -> list[OaiSet]:
    """The three set families, each type, each party that owns a harvestable record, each thesaurus concept."""
    harvestable = harvestable_records()
    sets = [OaiSet("type", "Record types"), OaiSet("party", "Owner parties"), OaiSet("subject", "Subjects")]
    sets += [OaiSet(f"type:{t.code}", t.name) for t in RecordType.objects.order_by("position", "code")]
    parties = Party.objects.filter(Exists(harvestable.filter(owner_party=OuterRef("pk")))).order_by("code")
    sets += [OaiSet(f"party:{p.code}", p.name) for p in parties.only("code", "name")]
    # Every concept of the (public) thesaurus: which subjects a working copy uses is the owner party's business.
    concepts = Concept.objects.order_by("code").only("code", "pref")
    sets += [OaiSet(f"subject:{c.code}", c.pref) for c in concepts]
    return [s for s in sets if SET_SPEC.match(s.spec)]
