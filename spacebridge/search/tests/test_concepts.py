"""Crossing languages through the thesaurus: documents indexed with the labels, in every language, of the concepts
they name; query words that name a concept loosely, or a concept with few narrower ones; Russian words spelt in Latin
letters."""

from __future__ import annotations

import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.models import Concept
from spacebridge.records.services import concept_links_set
from spacebridge.records.tests.factories import ConceptFactory, shared_record
from spacebridge.search.expansion import LABELS, NARROWER_MAX, concept_labels, concepts_said, expand, loose_key
from spacebridge.search.models import SearchDocument
from spacebridge.search.query import parse
from spacebridge.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thesaurus() -> None:
    ConceptFactory(
        code="sb-0276",
        pref=MultilingualText(
            {"en": "hindlimb unloading", "zh": "后肢去负荷", "ru": "антиортостатическое вывешивание"}
        ),
        alt={"en": ["tail suspension"], "zh": ["尾吊"]},
    )
    ConceptFactory(
        code="sb-0097",
        pref=MultilingualText({"en": "gut microbiome", "zh": "肠道微生物组", "ru": "микробиом кишечника"}),
    )
    ConceptFactory(code="nasa-49546", pref=MultilingualText({"en": "plants (botany)", "zh": "植物", "ru": "растения"}))
    ConceptFactory(
        code="sb-0172",
        pref=MultilingualText({"en": "linear energy transfer", "zh": "传能线密度", "ru": "линейная передача энергии"}),
        alt={"en": ["LET"]},
    )
    ConceptFactory(code="sb-0056", pref=MultilingualText({"en": "brain", "zh": "脑", "ru": "мозг"}))
    LABELS.clear()


def _record(title: str, language: str = "en"):  # type: ignore[no-untyped-def]
    return shared_record(title=MultilingualText({language: title}, language))


def refs(query: str) -> list[str]:
    return [hit.ref for hit in search(user=None, query=query, mode="lexical").hits]


def test_a_document_is_indexed_with_the_labels_of_the_concepts_it_names() -> None:
    english = _record("Tail suspension of rats changes their bones")
    row = SearchDocument.objects.get(ref=english.reference)
    # Every other label, in every language, joins the document's searchable text (not its subjects).
    assert {"后肢", "负荷", "антиортостатическ", "вывешиван", "hindlimb"} <= set(row.terms_body.split())
    assert not row.facet_values.filter(facet="subject").exists()
    # A Chinese or Russian word of a label finds the English paper, though the query names no concept by itself.
    assert refs("后肢") == [english.reference]
    assert refs("вывешивание") == [english.reference]
    assert refs("尾吊") == [english.reference]


def test_a_label_is_found_as_texts_say_it() -> None:
    LABELS.load()
    # Without its qualifier: "plants (botany)" is said "plants".
    assert set(concepts_said("Plants grown in orbit")) == {"nasa-49546"}
    # An acronym only in capitals: "let" is a word, LET the concept.
    assert concepts_said("Let the cells grow") == {}
    assert set(concepts_said("High LET radiation")) == {"sb-0172"}
    # A phrase is not said across punctuation; a one-character Chinese label is part of too many words (电脑).
    assert concepts_said("linear. Energy transfer") == {}
    assert concepts_said("电脑") == {}
    assert set(concepts_said("研究后肢去负荷")) == {"sb-0276"}
    # The labels a document says itself are not added again.
    labels = concept_labels(concepts_said("hindlimb unloading"))
    assert "hindlimb unloading" not in labels and {"后肢去负荷", "tail suspension"} <= set(labels)
    plants = _record("Plants grown in orbit")
    assert refs("植物") == [plants.reference]


def test_a_query_names_a_concept_loosely() -> None:
    assert loose_key(["кишечн", "микробиом"]) == loose_key(["микробиом", "кишечник"])
    assert loose_key(["мозг"]) == ()  # one word names a concept only exactly
    parsed = expand(parse("кишечный микробиом"))
    assert [code for code, _labels in parsed.expansions] == ["sb-0097"]
    assert parsed.text_in("en") == "gut microbiome"
    english = _record("Gut microbiome of astronauts")
    assert refs("кишечный микробиом") == [english.reference]


