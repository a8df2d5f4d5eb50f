"""The one analysis function: what a user types and what a document says meet on the same terms."""

from __future__ import annotations

import pytest

from spacebridge.search.analysis import (
    analyse,
    analyse_tokens,
    latin_spelling,
    prefix_term,
    script_of,
    to_simplified,
    word_runs,
)

pytestmark = pytest.mark.django_db


def test_two_character_chinese_words_are_terms_when_indexing_and_querying() -> None:
    indexed = analyse("中长期飞行后中国航天员骨质流失与骨密度变化")
    assert {"骨质", "流失", "航天", "航天员", "骨密度", "密度", "飞行"} <= set(indexed)
    # A query is cut precisely: its words are all among the indexed terms.
    assert set(analyse("骨质流失", for_query=True)) <= set(indexed)
    assert set(analyse("航天员", for_query=True)) <= set(indexed)


def test_traditional_chinese_folds_to_simplified() -> None:
    assert to_simplified("骨質流失") == "骨质流失"
    assert analyse("骨質流失", for_query=True) == analyse("骨质流失", for_query=True)


def test_russian_case_forms_share_one_term() -> None:
    forms = ["кость", "кости", "костью", "костей", "КОСТЯМ"]
    assert len({term for form in forms for term in analyse(form)}) == 1
    assert analyse("потеря костной ткани") == analyse("потери костная ткань")
    assert analyse("ёлка") == analyse("елка")


def test_english_inflections_share_one_term() -> None:
    assert analyse("studies of bone losses") == analyse("study of bone loss")
    assert analyse("Running") == analyse("runs") == ["run"]


def test_offsets_point_at_the_original_words() -> None:
    text = "Bone loss — потеря костной массы, 骨质流失"
    for token in analyse_tokens(text):
        assert text[token.start : token.end].strip()
    assert [text[t.start : t.end] for t in analyse_tokens("Bone loss")] == ["Bone", "loss"]


def test_script_detection_and_prefixes() -> None:
    assert script_of("骨质流失 in space") == "zh"
    assert script_of("потеря костной массы") == "ru"
    assert script_of("bone loss 2024") == "en"
    assert script_of("2024 !!") == ""
    assert prefix_term("Микрогр") == "микрогр"
    assert analyse("") == [] and analyse("!!! ---") == []


def test_word_runs_stop_at_punctuation_and_chinese() -> None:
    runs = [[word for _term, word in run] for run in word_runs("Bone loss, in mice; Т-клетки 骨质 hindlimb unloading")]
    assert runs == [["Bone", "loss"], ["in", "mice"], ["Т", "клетки"], ["hindlimb", "unloading"]]
    [[(term, word)]] = list(word_runs("Studies"))
    assert (term, word) == (analyse("Studies")[0], "Studies")


def test_russian_words_spelt_in_latin_letters() -> None:
    assert latin_spelling("арабидопсис") == "arabidopsis"
    assert latin_spelling("Сальмонелла") == "salmonella"
    assert latin_spelling("щука") == "shchuka"
