"""What a viewer is shown of a record: the owner party sees its working copy, everyone else the latest published
version, which is immutable. Pages, the citation box and file downloads all read this."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from spacebridge.access.principals import principal_for
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.records.models import (
    Concept,
    Contributor,
    Identifier,
    Record,
    RecordType,
    RecordVersion,
    RelatedRecord,
)
from spacebridge.records.selectors import record_metadata_seen, records_visible

IDENTIFIER_LINKS = {
    "doi": "https://doi.org/{}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}/",
    "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/",
    "patent": "https://patents.google.com/patent/{}",
    "url": "{}",
}
INVERSE_RELATIONS = {
    RelatedRecord.Relation.CITES: _("is cited by"),
    RelatedRecord.Relation.IS_VERSION_OF: _("has a version"),
    RelatedRecord.Relation.SUPPLEMENTS: _("is supplemented by"),
}


def identifier_url(scheme: str, value: str) -> str:
    template = IDENTIFIER_LINKS.get(scheme)
    return template.format(value) if template else ""


@dataclass
class ShownRecord:
    metadata: dict[str, Any]
    version: RecordVersion | None  # the published version shown; None: the working copy
    type: RecordType | None
    title: MultilingualText
    abstract: MultilingualText
    keywords: dict[str, list[str]]
    published_on: date | None
    licence: str
    subjects: list[Concept] = field(default_factory=list)
    contributors: list[dict[str, Any]] = field(default_factory=list)
    identifiers: list[dict[str, str]] = field(default_factory=list)
    related: list[tuple[str, Record]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_working_copy(self) -> bool:
        return self.version is None


def is_owner_member(user: Any, record: Record) -> bool:
    return record.owner_party_id in principal_for(user).own_party_ids


def shown_metadata(
    record: Record, user: Any, current: RecordVersion | None = None, *, related_seen: bool = True
) -> tuple[dict[str, Any], RecordVersion | None]:
    """The owner party's members see the working copy; others the latest published version (one rule, in
    ``record_metadata_seen``). Returns the metadata and the version shown (None: the working copy). ``current`` is
    the record's latest published version when the caller has read it already (the page reads its version list);
    ``related_seen=False`` leaves the related records unfiltered for a caller that filters them itself."""
    if current is not None and current.number == record.version and not is_owner_member(user, record):
        return (_related_seen(current.metadata, user) if related_seen else current.metadata), current
    metadata, working_copy = record_metadata_seen(user=user, records=[record])[record.pk]
    if working_copy:
        return metadata, None
    return metadata, record.versions.select_related("published_by").get(number=record.version)


def _related_seen(metadata: dict[str, Any], user: Any) -> dict[str, Any]:
    """The metadata without the related records ``user`` may not see (as ``record_metadata_seen`` leaves them out)."""
    references = [link["reference"] for link in metadata.get("related") or []]
    if not references:
        return metadata
    seen = set(records_visible(user=user).filter(reference__in=references).values_list("reference", flat=True))
    return {**metadata, "related": [link for link in metadata["related"] if link["reference"] in seen]}


def _contributors(items: list[dict[str, Any]], record: Record) -> list[dict[str, Any]]:
    codes = {c["party"] for c in items if c.get("party")}
    parties = {}
    if Record.owner_party.is_cached(record) and record.owner_party.code in codes:  # usually the owner party's own
        parties[record.owner_party.code] = record.owner_party
    if codes - parties.keys():
        parties.update((p.code, p) for p in Party.objects.filter(code__in=codes - parties.keys()))
    roles = dict(Contributor.Role.choices)
    return [
        {
            "name": c["name"],
            "role": c.get("role", ""),
            "role_label": roles.get(c.get("role", ""), c.get("role", "")),
            "party": parties.get(c.get("party") or ""),
        }
        for c in items
    ]


def _identifiers(items: list[dict[str, str]]) -> list[dict[str, str]]:
    labels = dict(Identifier.Scheme.choices)
    return [
        {**i, "label": str(labels.get(i["scheme"], i["scheme"])), "url": identifier_url(i["scheme"], i["value"])}
        for i in items
    ]


def _related(record: Record, items: list[dict[str, str]], user: Any) -> list[tuple[str, Record]]:
    """Related records in both directions, only those the viewer may see (the access filter runs only when there
    is something to filter)."""
    relations = dict(RelatedRecord.Relation.choices)
    references = [r["reference"] for r in items]
    visible = (
        {r.reference: r for r in records_visible(user=user).filter(reference__in=references)} if references else {}
    )
    related = [
        (str(relations.get(r["relation"], r["relation"])), visible[r["reference"]])
        for r in items
        if r["reference"] in visible
    ]
    inverse = list(
        RelatedRecord.objects.filter(target=record).exclude(source=record).values_list("source_id", "relation")
    )
    if inverse:
        sources = records_visible(user=user, queryset=Record.objects.filter(pk__in={pk for pk, _rel in inverse}))
        by_pk = {r.pk: r for r in sources}
        related += [(str(INVERSE_RELATIONS.get(rel, rel)), by_pk[pk]) for pk, rel in inverse if pk in by_pk]
    return related


def shown_record(record: Record, user: Any, current: RecordVersion | None = None) -> ShownRecord:
    metadata, version = shown_metadata(record, user, current, related_seen=False)  # ``_related`` filters them
    same_type = record.type_id is not None and Record.type.is_cached(record) and record.type.code == metadata["type"]
    return ShownRecord(
        metadata=metadata,
        version=version,
        type=record.type if version is None or same_type else RecordType.objects.filter(code=metadata["type"]).first(),
        title=MultilingualText.from_json(metadata.get("title")),
        abstract=MultilingualText.from_json(metadata.get("abstract")),
        keywords=metadata.get("keywords") or {},
        published_on=date.fromisoformat(metadata["published_on"]) if metadata.get("published_on") else None,
        licence=metadata.get("licence") or "",
        subjects=list(Concept.objects.filter(code__in=metadata["subjects"])) if metadata.get("subjects") else [],
        contributors=_contributors(metadata.get("contributors") or [], record),
        identifiers=_identifiers(metadata.get("identifiers") or []),
        related=_related(record, metadata.get("related") or [], user),
        files=list(metadata.get("files") or []),
    )


def shown_file(record: Record, user: Any, name: str) -> dict[str, Any] | None:
    """The file of that name in what the viewer is shown, or None."""
    metadata, _version = shown_metadata(record, user)
    return next((f for f in metadata.get("files") or [] if f["name"] == name), None)
