"""Thesaurus expansion: which runs of a query name a concept, and the query said in each language (what the
semantic model reads)."""

from __future__ import annotations

import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.tests.factories import ConceptFactory
from spacebridge.search.analysis import script_shares
from spacebridge.search.expansion import LABELS, expand
from spacebridge.search.query import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thesaurus() -> None:
    ConceptFactory(
        code="sb-0138",
        pref=MultilingualText({"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}, "en"),
        alt={"ru": ["потеря костной ткани"]},
    )
    ConceptFactory(
        code="sb-0200",
        pref=MultilingualText({"en": "astronauts", "zh": "航天员", "ru": "космонавты"}, "en"),
    )
    ConceptFactory(code="sb-0300", pref=MultilingualText({"en": "biofilms", "ru": "биоплёнки"}, "en"))
    LABELS.clear()


def test_the_query_is_said_in_each_language_run_by_run() -> None:
    parsed = expand(parse("骨质流失"))
    assert parsed.text_in("en") == "bone loss"
    assert parsed.text_in("ru") == "потеря костной массы"
    assert parsed.text_in("zh") == "骨质流失"
    # A Chinese run holding two concepts: each is said in English; the Chinese stays one word.
    parsed = expand(parse("航天员骨质流失"))
    assert parsed.text_in("en") == "astronauts bone loss"
    assert parsed.text_in("zh") == "航天员骨质流失"


def test_words_that_name_no_concept_stay_as_typed() -> None:
    parsed = expand(parse("骁骁 骨质流失"))  # a word neither the thesaurus nor the dictionary knows
    assert parsed.text_in("en") == "骁骁 bone loss"
    parsed = expand(parse("потеря костной ткани у мышей"))
    assert parsed.text_in("en") == "bone loss мышей"  # у only joins Russian words: the model is not given it
    assert parsed.text_in("ru") == "потеря костной ткани у мышей"  # already Russian: as typed, not the other label
    # A concept without a Chinese label: its run stays as typed.
    assert expand(parse("biofilms")).text_in("zh") == "biofilms"


def test_function_words_of_another_language_are_left_out_of_a_translation() -> None:
    assert expand(parse("航天员下骨质流失")).text_in("en") == "astronauts bone loss"
    assert expand(parse("потеря костной массы у космонавтов")).text_in("en") == "bone loss astronauts"
    # Nothing translated: the words stay as typed, function words too.
    assert expand(parse("потеря в невесомости")).text_in("en") == "потеря в невесомости"
    assert expand(parse("bone loss in astronauts")).text_in("en") == "bone loss in astronauts"


def test_the_syntax_around_the_words_is_kept_out_of_the_text() -> None:
    parsed = expand(parse('"bone loss" OR rats microgr* -mice year:2020'))
    assert parsed.text_in("en") == "bone loss rats microgr"
    assert expand(parse("year:2020")).text_in("en") == ""
    assert parse("bone loss").text_in("zh") == "bone loss"  # not expanded: the words typed


def test_script_shares_of_a_mixed_query() -> None:
    assert script_shares("bone") == {"en": 1.0}
    shares = script_shares("骨质 bone")  # two Han characters count as four letters
    assert shares == pytest.approx({"zh": 0.5, "en": 0.5})
    assert script_shares("2020 …") == {}


def test_a_chinese_word_the_thesaurus_lacks_is_searched_in_english_by_the_dictionary() -> None:
    from spacebridge.records.tests.factories import shared_record
    from spacebridge.search.selectors import search

    record = shared_record(title=MultilingualText({"en": "Retina thickness after long-duration flight"}, "en"))
    parsed = expand(parse("视网膜"))
    assert [term.text for term in parsed.clauses[0]] == ["视网膜", "retina"]
    assert parsed.text_in("en") == "retina" and parsed.expansions == [("", {"en": "retina"})]
    result = search(user=None, query="视网膜", mode="lexical")
    assert [hit.ref for hit in result.hits] == [record.reference]
    assert result.also_searched == [("", {"en": "retina"})]
    # A word the thesaurus names keeps its concept's labels only.
    assert all(code for code, _labels in expand(parse("骨质流失")).expansions)


def test_dictionary_glosses_are_translations_not_notes() -> None:
    from spacebridge.search import dictionary

    assert dictionary.english("软骨") == ["cartilage"]
    assert dictionary.english("睡眠")[0] == "sleep" and dictionary.english("睡眠").count("sleep") == 1  # "to sleep"
    assert dictionary.english("沙门氏菌") == ["Salmonella"]
    assert dictionary.english("骨") == []  # one character: too ambiguous
    assert all(not gloss.startswith("CL:") for gloss in dictionary.english("卫星"))
