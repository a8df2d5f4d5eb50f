"""The search page: results, facets as links, "also searched", pages, and bad parameters answered with 400."""

from __future__ import annotations

import pytest
from django.test import Client

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.tests.factories import ConceptFactory, shared_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> list:  # type: ignore[type-arg]
    ConceptFactory(
        code="sb-0138",
        pref=MultilingualText({"en": "bone loss", "zh": "骨质流失", "ru": "потеря костной массы"}, "en"),
    )
    return [
        shared_record(title=MultilingualText({"en": "Bone loss after long missions"}, "en")),
        shared_record(title=MultilingualText({"ru": "Потеря костной массы у космонавтов"}, "ru"), type="dataset"),
    ]


def test_the_page_searches_across_languages_and_says_what_else_it_searched(records: list) -> None:  # type: ignore[type-arg]
    response = Client().get("/search/", {"q": "骨质流失"})
    page = response.content.decode()
    assert response.status_code == 200
    assert all(record.reference in page for record in records)
    assert "Also searched:" in page and "bone loss" in page and "потеря костной массы" in page
    assert "<mark>" in page
    assert "2 results" in page


def test_facets_are_links_that_narrow_the_results(records: list) -> None:  # type: ignore[type-arg]
    client = Client()
    page = client.get("/search/", {"q": "bone loss"})
    facet = next(
        link
        for name, _label, links in page.context["facets"]
        if name == "type"
        for link in links
        if link.label == "Dataset"
    )
    assert facet.count == 1 and "type=dataset" in facet.url
    narrowed = client.get("/search/" + facet.url).content.decode()
    assert records[1].reference in narrowed and records[0].reference not in narrowed
    assert 'aria-current="true"' in narrowed


def test_an_empty_search_shows_the_form_only() -> None:
    response = Client().get("/search/")
    assert response.status_code == 200 and response.context["result"] is None
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "magic"},
        {"sort": "random"},
        {"page": "0"},
        {"page": "x"},
        {"size": "1000"},
        {"level": "secret"},
        {"year": "20x4"},
    ],
)
def test_bad_parameters_are_a_400_with_a_message(params: dict[str, str]) -> None:
    response = Client().get("/search/", {"q": "bone", **params})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
