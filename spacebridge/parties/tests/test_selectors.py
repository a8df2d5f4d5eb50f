"""Reading parties and people: names in any script, filters, delegations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties import selectors
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import AffiliationFactory, PartyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():  # type: ignore[no-untyped-def]
    return {
        "cmsa": PartyFactory(
            code="cmsa",
            short_name="CMSA",
            country="CN",
            kind=Party.Kind.SPACE_AGENCY,
            name=MultilingualText({"zh": "中国载人航天工程办公室", "en": "China Manned Space Agency"}, "zh"),
        ),
        "buaa": PartyFactory(
            code="buaa",
            short_name="BUAA",
            country="CN",
            kind=Party.Kind.UNIVERSITY,
            name=MultilingualText({"zh": "北京航空航天大学", "en": "Beihang University"}, "zh"),
        ),
        "ibmp": PartyFactory(
            code="ibmp",
            short_name="IBMP",
            country="RU",
            kind=Party.Kind.RESEARCH_INSTITUTE,
            name=MultilingualText(
                {"ru": "Институт медико-биологических проблем", "en": "Institute of Biomedical Problems"}, "ru"
            ),
        ),
        "cast": PartyFactory(
            code="cast",
            short_name="CAST",
            country="CN",
            kind=Party.Kind.RESEARCH_INSTITUTE,
            status=Party.Status.OBSERVER,
            name=MultilingualText({"en": "China Academy of Space Technology"}, "en"),
        ),
    }


def _codes(queryset) -> set[str]:  # type: ignore[no-untyped-def]
    return {party.code for party in queryset}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("中国载人航天", {"cmsa"}),
        ("Beihang", {"buaa"}),
        ("beihang UNIVERSITY", {"buaa"}),
        ("институт", {"ibmp"}),
        ("ИНСТИТУТ МЕДИКО", {"ibmp"}),
        ("ibmp", {"ibmp"}),
        ("China", {"cmsa", "cast"}),
        ("", {"cmsa", "buaa", "ibmp", "cast"}),
        ("   ", {"cmsa", "buaa", "ibmp", "cast"}),
        ("NASA", set()),
    ],
)
def test_parties_are_found_by_a_name_in_any_script(parties, query, expected):
    assert _codes(selectors.party_list(query=query)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "ru"}, {"ibmp"}),
        ({"country": "CN"}, {"cmsa", "buaa", "cast"}),
        ({"kind": Party.Kind.RESEARCH_INSTITUTE}, {"ibmp", "cast"}),
        ({"status": Party.Status.OBSERVER}, {"cast"}),
        ({"country": "CN", "kind": Party.Kind.RESEARCH_INSTITUTE}, {"cast"}),
        ({"country": "CN", "query": "university"}, {"buaa"}),
    ],
)
def test_party_filters_combine(parties, filters, expected):
    assert _codes(selectors.party_list(**filters)) == expected


def test_the_delegations_are_the_countries_with_parties(parties):
    assert selectors.party_countries() == ["CN", "RU"]
    assert _codes(selectors.delegation_parties(country="cn")) == {"cmsa", "buaa", "cast"}
    assert selectors.delegation_summary() == [
        {"country": "CN", "parties": 3, "members": 2},
        {"country": "RU", "parties": 1, "members": 1},
    ]


@pytest.fixture
def yang_liwei():  # type: ignore[no-untyped-def]
    return PersonFactory(
        transliteration="Yang Liwei",
        names=[
            {"language": "zh", "text": "杨利伟"},
            {"language": "en", "text": "Yang Liwei"},
            {"language": "ru", "text": "Ян Ливэй"},
        ],
    )


@pytest.mark.parametrize("query", ["杨利伟", "Yang Liwei", "Ян Ливэй", "yangliwei", "LIWEI", "ливэй", "利伟"])
def test_a_name_in_any_script_finds_the_person(yang_liwei, query):
    PersonFactory(transliteration="Valeri Polyakov", names=[{"language": "ru", "text": "Валерий Поляков"}])
    assert list(selectors.person_list(query=query)) == [yang_liwei]


def test_a_name_nobody_has_finds_nobody(yang_liwei):
    assert list(selectors.person_list(query="Gagarin")) == []


def test_people_of_a_party_now_or_ever(parties, yang_liwei):
    former = PersonFactory(transliteration="Former Member")
    AffiliationFactory(person=yang_liwei, party=parties["cmsa"])
    AffiliationFactory(
        person=former,
        party=parties["cmsa"],
        start=date.today() - timedelta(days=900),
        end=date.today() - timedelta(days=30),
    )
    assert set(selectors.person_list(party=parties["cmsa"])) == {yang_liwei, former}
    assert list(selectors.person_list(party=parties["cmsa"], current_only=True)) == [yang_liwei]
    assert list(selectors.person_list(party=parties["ibmp"])) == []
