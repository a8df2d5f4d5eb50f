"""Records as searchable documents: the published version's text, never the working copy.

Drafts are not indexed at all (nobody but the owner may read them, and the index serves every reader); a published
record with unpublished changes is found by what its last published version says; a withdrawn record leaves the
index (its tombstone stays reachable by its reference).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.models import Record, RecordType, RecordVersion
from spacebridge.records.selectors import records_visible
from spacebridge.search.registry import DocumentKind, IndexedDocument, subject_labels, text_languages

KIND = "record"
CATCH_UP_BATCH = 1000


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def record_documents(ids: list[int]) -> list[IndexedDocument]:
    """The searchable documents among the records ``ids``: published ones, as their published version says."""
    records = list(
        Record.objects.filter(pk__in=ids, status=Record.Status.PUBLISHED, version__gt=0).values_list(
            "pk", "version", "owner_party_id", "first_published_at"
        )
    )
    if not records:
        return []
    published = {pk: version for pk, version, _owner, _first in records}
    rows = RecordVersion.objects.filter(record_id__in=list(published)).values_list("record_id", "number", "metadata")
    metadata = {pk: meta for pk, number, meta in rows if published[pk] == number}
    labels = subject_labels({code for m in metadata.values() for code in m.get("subjects", [])})
    documents = []
    for pk, _version, owner_party_id, first_published_at in records:
        meta = metadata.get(pk)
        if meta is None:
            continue
        title = MultilingualText.from_json(meta.get("title"))
        abstract = MultilingualText.from_json(meta.get("abstract"))
        subjects = list(meta.get("subjects", []))
        body = [word for words in (meta.get("keywords") or {}).values() for word in words]
        body += [contributor["name"] for contributor in meta.get("contributors", [])]
        body += [identifier["value"] for identifier in meta.get("identifiers", [])]
        body += [label for code in subjects for label in labels.get(code, [])]
        work_day = _day(meta.get("published_on"))
        day = work_day or (first_published_at.date() if first_published_at else None)
        documents.append(
            IndexedDocument(
                object_id=pk,
                ref=meta["reference"],
                type=meta.get("type", ""),
                title=title,
                summary=abstract,
                body=body,
                url=f"/records/{meta['reference']}/",
                owner_party_id=owner_party_id,
                date=day,
                year=work_day.year if work_day else None,
                subjects=subjects,
                languages=text_languages(title, abstract),
            )
        )
    return documents


def records_searchable(user: Any) -> QuerySet[Record]:
    """The records ``user`` may find: the registry's own access filter, published ones only."""
    return records_visible(user=user).filter(status=Record.Status.PUBLISHED)


def record_ids() -> Any:
    return Record.objects.filter(status=Record.Status.PUBLISHED).values_list("pk", flat=True).order_by("pk")


def record_type_label(code: str) -> str:
    names = getattr(record_type_label, "_names", None)
    if names is None:
        names = {t.code: t for t in RecordType.objects.all()}
        record_type_label._names = names  # type: ignore[attr-defined]
    record_type = names.get(code)
    return str(record_type) if record_type else code


def records_pending(after: int) -> tuple[list[int], int]:
    """Versions written after the watermark (bulk imports write versions without model signals)."""
    rows = list(
        RecordVersion.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "record_id")[:CATCH_UP_BATCH]
    )
    if not rows:
        return [], after
    return sorted({record_id for _pk, record_id in rows}), rows[-1][0]


def records_latest_mark() -> int:
    return RecordVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


RECORDS = DocumentKind(
    kind=KIND,
    label=_("Records"),
    model=Record,
    documents=record_documents,
    visible=records_searchable,
    all_ids=record_ids,
    type_label=record_type_label,
    pending=records_pending,
    latest_mark=records_latest_mark,
    audience="policy or owner",  # records_visible: the policy, or the record's own party (published ones only)
)
