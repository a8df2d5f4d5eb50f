"""The search over real records, on whichever database the suite runs: analysis, syntax, ranking, facets."""

from __future__ import annotations

from datetime import date

import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.tests.factories import PartyFactory
from spacebridge.records import services
from spacebridge.records.tests.factories import ConceptFactory, shared_record
from spacebridge.search.models import SearchDocument
from spacebridge.search.selectors import SearchFilters, search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_engine")]


def _record(title: dict[str, str], abstract: dict[str, str] | None = None, **fields):  # type: ignore[no-untyped-def]
    original = next(iter(title))
    return shared_record(
        title=MultilingualText(title, original),
        abstract=MultilingualText(abstract or {}, original),
        **fields,
    )


def refs(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.ref for hit in result.hits]


def test_two_character_chinese_words_are_found() -> None:
    record = _record({"zh": "中长期飞行后航天员骨质流失研究"}, {"zh": "髋部骨量丢失最为明显"})
    other = _record({"zh": "空间站植物生长实验"})
    assert refs(search(user=None, query="骨质")) == [record.reference]
    assert refs(search(user=None, query="流失")) == [record.reference]
    assert refs(search(user=None, query="植物")) == [other.reference]
    assert refs(search(user=None, query="骨質流失")) == [record.reference]  # Traditional characters
    assert refs(search(user=None, query="骨质的流失")) == [record.reference]  # a function word is not required


def test_russian_case_forms_and_english_inflections_are_found() -> None:
    russian = _record({"ru": "Потеря костной массы у космонавтов"})
    english = _record({"en": "Studies of bone losses during spaceflight"})
    assert refs(search(user=None, query="костная потеря")) == [russian.reference]
    assert refs(search(user=None, query="космонавтами")) == [russian.reference]
    assert refs(search(user=None, query="study bone loss")) == [english.reference]
    assert refs(search(user=None, query="SPACEFLIGHTS")) == [english.reference]


def test_query_syntax() -> None:
    a = _record({"en": "Bone loss in microgravity"}, {"en": "Bed rest compared with flight."})
    b = _record({"en": "Muscle loss in microgravity"}, {"en": "Flight data of rats."})
    c = _record({"en": "Loss of bone and muscle"}, type="dataset")
    assert set(refs(search(user=None, query="loss microgravity"))) == {a.reference, b.reference}
    assert refs(search(user=None, query='"bone loss"')) == [a.reference]
    assert set(refs(search(user=None, query="bone OR rats"))) == {a.reference, b.reference, c.reference}
    assert set(refs(search(user=None, query="loss -muscle"))) == {a.reference}
    assert set(refs(search(user=None, query="microgr*"))) == {a.reference, b.reference}
    assert refs(search(user=None, query="loss type:dataset")) == [c.reference]
    assert refs(search(user=None, query="-bone -muscle")) == []
    # No document has every word: those with some of them, the most first, and the result says so.
    relaxed = search(user=None, query="bone muscle xylophone")
    assert relaxed.parsed.relaxed and refs(relaxed)[0] == c.reference
    assert not search(user=None, query="bone loss").parsed.relaxed
    assert search(user=None, query="loss", sort="date").total == 3


def test_any_query_searches_whatever_its_characters() -> None:
    record = _record({"en": "C++ code for the (bone) loss model [v2]"})
    for query in ("c++*", "c*", "(bone)*", "[v2]*", "a.b*", "\\*", "骨*", "?*", '"(*', "+*", "-", "*", "OR", '""'):
        result = search(user=None, query=query)
        assert result.total == len(result.hits), query
    assert refs(search(user=None, query="c*")) == [record.reference]


def test_field_filters_year_party_language_subject() -> None:
    party = PartyFactory(code="ibmp")
    concept = ConceptFactory(code="sb-test", pref=MultilingualText({"en": "osteopenia", "ru": "остеопения"}, "en"))
    a = _record({"en": "Bone study"}, published_on=date(2019, 5, 1), owner_party=party, subjects=[concept])
    _record({"en": "Bone study", "zh": "骨研究"}, published_on=date(2021, 5, 1))
    assert refs(search(user=None, query="bone year:2019")) == [a.reference]
    assert refs(search(user=None, query="bone year:2018-2020")) == [a.reference]
    assert refs(search(user=None, query="bone party:ibmp")) == [a.reference]
    assert refs(search(user=None, query="bone subject:sb-test")) == [a.reference]
    assert refs(search(user=None, query="bone subject:остеопения")) == [a.reference]
    assert len(search(user=None, query="bone lang:zh").hits) == 1
    assert search(user=None, query="bone year:abcd").total == 2  # an impossible year is set aside
    assert refs(search(user=None, query="bone", filters=SearchFilters(year=[2019]))) == [a.reference]


