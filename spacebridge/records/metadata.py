"""A record's metadata as one plain dictionary: what a published version freezes, what exports and diffs read."""

from __future__ import annotations

from typing import Any

from spacebridge.records.models import Record


def record_metadata(record: Record) -> dict[str, Any]:
    return {
        "reference": record.reference,
        "type": record.type.code,
        "owner_party": record.owner_party.code,
        "title": record.title.to_json(),
        "abstract": record.abstract.to_json(),
        "keywords": record.keywords,
        "published_on": record.published_on.isoformat() if record.published_on else None,
        "licence": record.licence,
        "subjects": sorted(record.subjects.values_list("code", flat=True)),
        "contributors": [
            {
                "name": c.name,
                "role": c.role,
                "person": c.person_id,
                "party": c.party.code if c.party else None,
            }
            for c in record.contributors.select_related("party").order_by("position")
        ],
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in record.identifiers.order_by("scheme", "value")],
        "related": [
            {"relation": r.relation, "reference": r.target.reference}
            for r in record.relations.select_related("target").order_by("relation", "target__reference")
        ],
        "files": [
            {"name": f.name, "size": f.size, "media_type": f.media_type, "sha256": f.sha256}
            for f in record.files.order_by("name")
        ],
    }


def metadata_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields that differ between two versions' metadata, in a stable order."""
    changes = []
    for key in sorted(set(old) | set(new)):
        if key == "reference":
            continue
        if old.get(key) != new.get(key):
            changes.append({"field": key, "old": old.get(key), "new": new.get(key)})
    return changes
