"""A NUL character is refused at the door, the same on SQLite (which would store it) and PostgreSQL (which cannot):
400 and nothing written."""

from __future__ import annotations

import json

import pytest

from spacebridge.access.services import token_create
from spacebridge.audit.models import AuditEntry
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, secretariat_user

pytestmark = pytest.mark.django_db

MESSAGE = "The request contains a NUL character, which no text field accepts."


@pytest.fixture
def secretariat():  # type: ignore[no-untyped-def]
    return secretariat_user()


@pytest.fixture
def bearer(secretariat):  # type: ignore[no-untyped-def]
    _token, secret = token_create(user=secretariat, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _entries() -> int:
    return AuditEntry.objects.count()


def _party_form(**overrides):  # type: ignore[no-untyped-def]
    return {
        "code": "cnsa",
        "name_en": "China National Space Administration",
        "name_zh": "国家航天局",
        "name_ru": "",
        "name_original": "zh",
        "short_name": "CNSA",
        "kind": "space_agency",
        "country": "CN",
        "parent": "",
        "website": "",
        "status": "member",
    } | overrides


def _party_json(**overrides):  # type: ignore[no-untyped-def]
    return {
        "code": "cnsa",
        "name": {"original": "zh", "text": {"zh": "国家航天局"}},
        "short_name": "CNSA",
        "kind": "space_agency",
        "country": "CN",
    } | overrides


def assert_refused_page(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


def assert_refused_problem(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == MESSAGE


@pytest.mark.parametrize("query", ["q=%00", "q=Yang%00Liwei", "country=C%00N&q=x"])
def test_a_nul_in_the_query_string_of_a_page(client, query):
    assert_refused_page(client.get(f"/parties/?{query}"))


def test_a_nul_in_the_query_string_of_the_api(client):
    assert_refused_problem(client.get("/api/v1/parties/?q=%00"))


def test_a_nul_in_the_address(client):
    assert_refused_page(client.get("/parties/cn%00sa/"))


@pytest.mark.parametrize("field", ["short_name", "name_en", "website", "code"])
def test_a_nul_in_a_form_post_writes_nothing(client, secretariat, field):
    client.force_login(secretariat)
    before = _entries()
    response = client.post("/parties/new/", _party_form(**{field: "CN\x00SA"}))
    assert_refused_page(response)
    assert not Party.objects.exists()
    assert _entries() == before


def test_a_nul_in_a_multipart_form_post_writes_nothing(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/parties/new/", _party_form(short_name="CN\x00SA"), format="multipart")
    assert_refused_page(response)
    assert not Party.objects.exists()


def test_the_same_form_without_the_nul_goes_through(client, secretariat):
    client.force_login(secretariat)
    assert client.post("/parties/new/", _party_form()).status_code == 302
    assert Party.objects.filter(code="cnsa").exists()


@pytest.mark.parametrize(
    "payload",
    [
        _party_json(short_name="CN\x00SA"),
        _party_json(name={"original": "zh", "text": {"zh": "国家\x00航天局"}}),
        _party_json(website="https://example.org/\x00"),
        _party_json(**{"extra\x00key": "x"}),
    ],
    ids=["top-level", "nested", "url", "in-a-key"],
)
def test_a_nul_in_a_json_body_writes_nothing(client, bearer, payload):
    before = _entries()
    response = client.post("/api/v1/parties/", json.dumps(payload), content_type="application/json", **bearer)
    assert_refused_problem(response)
    assert not Party.objects.exists()
    assert _entries() == before


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/merge-patch+json", "application/json; charset=utf-8", ""]
)
def test_a_nul_in_a_json_body_is_refused_whatever_type_it_declares(client, bearer, content_type):
    """The API reads any body as JSON, so the guard must too: else PostgreSQL fails with a 500."""
    before = _entries()
    body = json.dumps(_party_json(short_name="CN\x00SA"))
    response = client.post("/api/v1/parties/", body, content_type=content_type, **bearer)
    assert_refused_problem(response)
    assert not Party.objects.exists()
    assert _entries() == before


def test_a_nul_in_a_json_patch_changes_nothing(client, bearer):
    party = PartyFactory(code="cnsa", short_name="CNSA")
    before = _entries()
    response = client.patch(
        f"/api/v1/parties/{party.code}",
        json.dumps({"short_name": "CN\x00SA"}),
        content_type="application/json",
        **bearer,
    )
    assert_refused_problem(response)
    party.refresh_from_db()
    assert party.short_name == "CNSA"
    assert _entries() == before
