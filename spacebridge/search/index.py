"""Writes of the search index. They run inside the caller's transaction: the index changes with the document."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from spacebridge.search.analysis import analysed_text
from spacebridge.search.engine import changes_note, chunks
from spacebridge.search.expansion import LABELS, concept_labels, concepts_said
from spacebridge.search.models import SearchDocument, SearchFacetValue, SearchWatermark
from spacebridge.search.registry import DocumentKind, IndexedDocument, kind_of, kinds


def embedding_text(document: IndexedDocument) -> str:
    """What the semantic model reads of a document: its title and summary in each language it is written in (the
    key of its stored vectors: a changed translation is embedded again)."""
    from spacebridge.search.semantic import embedding_texts

    return "\n\n".join(text for _language, text in embedding_texts(document.title, document.summary))


def _embedding_key(document: IndexedDocument) -> str:
    return hashlib.sha1(embedding_text(document).encode("utf-8")).hexdigest()


def _row(kind: str, document: IndexedDocument, now) -> SearchDocument:  # type: ignore[no-untyped-def]
    titles = " ".join(document.title.text.values())
    summaries = " ".join(document.summary.text.values())
    body = " ".join(document.body)
    # The thesaurus concepts the document names, in every language: a query in any of them finds it by its words.
    concepts = " ".join(concept_labels(concepts_said(f"{titles}\n{summaries}\n{body}")))
    return SearchDocument(
        kind=kind,
        object_id=document.object_id,
        ref=document.ref[:100],
        type=document.type[:60],
        owner_party_id=document.owner_party_id,
        year=document.year,
        date=document.date,
        title=document.title.to_json(),
        summary=document.summary.to_json(),
        url=document.url[:300],
        terms_title=analysed_text(titles),
        terms_body=analysed_text(f"{summaries} {body} {concepts}"),
        embedding_key=_embedding_key(document),
        indexed_at=now,
    )


def _facet_rows(row: SearchDocument, document: IndexedDocument) -> list[SearchFacetValue]:
    values = [(SearchFacetValue.Facet.SUBJECT, code) for code in dict.fromkeys(document.subjects)]
    values += [(SearchFacetValue.Facet.LANGUAGE, lang) for lang in dict.fromkeys(document.languages)]
    return [SearchFacetValue(document=row, facet=facet, value=value[:100]) for facet, value in values]


def _write(kind: DocumentKind, ids: list[int]) -> list[int]:
    """Index the objects ``ids`` of ``kind`` as they are now; returns the ids of rows whose embedding is due."""
    documents = {document.object_id: document for document in kind.documents(ids)}
    LABELS.load()
    existing = {
        row.object_id: row
        for row in SearchDocument.objects.filter(kind=kind.kind, object_id__in=ids).only(
            "id", "object_id", "embedding", "embedded_at", "embedding_key"
        )
    }
    changes_note(row.pk for row in existing.values())
    gone = [row.pk for object_id, row in existing.items() if object_id not in documents]
    if gone:
        SearchDocument.objects.filter(pk__in=gone).delete()
    now = timezone.now()
    rows = []
    for object_id, document in documents.items():
        row = _row(kind.kind, document, now)
        old = existing.get(object_id)
        if old is not None and old.embedding_key == row.embedding_key:
            row.embedding, row.embedded_at = old.embedding, old.embedded_at
        rows.append(row)
    if existing:
        SearchDocument.objects.filter(pk__in=[r.pk for o, r in existing.items() if o in documents]).delete()
    created = SearchDocument.objects.bulk_create(rows, batch_size=500)
    if not created or created[0].pk is None:  # back ends that do not return primary keys from bulk inserts
        created = list(SearchDocument.objects.filter(kind=kind.kind, object_id__in=documents))
    changes_note(row.pk for row in created)
    by_object = {row.object_id: row for row in created}
    facets = [value for object_id, row in by_object.items() for value in _facet_rows(row, documents[object_id])]
    SearchFacetValue.objects.bulk_create(facets, batch_size=1000)
    return [row.pk for row in created if row.embedding is None]


def documents_changed(kind: str, ids: Iterable[int]) -> int:
    """Bring the index in step with the objects ``ids`` of ``kind`` (added, changed, withdrawn or deleted), in the
    caller's transaction; their embeddings are computed in the background once it commits. Returns the number of
    documents now indexed among them."""
    document_kind = kind_of(kind)
    ids = list(dict.fromkeys(ids))
    if document_kind is None or not ids:
        return 0
    with transaction.atomic():
        due = _write(document_kind, ids)
    if due:
        from spacebridge.search.semantic import embeddings_enqueue

        transaction.on_commit(lambda: embeddings_enqueue(due))
    return SearchDocument.objects.filter(kind=kind, object_id__in=ids).count()


def documents_removed(kind: str, ids: Iterable[int]) -> None:
    rows = SearchDocument.objects.filter(kind=kind, object_id__in=list(ids))
    changes_note(rows.values_list("pk", flat=True))
    rows.delete()


def index_catch_up() -> int:
    """Index what bulk writes (imports) added since the last time, one batch per kind. Returns the documents
    indexed; more may remain (the caller may enqueue ``catch_up_task``)."""
    done = 0
    for kind in kinds().values():
        if kind.pending is None:
            continue
        mark = SearchWatermark.objects.filter(kind=kind.kind).values_list("last_id", flat=True).first() or 0
        ids, new_mark = kind.pending(mark)
        if new_mark == mark:
            continue
        with transaction.atomic():
            # Another process may have caught up meanwhile: move the watermark only from where we read it.
            moved = SearchWatermark.objects.filter(kind=kind.kind, last_id=mark).update(last_id=new_mark)
            if not moved:
                _watermark, created = SearchWatermark.objects.get_or_create(
                    kind=kind.kind, defaults={"last_id": new_mark}
                )
                if not created:
                    continue
            documents_changed(kind.kind, ids)
            done += len(ids)
    return done


def watermark_advance(kind: str, last_id: int) -> None:
    """A write seen by a signal: move the watermark past it when nothing before it is left to catch up."""
    SearchWatermark.objects.filter(kind=kind, last_id=last_id - 1).update(last_id=last_id)


def reindex(*, kind: str = "", batch: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index of every kind (or one): each object's document as it is now. Returns the documents."""
    total = 0
    for document_kind in kinds().values():
        if kind and document_kind.kind != kind:
            continue
        # The watermark first: writes made while the rebuild runs are caught up afterwards, never lost.
        if document_kind.latest_mark is not None:
            SearchWatermark.objects.update_or_create(
                kind=document_kind.kind, defaults={"last_id": document_kind.latest_mark()}
            )
        ids = list(document_kind.all_ids())
        with transaction.atomic():
            known = set(SearchDocument.objects.filter(kind=document_kind.kind).values_list("object_id", flat=True))
            stale = known - set(ids)
            for chunk in chunks(sorted(stale), 5000):
                documents_removed(document_kind.kind, chunk)
        for chunk in chunks(ids, batch):
            total += documents_changed(document_kind.kind, chunk)
            if progress:
                progress(len(chunk))
    return total


def reindex_size(kind: str = "") -> int:
    return sum(len(list(k.all_ids())) for k in kinds().values() if not kind or k.kind == kind)
