"""The API tokens page: create a token and see its secret once, list and revoke your own, nobody else's."""

from __future__ import annotations

import re

import pytest

from spacebridge.access.models import ApiToken
from spacebridge.access.services import token_authenticate, token_create
from spacebridge.parties.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/access/tokens/"


@pytest.fixture
def user(client):  # type: ignore[no-untyped-def]
    user = UserFactory(username="liaison")
    client.force_login(user)
    return user


def _shown_secret(html: str) -> str | None:
    match = re.search(r'<code id="new-token">(sb_[^<]+)</code>', html)
    return match.group(1) if match else None


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_creating_a_token_shows_its_secret_once(client, user):
    response = client.post(PAGE, {"name": "nightly export"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = _shown_secret(response.content.decode())
    assert secret is not None
    assert token_authenticate(secret) == user

    again = client.get(PAGE).content.decode()
    assert _shown_secret(again) is None
    assert secret not in again
    token = ApiToken.objects.get(user=user)
    assert "nightly export" in again and f"{token.prefix}…" in again


def test_a_token_without_a_name_is_refused_with_the_field_error(client, user):
    response = client.post(PAGE, {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_that_expired_before_it_was_made_is_refused(client, user):
    response = client.post(PAGE, {"name": "old", "expires_at": "2001-01-01T00:00"})
    assert response.status_code == 400
    assert "The expiry must be in the future." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_your_own_tokens(client, user):
    token_create(user=user, name="my export")
    token_create(user=UserFactory(username="other"), name="someone else's export")
    html = client.get(PAGE).content.decode()
    assert "my export" in html
    assert "someone else" not in html


def test_revoking_your_token_ends_it(client, user):
    token, secret = token_create(user=user, name="nightly export")
    response = client.post(f"/access/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1] == (PAGE, 302)
    html = response.content.decode()
    assert "Token “nightly export” revoked." in html
    assert re.search(r"<td>\s*revoked\s*</td>", html)
    assert f'action="/access/tokens/{token.pk}/revoke/"' not in html  # nothing left to revoke
    assert token_authenticate(secret) is None


def test_someone_elses_token_cannot_be_revoked_and_looks_missing(client, user):
    theirs, secret = token_create(user=UserFactory(username="other"), name="their export")
    assert client.post(f"/access/tokens/{theirs.pk}/revoke/").status_code == 404
    assert token_authenticate(secret) is not None


def test_revoking_takes_a_post(client, user):
    token, _secret = token_create(user=user, name="nightly export")
    assert client.get(f"/access/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
