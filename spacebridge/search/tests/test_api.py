"""GET /api/v1/search/: the same search as JSON, problem details for bad parameters, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacebridge.core.multilingual import MultilingualText
from spacebridge.records.tests.factories import shared_record

pytestmark = pytest.mark.django_db


def test_results_hold_ref_type_title_and_facets() -> None:
    record = shared_record(title=MultilingualText({"en": "Bone loss in microgravity"}, "en"))
    response = Client().get("/api/v1/search/", {"q": "bone", "mode": "lexical"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["mode"] == "lexical"
    [hit] = body["results"]
    assert (hit["ref"], hit["type"], hit["title"]) == (record.reference, "publication", "Bone loss in microgravity")
    assert "<mark>Bone</mark>" not in hit["title"]
    assert body["facets"]["type"] == [{"value": "publication", "label": "Publication", "count": 1, "selected": False}]


def test_hits_only_leave_out_the_counts() -> None:
    for n in range(3):
        shared_record(title=MultilingualText({"en": f"Bone study {n}"}, "en"))
    body = Client().get("/api/v1/search/", {"q": "bone", "facets": "0", "size": "2"}).json()
    assert len(body["results"]) == 2 and body["total"] is None and body["facets"] == {}
    last = Client().get("/api/v1/search/", {"q": "bone", "facets": "0", "size": "2", "page": "2"}).json()
    assert len(last["results"]) == 1 and last["total"] == 3  # the last page knows the total without counting


def test_bad_parameters_answer_problem_details() -> None:
    response = Client().get("/api/v1/search/", {"q": "bone", "mode": "magic", "page": "-1"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == {"mode", "page"}


PIECES = [*"ab骨质流失кость \"*-:()\\'^.,;\x00", "type:", "year:", "lang:", "subject:", " OR ", "NOT", "AND", "bone"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=30))
def test_any_query_text_searches_and_never_fails(text: str) -> None:
    response = Client().get("/api/v1/search/", {"q": text})
    # NUL characters are refused at the door for every request of the platform (a 400), everything else searches.
    assert response.status_code == (400 if "\x00" in text else 200), text
