"""A record's metadata as one plain dictionary: what a published version freezes, what exports and diffs read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from spacebridge.parties.models import Party
from spacebridge.records.models import Contributor, Identifier, Record, RecordFile, RecordType, RelatedRecord


def record_metadata(record: Record) -> dict[str, Any]:
    return records_metadata([record])[record.pk]


def records_metadata(records: Iterable[Record]) -> dict[int, dict[str, Any]]:
    """The metadata of each record's working copy, ``{pk: metadata}``: five queries for any number of records (the
    subjects, contributors, identifiers, related records and files of them all), plus one each for types and owner
    parties the records were not loaded with. Plain values, no model objects."""
    records = list(records)
    pks = [record.pk for record in records]
    if not pks:
        return {}
    types = _codes(records, Record.type, RecordType)
    owners = _codes(records, Record.owner_party, Party)
    subjects: dict[int, list[str]] = defaultdict(list)
    for record_id, code in Record.subjects.through.objects.filter(record_id__in=pks).values_list(
        "record_id", "concept__code"
    ):
        subjects[record_id].append(code)
    contributors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Contributor.objects.filter(record_id__in=pks).order_by("record_id", "position")
    for record_id, name, role, person_id, party in rows.values_list("record_id", "name", "role", "person_id",
                                                                    "party__code"):  # fmt: skip
        contributors[record_id].append({"name": name, "role": role, "person": person_id, "party": party})
    identifiers: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = Identifier.objects.filter(record_id__in=pks).order_by("record_id", "scheme", "value")
    for record_id, scheme, value in rows.values_list("record_id", "scheme", "value"):
        identifiers[record_id].append({"scheme": scheme, "value": value})
    related: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = RelatedRecord.objects.filter(source_id__in=pks).order_by("source_id", "relation", "target__reference")
    for record_id, relation, reference in rows.values_list("source_id", "relation", "target__reference"):
        related[record_id].append({"relation": relation, "reference": reference})
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = RecordFile.objects.filter(record_id__in=pks).order_by("record_id", "name")
    for record_id, name, size, media_type, sha256 in rows.values_list("record_id", "name", "size", "media_type",
                                                                      "sha256"):  # fmt: skip
        files[record_id].append({"name": name, "size": size, "media_type": media_type, "sha256": sha256})
    return {
        record.pk: {
            "reference": record.reference,
            "type": types[record.type_id],
            "owner_party": owners[record.owner_party_id],
            "title": record.title.to_json(),
            "abstract": record.abstract.to_json(),
            "keywords": record.keywords,
            "published_on": record.published_on.isoformat() if record.published_on else None,
            "licence": record.licence,
            "subjects": sorted(subjects[record.pk]),
            "contributors": contributors[record.pk],
            "identifiers": identifiers[record.pk],
            "related": related[record.pk],
            "files": files[record.pk],
        }
        for record in records
    }


def _codes(records: list[Record], descriptor: Any, model: type[Any]) -> dict[int, str]:
    """``{id: code}`` of the records' types or owner parties: from what the records were loaded with, else read."""
    field = descriptor.field
    codes = {}
    missing = set()
    for record in records:
        if descriptor.is_cached(record):
            related = getattr(record, field.name)
            codes[related.pk] = related.code
        else:
            missing.add(getattr(record, field.attname))
    if missing - codes.keys():
        codes.update(model.objects.filter(pk__in=missing - codes.keys()).values_list("pk", "code"))
    return codes


def metadata_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields that differ between two versions' metadata, in a stable order."""
    changes = []
    for key in sorted(set(old) | set(new)):
        if key == "reference":
            continue
        if old.get(key) != new.get(key):
            changes.append({"field": key, "old": old.get(key), "new": new.get(key)})
    return changes
