"""The semantic side of the search: what is embedded of a document, how its vectors are stored and searched, and
how the query's language is kept from outweighing its meaning."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.tests.factories import shared_record
from spacebridge.search import semantic
from spacebridge.search.models import SearchDocument
from spacebridge.search.semantic import (
    DIMENSIONS,
    MATRIX,
    VectorMatrix,
    embedding_texts,
    embeddings_compute,
    language_offsets,
    vectors_pack,
    vectors_unpack,
)

pytestmark = pytest.mark.django_db


def _unit(*components: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for index, value in components:
        vector[index] = value
    return vector / np.linalg.norm(vector)


def test_a_document_is_read_once_per_language_it_is_written_in_the_original_first() -> None:
    title = MultilingualText({"en": "Bone loss in orbit", "zh": "轨道上的骨质流失"}, "zh")
    summary = MultilingualText({"en": "Hip bone density fell.", "ru": "Плотность кости снизилась."}, "en")
    texts = embedding_texts(title, summary)
    assert [language for language, _text in texts] == ["zh", "en", "ru"]
    assert texts[0][1] == "轨道上的骨质流失"  # no Chinese summary: the Chinese title alone
    assert texts[1][1] == "Bone loss in orbit\nHip bone density fell."
    # Only the summary is in Russian: it is read with the original title.
    assert texts[2][1] == "轨道上的骨质流失\nПлотность кости снизилась."


def test_a_document_in_one_language_is_one_text_and_an_empty_one_none() -> None:
    title = MultilingualText({"en": "Plant growth"}, "en")
    assert embedding_texts(title, MultilingualText({"en": "x" * 5000}, "en")) == [
        ("en", "Plant growth\n" + "x" * semantic.SUMMARY_CHARS)
    ]
    assert embedding_texts(MultilingualText({}, ""), MultilingualText({}, "")) == []


def test_stored_vectors_keep_their_languages_and_old_single_vectors_still_load() -> None:
    vectors = np.vstack([_unit((1, 1.0)), _unit((2, 1.0))])
    matrix, languages = vectors_unpack(vectors_pack(vectors, ["zh", "en"]))
    assert languages == ["zh", "en"]
    assert np.array_equal(matrix, vectors)
    legacy, unknown = vectors_unpack(_unit((3, 1.0)).tobytes())
    assert legacy.shape == (1, DIMENSIONS) and unknown == [""]
    assert vectors_unpack(b"")[1] == [] and vectors_unpack(None)[1] == []


def test_a_document_is_as_near_as_its_nearest_language_and_is_ranked_once() -> None:
    matrix = VectorMatrix()
    matrix.load = lambda: None  # type: ignore[method-assign]
    matrix.ids = np.array([1, 1, 1, 2, 3], dtype=np.int64)
    matrix.languages = np.array(["zh", "en", "ru", "en", "en"])
    matrix.matrix = np.vstack(
        [_unit((0, 1.0)), _unit((1, 1.0)), _unit((2, 1.0)), _unit((1, 1.0), (0, 0.5)), _unit((1, 1.0), (3, 2.0))]
    )
    matrix.per_document = 3
    assert matrix.nearest(_unit((0, 1.0)), 3) == [1, 2, 3]  # document 1 by its Chinese vector
    assert matrix.nearest(_unit((1, 1.0)), 2) == [1, 2]  # by its English one, once only
    assert matrix.nearest(_unit((3, 1.0)), 1) == [3]


def test_a_large_matrix_finds_the_same_nearest_documents_in_two_steps(monkeypatch: Any) -> None:
    # Vectors like sentence embeddings: most of their variance in a few directions (here 40 topics), plus noise.
    rng = np.random.default_rng(3)
    topics = rng.standard_normal((40, DIMENSIONS))
    rows = topics[rng.integers(0, 40, 3000)] + 0.35 * rng.standard_normal((3000, DIMENSIONS))
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    exact, two_steps = VectorMatrix(), VectorMatrix()
    for matrix in (exact, two_steps):
        matrix.load = lambda: None  # type: ignore[method-assign]
        matrix.ids = np.arange(1, 3001, dtype=np.int64)
        matrix.matrix = rows
    monkeypatch.setattr(semantic, "COARSE_ABOVE", 1000)
    monkeypatch.setattr(semantic, "COARSE_CANDIDATES", 300)
    two_steps.basis, two_steps.coarse = semantic.coarse_projection(rows)
    assert two_steps.basis is not None and two_steps.coarse.shape == (3000, semantic.COARSE_DIMENSIONS)
    assert semantic.coarse_projection(rows[:1000])[0] is None  # small matrices are searched exactly
    for query in rows[:20] + 0.2 * rng.standard_normal((20, DIMENSIONS)).astype(np.float32):
        query = (query / np.linalg.norm(query)).astype(np.float32)
        assert two_steps.nearest(query, 10) == exact.nearest(query, 10)


def test_language_offsets_come_from_documents_written_in_several_languages() -> None:
    # Three documents, each in Chinese and English: the same meaning (axis 10+n) plus the language (axis 0 or 1).
    ids, languages, rows = [], [], []
    for n in range(3):
        for language, axis in (("zh", 0), ("en", 1)):
            ids.append(n)
            languages.append(language)
            rows.append(_unit((10 + n, 1.0), (axis, 1.0)))
    ids.append(9)  # an English-only document says nothing about how far the languages sit apart
    languages.append("en")
    rows.append(_unit((20, 1.0), (1, 1.0)))
    semantic_offsets = language_offsets(np.array(ids), np.array(languages), np.vstack(rows))
    assert semantic_offsets == {}  # fewer documents than OFFSET_DOCUMENTS
    offsets_at_three = _with_threshold(3, lambda: language_offsets(np.array(ids), np.array(languages), np.vstack(rows)))
    assert set(offsets_at_three) == {"zh", "en"}
    assert offsets_at_three["zh"][0] > 0.3 and offsets_at_three["zh"][1] < -0.3
    assert abs(offsets_at_three["zh"][10]) < 1e-6  # the meaning is not part of the offset
    assert np.allclose(offsets_at_three["zh"], -offsets_at_three["en"])


def _with_threshold(threshold: int, call: Any) -> Any:
    saved = semantic.OFFSET_DOCUMENTS
    semantic.OFFSET_DOCUMENTS = threshold
    try:
        return call()
    finally:
        semantic.OFFSET_DOCUMENTS = saved


def test_a_query_leaves_its_language_offset_out() -> None:
    matrix = VectorMatrix()
    matrix.load = lambda: None  # type: ignore[method-assign]
    matrix.offsets = {"zh": _unit((0, 1.0)) * 0.5, "en": _unit((1, 1.0)) * 0.5}
    query = _unit((0, 1.0), (1, 1.0), (5, 1.0))
    moved = matrix.query_vector(query, {"zh": 1.0})
    assert moved[0] < query[0] and moved[5] > query[5] and moved[1] > query[1]
    assert np.isclose(np.linalg.norm(moved), 1.0)
    # OFFSET_SHARE of the offset, learnt from few documents, is taken out.
    expected = query - semantic.OFFSET_SHARE * matrix.offsets["zh"]
    assert np.allclose(moved, expected / np.linalg.norm(expected))
    # A query half Chinese, half English: half of each offset.
    mixed = matrix.query_vector(query, {"zh": 0.5, "en": 0.5})
    assert np.isclose(mixed[0], mixed[1]) and mixed[0] < query[0]
    assert np.array_equal(matrix.query_vector(query, {"ru": 1.0}), query)  # no offset known: unchanged


def test_every_language_of_a_record_is_embedded_and_searched(settings: Any) -> None:
    settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    record = shared_record(
        title=MultilingualText({"zh": "航天员骨质流失", "en": "Bone loss of astronauts"}, "zh"),
        abstract=MultilingualText({"en": "Zephyrine slowed the loss."}, "en"),
    )
    other = shared_record(title=MultilingualText({"en": "Plant growth under light"}, "en"))
    ids = list(SearchDocument.objects.values_list("pk", flat=True))
    assert embeddings_compute(ids) == 2
    stored = SearchDocument.objects.get(ref=record.reference)
    vectors, languages = vectors_unpack(stored.embedding)
    assert languages == ["zh", "en"] and vectors.shape == (2, DIMENSIONS)
    assert vectors_unpack(SearchDocument.objects.get(ref=other.reference).embedding)[1] == ["en"]
    # English words find the record by its English vector, Chinese words by its Chinese one.
    assert semantic.semantic_ranking("zephyrine astronauts", 1) == [stored.pk]
    assert semantic.semantic_ranking("航天员骨质流失", 1) == [stored.pk]
    assert MATRIX.per_document == 2


def test_the_centroid_of_feedback_documents_is_their_mean_direction() -> None:
    matrix = VectorMatrix()
    matrix.load = lambda: None  # type: ignore[method-assign]
    matrix.ids = np.array([7, 3, 7], dtype=np.int64)
    matrix.order = np.argsort(matrix.ids, kind="stable")
    matrix.matrix = np.vstack([_unit((0, 1.0)), _unit((1, 1.0)), _unit((0, 1.0))])
    centroid = matrix.centroid([3, 7, 99])  # 99 has no vector: left out
    assert centroid is not None
    assert np.allclose(centroid, _unit((0, 1.0), (1, 1.0)))
    assert matrix.centroid([99]) is None and matrix.centroid([]) is None


def test_a_chinese_query_finds_an_english_paper_that_says_it_in_other_words(settings: Any) -> None:
    from spacebridge.records.tests.factories import ConceptFactory
    from spacebridge.search.expansion import LABELS
    from spacebridge.search.selectors import search

    settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    ConceptFactory(
        code="sb-0138",
        pref=MultilingualText({"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}, "en"),
    )
    LABELS.clear()
    worded = shared_record(title=MultilingualText({"en": "Spaceflight bone loss in astronauts"}, "en"))
    other_words = shared_record(title=MultilingualText({"en": "Loss of bone in flown rats"}, "en"))
    shared_record(title=MultilingualText({"en": "Plant growth under light"}, "en"))
    embeddings_compute(list(SearchDocument.objects.values_list("pk", flat=True)))
    lexical = [hit.ref for hit in search(user=None, query="骨质流失", mode="lexical").hits]
    assert lexical == [worded.reference]
    hybrid = [hit.ref for hit in search(user=None, query="骨质流失", mode="hybrid").hits]
    assert hybrid[:2] == [worded.reference, other_words.reference]


def test_in_hybrid_mode_documents_with_most_of_the_words_follow_the_few_with_all(settings: Any) -> None:
    from spacebridge.search.selectors import search

    settings.SEARCH_EMBEDDER = "spacebridge.search.tests.embedder.HashedWords"
    every = shared_record(title=MultilingualText({"en": "Bone loss in rats"}, "en"))
    most = shared_record(title=MultilingualText({"en": "Bone loss in astronauts"}, "en"))
    shared_record(title=MultilingualText({"en": "Plant growth under light"}, "en"))
    lexical = search(user=None, query="bone loss rats", mode="lexical")
    assert [hit.ref for hit in lexical.hits] == [every.reference] and lexical.total == 1  # the words, all of them
    hybrid = search(user=None, query="bone loss rats", mode="hybrid")
    assert [hit.ref for hit in hybrid.hits] == [every.reference, most.reference]
    assert hybrid.total == 2 and not hybrid.parsed.relaxed