def test_a_lone_function_word_is_not_required() -> None:
    english = _record("Bone loss in mice")
    assert refs("loss of bone") == [english.reference]
    assert refs("потеря костной ткани у мышей") == []  # nothing in Russian, nor a concept: no match
    parsed = expand(parse("потеря в невесомости"))
    assert parsed.text_in("en") == "потеря в невесомости"  # the model still reads it


def test_a_russian_name_finds_its_latin_spelling() -> None:
    arabidopsis = _record("Arabidopsis thaliana roots in orbit")
    salmonella = _record("Salmonella virulence after spaceflight")
    assert refs("арабидопсис") == [arabidopsis.reference]
    assert refs("сальмонеллы") == [salmonella.reference]  # inflected: its stem begins the Latin word
    # Short words are not spelt out (он is not "on").
    assert [[term.text for term in clause] for clause in expand(parse("сон")).clauses] == [["сон"]]


def _concept(code: str, en: str, zh: str, ru: str, *, broader: Concept | None = None) -> Concept:
    concept = ConceptFactory(code=code, pref=MultilingualText({"en": en, "zh": zh, "ru": ru}))
    if broader is not None:
        concept_links_set(concept=concept, broader=[broader], related=[])
    return concept


def test_a_concept_also_searches_its_few_narrower_concepts() -> None:
    cardiovascular = _concept("nasa-60999", "cardiovascular system", "心血管系统", "сердечно-сосудистая система")
    heart_concept = _concept("sb-0049", "heart", "心脏", "сердце")
    vessels_concept = _concept("nasa-39483", "blood vessels", "血管", "кровеносные сосуды")
    heart = _record("Heart remodelling in mice after thirty days in orbit")
    vessels = _record("Кровеносные сосуды мышей после полёта", "ru")
    _record("Bone remodelling in mice after thirty days in orbit")
    assert refs("心血管系统") == []
    # The hierarchy comes after the labels were read (as a thesaurus load writes it, in bulk): seen at once.
    concept_links_set(concept=heart_concept, broader=[cardiovascular], related=[])
    concept_links_set(concept=vessels_concept, broader=[cardiovascular], related=[])
    assert set(refs("心血管系统")) == {heart.reference, vessels.reference}
    assert set(refs("cardiovascular system remodelling")) == {heart.reference}
    parsed = expand(parse("心血管系统"))
    # The page says what else was searched: the concept in the other languages, the narrower ones in all three.
    assert parsed.expansions == [
        ("nasa-60999", {"en": "cardiovascular system", "ru": "сердечно-сосудистая система"}),
        ("nasa-39483", {"en": "blood vessels", "zh": "血管", "ru": "кровеносные сосуды"}),
        ("sb-0049", {"en": "heart", "zh": "心脏", "ru": "сердце"}),
    ]
    # The narrower concept searches only itself, not the broader one.
    assert refs("heart") == [heart.reference]
    # Named in the query too, a narrower concept is said once.
    parsed = expand(parse("cardiovascular system heart"))
    assert [code for code, _labels in parsed.expansions] == ["nasa-60999", "nasa-39483", "sb-0049"]
    assert {term.text for term in parsed.clauses[1]} == {"heart", "心脏", "сердце"}


def test_a_heading_with_many_narrower_concepts_searches_only_itself() -> None:
    microbes = _concept("sb-0087", "microorganisms", "微生物", "микроорганизмы")
    species = ["Salmonella", *(f"Species{number}" for number in range(NARROWER_MAX))]  # one more than searched
    for number, name in enumerate(species):
        _concept(f"sb-{390 + number}", name, f"菌{number}", name, broader=microbes)
    _record("Salmonella grown in orbit")
    general = _record("Microorganisms of the station's air")
    assert refs("微生物") == [general.reference]
    assert [code for code, _labels in expand(parse("microorganisms")).expansions] == ["sb-0087"]
