"""What every export format writes: a record as its readers may see it.

A published record is exported as its latest published version (the immutable snapshot), never as the working copy
its owner party may be editing; a draft (seen only by its own party) is exported as it stands. Subjects carry their
labels, related records appear only when their target is public, so an export never names a record its reader may
not see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.metadata import records_metadata
from spacebridge.records.models import Concept, Record, RecordVersion

REFERENCE_PATTERN = re.compile(r"^SB-\d{4}-\d{6}$")


@lru_cache(maxsize=8)
def _address_of(name: str, sample: str) -> tuple[str, str]:
    """(before, after) the argument in the address of the named view: reversing once is enough."""
    try:
        path = reverse(name, args=[sample])
    except NoReverseMatch:
        path = f"/records/concepts/{sample}/" if name == "records:concept" else f"/records/{sample}/"
    before, _sample, after = path.partition(sample)
    return before, after


def record_url(reference: str) -> str:
    """The record's stable public address."""
    before, after = _address_of("records:detail", "SB-0000-000000")
    return f"{settings.BASE_URL}{before}{reference}{after}"


def concept_url(code: str) -> str:
    """The thesaurus concept's public address."""
    before, after = _address_of("records:concept", "concept-code")
    return f"{settings.BASE_URL}{before}{code}{after}"


def reference_from_url(url: str) -> str:
    """The reference when ``url`` is this platform's own address of a record, else ``""``."""
    if not url.startswith(settings.BASE_URL):
        return ""
    before, after = _address_of("records:detail", "SB-0000-000000")
    prefix = settings.BASE_URL + before
    if not url.startswith(prefix):
        return ""
    candidate = url[len(prefix) :].removesuffix(after).strip("/").upper()
    return candidate if REFERENCE_PATTERN.match(candidate) else ""


@dataclass(frozen=True)
class ExportedContributor:
    name: str
    role: str
    party: str | None = None


@dataclass
class ExportedRecord:
    reference: str
    url: str
    type: str
    owner_party: str
    owner_party_name: str
    status: str
    version: int
    title: MultilingualText
    abstract: MultilingualText
    keywords: dict[str, list[str]]
    published_on: date | None
    licence: str
    subjects: list[Concept] = field(default_factory=list)
    contributors: list[ExportedContributor] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (relation, reference), public targets only

    @property
    def language(self) -> str:
        """The language the record was written in."""
        return self.title.original or "en"

    def languages(self) -> list[str]:
        """Every language the record has text in, the original first."""
        found = [self.language, *self.title.text, *self.abstract.text, *self.keywords]
        return list(dict.fromkeys(found))

    def identifier_values(self, scheme: str) -> list[str]:
        return [value for s, value in self.identifiers if s == scheme]

    def keywords_in(self, language: str) -> list[str]:
        return list(self.keywords.get(language, []))


def _metadata_by_record(records: list[Record]) -> dict[int, dict[str, Any]]:
    published = {r.pk: r.version for r in records if r.version}
    found: dict[int, dict[str, Any]] = {}
    if published:
        versions = RecordVersion.objects.filter(record_id__in=list(published)).values_list(
            "record_id", "number", "metadata"
        )
        for record_id, number, metadata in versions:
            if published[record_id] == number:
                found[record_id] = metadata
    found.update(records_metadata([record for record in records if record.pk not in found]))
    return found


def _public_references(references: set[str]) -> set[str]:
    if not references:
        return set()
    from spacebridge.records.selectors import records_visible

    visible = records_visible(user=None, queryset=Record.objects.filter(reference__in=references))
    return set(visible.filter(status=Record.Status.PUBLISHED).values_list("reference", flat=True))


def exported_records(records: list[Record]) -> list[ExportedRecord]:
    """The export view of ``records`` (already passed through the access policy), in their order, in a few queries."""
    from spacebridge.parties.models import Party

    metadata = _metadata_by_record(records)
    codes = {code for m in metadata.values() for code in m.get("subjects", [])}
    concepts = {c.code: c for c in Concept.objects.filter(code__in=codes)} if codes else {}
    party_codes = {m["owner_party"] for m in metadata.values()}
    party_names = {p.code: p.name.get("en") for p in Party.objects.filter(code__in=party_codes)}
    public = _public_references({r["reference"] for m in metadata.values() for r in m.get("related", [])})
    return [exported_record(record, metadata[record.pk], concepts, party_names, public) for record in records]


def exported_record(
    record: Record,
    m: dict[str, Any],
    concepts: dict[str, Concept],
    party_names: dict[str, str],
    public: set[str],
) -> ExportedRecord:
    """One record's export view from its metadata (a published version's or the working copy's), its subjects'
    concepts by code, owner party names by code and the public references among its related records."""
    return ExportedRecord(
        reference=record.reference,
        url=record_url(record.reference),
        type=m["type"],
        owner_party=m["owner_party"],
        owner_party_name=party_names.get(m["owner_party"], m["owner_party"]),
        status=record.status,
        version=record.version,
        title=MultilingualText.from_json(m["title"]),
        abstract=MultilingualText.from_json(m["abstract"]),
        keywords={k: list(v) for k, v in (m.get("keywords") or {}).items()},
        published_on=date.fromisoformat(m["published_on"]) if m.get("published_on") else None,
        licence=m.get("licence") or "",
        subjects=[concepts[c] for c in m.get("subjects", []) if c in concepts],
        contributors=[ExportedContributor(c["name"], c["role"], c.get("party")) for c in m.get("contributors", [])],
        identifiers=[(i["scheme"], i["value"]) for i in m.get("identifiers", [])],
        related=[(r["relation"], r["reference"]) for r in m.get("related", []) if r["reference"] in public],
    )
