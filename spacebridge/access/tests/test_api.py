"""API tokens over the API: `Authorization: Bearer` opens the same doors as the owner's session, no more."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from spacebridge.access.models import ApiToken
from spacebridge.access.services import token_create, token_revoke
from spacebridge.parties.tests.factories import PartyFactory, PersonFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/access/tokens/"
PEOPLE = "/api/v1/parties/people/"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def assert_401(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Authentication required" and body["detail"]


@pytest.fixture
def member():  # type: ignore[no-untyped-def]
    return member_of(PartyFactory(code="ibmp", country="RU"), username="liaison")


def test_a_signed_in_member_creates_a_token_and_sees_its_secret_once(client, member):
    client.force_login(member)
    response = client.post(TOKENS, json.dumps({"name": "nightly export"}), content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("sb_")
    assert created["prefix"] == created["token"][:9]
    assert created["active"] is True

    listed = Client().get(TOKENS, **bearer(created["token"]))
    assert listed.status_code == 200
    assert [(t["id"], t["name"]) for t in listed.json()] == [(created["id"], "nightly export")]
    assert "token" not in listed.json()[0]  # the secret is never shown again


def test_a_token_sees_the_people_its_owner_sees(client, member):
    PersonFactory(transliteration="Yang Liwei")
    _token, secret = token_create(user=member, name="directory sync")
    with_token = client.get(PEOPLE, {"q": "Yang"}, **bearer(secret))
    assert with_token.status_code == 200
    assert [p["transliteration"] for p in with_token.json()["items"]] == ["Yang Liwei"]
    anonymous = Client().get(PEOPLE, {"q": "Yang"})
    assert anonymous.json()["items"] == []  # the directory of people is for members only


def test_a_revoked_token_gets_401(client, member):
    token, secret = token_create(user=member, name="nightly export")
    token_revoke(token=token, by=member)
    assert_401(client.get(TOKENS, **bearer(secret)))
    assert_401(client.get(PEOPLE, **bearer(secret)))


def test_an_expired_token_gets_401(client, member):
    token, secret = token_create(user=member, name="nightly export", expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(PEOPLE, **bearer(secret))
    assert_401(response)
    assert response.json()["detail"] == "The API token is unknown, revoked or expired."


def test_a_deactivated_accounts_token_gets_401(client, member):
    _token, secret = token_create(user=member, name="nightly export")
    member.is_active = False
    member.save()
    assert_401(client.get(TOKENS, **bearer(secret)))


def test_listing_tokens_needs_a_member(client):
    assert_401(client.get(TOKENS))


def test_revoking_your_own_token_over_the_api(client, member):
    token, secret = token_create(user=member, name="nightly export")
    response = client.delete(f"{TOKENS}{token.pk}", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["revoked_at"]
    assert_401(client.get(TOKENS, **bearer(secret)))


def test_another_users_token_is_invisible_and_cannot_be_revoked(client, member):
    _mine, my_secret = token_create(user=member, name="mine")
    theirs, their_secret = token_create(user=UserFactory(username="other"), name="theirs")

    listed = client.get(TOKENS, **bearer(my_secret)).json()
    assert [t["name"] for t in listed] == ["mine"]
    response = client.delete(f"{TOKENS}{theirs.pk}", **bearer(my_secret))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert client.get(TOKENS, **bearer(their_secret)).status_code == 200


def test_a_token_request_without_a_name_is_a_422_problem(client, member):
    _token, secret = token_create(user=member, name="admin")
    response = client.post(TOKENS, json.dumps({"name": ""}), content_type="application/json", **bearer(secret))
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    assert ApiToken.objects.count() == 1