def test_the_index_holds_the_published_version_only() -> None:
    record = _record({"en": "Cardiovascular deconditioning"})
    services.record_update(
        record=record, by=None, check_permission=False, title=MultilingualText({"en": "Secret plan"}, "en")
    )
    assert refs(search(user=None, query="cardiovascular")) == [record.reference]
    assert search(user=None, query="secret").total == 0
    services.record_publish(record=record, by=None, check_permission=False)
    assert refs(search(user=None, query="secret")) == [record.reference]
    assert search(user=None, query="cardiovascular").total == 0


def test_drafts_and_withdrawn_records_are_not_searchable() -> None:
    draft = shared_record(title=MultilingualText({"en": "Unpublished vestibular draft"}, "en"), publish=False)
    assert search(user=None, query="vestibular").total == 0
    assert not SearchDocument.objects.filter(object_id=draft.pk).exists()
    record = _record({"en": "Vestibular adaptation"})
    assert search(user=None, query="vestibular").total == 1
    record.owner_party  # noqa: B018
    from spacebridge.parties.tests.factories import member_of

    officer = member_of(record.owner_party, role="liaison_officer")
    services.record_withdraw(record=record, by=officer, reason="Duplicate")
    assert search(user=None, query="vestibular").total == 0


def test_snippets_mark_the_words_found_and_escape_the_text() -> None:
    _record({"en": "Bone <script>alert(1)</script> loss"}, {"en": "A study of bone loss & recovery. " * 20})
    hit = search(user=None, query="bone").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>Bone</mark>" in hit.title_html
    assert "<mark>bone</mark>" in hit.snippet and "&amp;" in hit.snippet
    assert len(hit.snippet) < 600


def test_snippets_mark_chinese_words_where_written_and_russian_words_in_any_case_form() -> None:
    _record({"zh": "航天員骨質流失的研究"}, {"zh": "長期飛行後，航天員的骨質流失明顯。肌肉萎縮也被記錄。"})
    hit = search(user=None, query="骨质流失").hits[0]
    # Traditional text, a Simplified query: the words are marked in the text as written.
    assert "<mark>骨質流失</mark>" in hit.title_html and "<mark>骨質流失</mark>" in hit.snippet
    assert "<mark>肌肉" not in hit.snippet
    _record({"ru": "Потеря костной ткани"}, {"ru": "У космонавтов потеря костной ткани после полёта; костная масса."})
    hit = search(user=None, query="костная").hits[0]
    assert "<mark>костной</mark>" in hit.title_html and "<mark>костная</mark>" in hit.snippet
    assert "<mark>космонавтов</mark>" not in hit.snippet


def test_thesaurus_expansion_finds_other_languages_and_says_so() -> None:
    ConceptFactory(
        code="sb-0138",
        pref=MultilingualText({"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}, "en"),
        alt={"ru": ["потеря костной ткани"]},
    )
    english = _record({"en": "Spaceflight bone loss in astronauts"})
    russian = _record({"ru": "Потеря костной ткани у космонавтов"})
    result = search(user=None, query="骨质流失")
    assert set(refs(result)) == {english.reference, russian.reference}
    [(code, labels)] = result.also_searched
    assert code == "sb-0138" and labels == {"en": "bone loss", "ru": "потеря костной массы"}


def test_pages_and_sorting() -> None:
    for year in range(2001, 2026):
        _record({"en": f"Radiation study {year}"}, published_on=date(year, 1, 1))
    first = search(user=None, query="radiation", size=10, sort="date")
    assert first.total == 25 and first.pages == 3 and len(first.hits) == 10
    assert [h.year for h in first.hits] == list(range(2025, 2015, -1))
    third = search(user=None, query="radiation", size=10, page=3, sort="date")
    assert [h.year for h in third.hits] == list(range(2005, 2000, -1))
    assert search(user=None, query="radiation", page=99).hits == []


def test_without_every_word_documents_with_more_of_them_come_first() -> None:
    rare = _record({"en": "Xylophone"})
    both = _record({"en": "Bone and muscle changes after a long flight in orbit"})
    for index in range(6):
        _record({"en": f"Bone study {index}"})
        _record({"en": f"Muscle study {index}"})
    result = search(user=None, query="bone muscle xylophone", mode="lexical")
    assert result.parsed.relaxed
    assert refs(result)[0] == both.reference  # two of the words, though the third is rarer
    assert rare.reference in refs(result)
