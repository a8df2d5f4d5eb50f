"""What every API answer shares: RFC 9457 problem details for errors, token or session authentication, and
cursor pagination that refuses a damaged cursor instead of failing."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from spacebridge.access.services import token_create
from spacebridge.core.api import decode_cursor, encode_cursor, keyset_page
from spacebridge.core.errors import ProblemError
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    """The response is an RFC 9457 problem with a human-readable detail."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and isinstance(body["title"], str)
    assert body["detail"] and isinstance(body["detail"], str)
    return body


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, secret = token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _party_payload(**overrides):  # type: ignore[no-untyped-def]
    return {
        "code": "cnes",
        "name": {"original": "fr", "text": {"fr": "Centre national d'études spatiales"}},
        "short_name": "CNES",
        "kind": "space_agency",
        "country": "FR",
    } | overrides


def test_an_unknown_object_is_a_404_problem(client):
    body = assert_problem(client.get("/api/v1/parties/no-such-party"), 404)
    assert body["title"] == "Not found"
    assert body["instance"] == "/api/v1/parties/no-such-party"


def test_an_unknown_api_address_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/no-such-thing/"), 404)


def test_a_malformed_body_is_a_422_problem_naming_each_field(client):
    headers = _bearer(secretariat_user())
    response = client.post(
        "/api/v1/parties/", _party_payload(kind=None, short_name=""), content_type="application/json", **headers
    )
    body = assert_problem(response, 422)
    assert body["title"] == "Invalid input"
    assert set(body["errors"]) >= {"kind", "short_name"}
    assert not Party.objects.filter(code="cnes").exists()


def test_a_refused_value_is_a_422_problem_with_the_services_message(client):
    headers = _bearer(secretariat_user())
    response = client.post("/api/v1/parties/", _party_payload(country="XX"), content_type="application/json", **headers)
    body = assert_problem(response, 422)
    assert "country" in body["errors"]
    assert body["detail"] == body["errors"]["country"][0]
    assert not Party.objects.filter(code="cnes").exists()


def test_a_query_parameter_of_the_wrong_type_is_a_422_problem(client):
    body = assert_problem(client.get("/api/v1/parties/", {"limit": "many"}), 422)
    assert "query.limit" in body["errors"]


def test_a_body_that_is_not_json_is_a_400_problem(client):
    headers = _bearer(secretariat_user())
    assert_problem(client.post("/api/v1/parties/", "{not json", content_type="application/json", **headers), 400)


def test_writing_without_signing_in_is_a_401_problem(client):
    body = assert_problem(client.post("/api/v1/parties/", _party_payload(), content_type="application/json"), 401)
    assert body["title"] == "Authentication required"
    assert not Party.objects.exists()


@pytest.mark.parametrize("header", ["Bearer sb_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "sb_token"])
def test_a_bad_authorization_header_is_a_401_problem(client, header):
    body = assert_problem(client.get("/api/v1/parties/", HTTP_AUTHORIZATION=header), 401)
    assert body["detail"] == "The API token is unknown, revoked or expired."


def test_a_member_without_the_permission_gets_a_403_problem(client):
    headers = _bearer(member_of(PartyFactory()))
    response = client.post("/api/v1/parties/", _party_payload(), content_type="application/json", **headers)
    body = assert_problem(response, 403)
    assert body["detail"] == "Only the secretariat registers parties."
    assert not Party.objects.filter(code="cnes").exists()


def test_a_session_write_needs_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat_user())
    response = browser.post("/api/v1/parties/", _party_payload(), content_type="application/json")
    body = assert_problem(response, 403)
    assert "CSRF" in body["detail"]
    assert not Party.objects.filter(code="cnes").exists()


def test_a_session_write_with_the_csrf_token_goes_through():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat_user())
    browser.get("/parties/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/parties/", json.dumps(_party_payload()), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content
    assert Party.objects.filter(code="cnes").exists()


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%not-base64%%%", _cursor("k"), _cursor("x12"), _cursor("kabc"), "gA", base64.b64encode(b"\xff\xfe").decode(),
        _cursor("k-5"), _cursor("k 12"), _cursor("k1_000"), _cursor("k١٢"), _cursor("k" + "9" * 41),
        _cursor("k" + "9" * 5000),
    ],
    ids=[
        "not-base64", "no-number", "wrong-prefix", "not-a-number", "truncated", "not-utf8", "negative", "space",
        "underscore", "other-digits", "too-long", "past-int-parsing",
    ],
)  # fmt: skip
def test_a_malformed_cursor_is_a_400_problem_not_a_server_error(client, cursor):
    PartyFactory()
    body = assert_problem(client.get("/api/v1/parties/", {"cursor": cursor}), 400)
    assert body["detail"] == "The cursor is not valid; start again from the first page."


def test_a_cursor_beyond_any_row_gives_an_empty_last_page(client):
    PartyFactory()
    response = client.get("/api/v1/parties/", {"cursor": encode_cursor(10**30)})
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("key", [2**63, 10**39])
@pytest.mark.parametrize("path", ["/api/v1/parties/", "/api/v1/records/", "/api/v1/records/concepts/"])
def test_a_cursor_past_what_a_column_holds_is_an_empty_page_on_every_database(client, path, key):
    PartyFactory()
    response = client.get(path, {"cursor": encode_cursor(key)})
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


def test_the_last_key_a_column_holds_still_pages():
    parties = [PartyFactory() for _ in range(2)]
    rows, cursor = keyset_page(Party.objects.all(), cursor=encode_cursor(parties[0].pk), limit=5)
    assert rows == [parties[1]] and cursor is None
    assert keyset_page(Party.objects.all(), cursor=encode_cursor(2**63 - 1), limit=5) == ([], None)


def test_cursors_round_trip():
    for value in (0, 1, 123456789):
        assert decode_cursor(encode_cursor(value)) == value
    assert decode_cursor(None) is None
    assert decode_cursor("") is None
    with pytest.raises(ProblemError):
        decode_cursor("!!")


def test_keyset_pages_walk_every_row_once_in_order():
    parties = [PartyFactory() for _ in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        rows, cursor = keyset_page(Party.objects.all(), cursor=cursor, limit=3)
        seen += rows
        pages += 1
        if cursor is None:
            break
    assert [p.pk for p in seen] == sorted(p.pk for p in parties)
    assert pages == 3


def test_an_exactly_full_last_page_has_no_next_cursor():
    for _ in range(3):
        PartyFactory()
    rows, cursor = keyset_page(Party.objects.all(), cursor=None, limit=3)
    assert len(rows) == 3 and cursor is None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_method_an_address_does_not_take_is_a_405_problem(client, method):
    response = getattr(client, method)("/api/v1/parties/", content_type="application/json")
    body = assert_problem(response, 405)
    assert body["title"] == "Method not allowed"
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert "GET" in body["detail"] and "POST" in body["detail"]
