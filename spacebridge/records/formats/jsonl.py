"""JSON Lines: one record per line, the registry's own interchange format (docs/records-import.md, field by field).

Every other reader produces entries of this shape, and the importer validates only this shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from spacebridge.records.formats import ExportFormat, ImportFormat, SourceEntry, register_export, register_import
from spacebridge.records.formats.exported import ExportedRecord, exported_records
from spacebridge.records.models import Record


def entry_of(record: ExportedRecord) -> dict[str, Any]:
    """A record as one JSON Lines entry; importing it gives the same record back."""
    entry: dict[str, Any] = {
        "reference": record.reference,
        "url": record.url,
        "type": record.type,
        "owner_party": record.owner_party,
        "language": record.language,
        "title": dict(record.title.text),
    }
    if record.abstract:
        entry["abstract"] = dict(record.abstract.text)
    if record.keywords:
        entry["keywords"] = {language: list(words) for language, words in record.keywords.items()}
    if record.contributors:
        entry["contributors"] = [
            {"name": c.name, "role": c.role, **({"party": c.party} if c.party else {})} for c in record.contributors
        ]
    if record.subjects:
        entry["subjects"] = [concept.code for concept in record.subjects]
    if record.identifiers:
        entry["identifiers"] = [{"scheme": scheme, "value": value} for scheme, value in record.identifiers]
    if record.published_on:
        entry["published"] = record.published_on.isoformat()
    if record.licence:
        entry["licence"] = record.licence
    if record.related:
        entry["related"] = [{"relation": relation, "reference": ref} for relation, ref in record.related]
    return entry


def render(records: list[Record]) -> str:
    return "".join(json.dumps(entry_of(r), ensure_ascii=False) + "\n" for r in exported_records(records))


def read(text: str) -> Iterator[SourceEntry]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            yield SourceEntry(
                number,
                error=_("not valid JSON (%(problem)s, column %(column)d)")
                % {"problem": error.msg, "column": error.colno},
            )
            continue
        if not isinstance(entry, dict):
            yield SourceEntry(number, error=_("each line must hold one JSON object"))
            continue
        yield SourceEntry(number, entry)


register_export(
    ExportFormat(name="jsonl", label="JSON Lines", media_type="application/jsonl", extension="jsonl", render=render)
)
register_import(ImportFormat(name="jsonl", label="JSON Lines", read=read, line_based=True))
