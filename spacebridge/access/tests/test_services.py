"""Personal API tokens: created hashed and shown once, checked on every request, revoked for good."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from spacebridge.access import selectors
from spacebridge.access.models import ApiToken
from spacebridge.access.services import TOKEN_PREFIX, token_authenticate, token_create, token_revoke
from spacebridge.audit.models import AuditEntry
from spacebridge.parties.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():  # type: ignore[no-untyped-def]
    return UserFactory(username="liaison")


def test_a_new_token_is_stored_as_a_hash_only(user):
    token, secret = token_create(user=user, name="nightly export")
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[: len(TOKEN_PREFIX) + 6]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert not any(secret in str(entry.changes) for entry in AuditEntry.objects.all())


def test_creating_a_token_is_audited_without_the_secret(user):
    token, _secret = token_create(user=user, name="nightly export")
    entry = AuditEntry.objects.get(verb="access.token_created")
    assert entry.actor == user
    assert entry.object_ref == f"token:{token.prefix}"
    assert entry.changes == {"name": "nightly export"}


def test_two_tokens_never_share_a_secret(user):
    secrets = {token_create(user=user, name=f"token {n}")[1] for n in range(5)}
    assert len(secrets) == 5


def test_the_secret_authenticates_its_user_and_stamps_its_use(user):
    token, secret = token_create(user=user, name="nightly export")
    assert token_authenticate(secret) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "secret",
    ["", "sb_unknown", "not-even-our-prefix", "sb_" + "x" * 300],
    ids=["empty", "unknown", "foreign", "too-long"],
)
def test_an_unknown_secret_authenticates_nobody(user, secret):
    token_create(user=user, name="nightly export")
    assert token_authenticate(secret) is None


def test_a_secret_with_one_character_changed_authenticates_nobody(user):
    _token, secret = token_create(user=user, name="nightly export")
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert token_authenticate(tampered) is None


def test_a_revoked_token_authenticates_nobody(user):
    token, secret = token_create(user=user, name="nightly export")
    token_revoke(token=token, by=user)
    assert token_authenticate(secret) is None
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_an_expired_token_authenticates_nobody(user):
    token, secret = token_create(user=user, name="nightly export", expires_at=timezone.now() + timedelta(days=30))
    assert token_authenticate(secret) == user
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert token_authenticate(secret) is None


def test_a_deactivated_accounts_token_authenticates_nobody(user):
    _token, secret = token_create(user=user, name="nightly export")
    user.is_active = False
    user.save()
    assert token_authenticate(secret) is None


def test_revoking_is_audited_once(user):
    token, _secret = token_create(user=user, name="nightly export")
    token_revoke(token=token, by=user)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    token_revoke(token=token, by=user)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEntry.objects.filter(verb="access.token_revoked").count() == 1


@pytest.mark.parametrize(
    ("name", "expires_in", "field"),
    [
        ("", None, "name"),
        ("   ", None, "name"),
        ("x" * 101, None, "name"),
        ("bad\x00name", None, "name"),
        ("nightly export", timedelta(minutes=-1), "expires_at"),
    ],
    ids=["empty", "blank", "too-long", "nul", "expired-already"],
)
def test_a_token_that_makes_no_sense_is_refused(user, name, expires_in, field):
    expires_at = timezone.now() + expires_in if expires_in else None
    with pytest.raises(ValidationError) as error:
        token_create(user=user, name=name, expires_at=expires_at)
    assert field in error.value.message_dict
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_user_lists_and_fetches_only_their_own_tokens(user):
    own, _ = token_create(user=user, name="mine")
    other_user = UserFactory(username="other")
    theirs, _ = token_create(user=other_user, name="theirs")
    assert list(selectors.token_list(user=user)) == [own]
    assert selectors.token_get_for_user(user=user, pk=own.pk) == own
    with pytest.raises(Http404):
        selectors.token_get_for_user(user=user, pk=theirs.pk)
