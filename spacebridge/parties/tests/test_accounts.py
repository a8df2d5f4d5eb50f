"""Inviting a person to sign in and giving them roles, from the person page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from spacebridge.audit.models import AuditEntry
from spacebridge.parties.models import Role, RoleAssignment
from spacebridge.parties.permissions import Perm, has_perm
from spacebridge.parties.tests.factories import (
    AffiliationFactory,
    PartyFactory,
    PersonFactory,
    member_of,
    secretariat_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(client, settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    party = PartyFactory(code="ibmp")
    person = PersonFactory(transliteration="Natalia Volkova", email="volkova@example.org")
    AffiliationFactory(person=person, party=party)
    client.force_login(secretariat_user())
    with_commit = client.post(f"/parties/people/{person.pk}/invite/", {"username": "volkova"})
    assert with_commit.status_code == 302
    person.refresh_from_db()
    return person, party


def test_invitation_links_an_account_and_mails_a_set_password_link(invited, client, django_capture_on_commit_callbacks):
    person, _party = invited
    assert person.user.username == "volkova" and not person.user.has_usable_password()
    assert AuditEntry.objects.filter(verb="person.invited", object_id=str(person.pk)).exists()


def test_invitation_mail_is_sent_after_commit(client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = PersonFactory(email="orlov@example.org")
    client.force_login(secretariat_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/parties/people/{person.pk}/invite/", {"username": "orlov"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["orlov@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200 and b"new_password1" in page.content


def test_secretariat_assigns_and_revokes_a_party_role(invited, client):
    person, party = invited
    role = Role.objects.get(code="liaison_officer")
    response = client.post(f"/parties/people/{person.pk}/roles/", {"role": role.pk, "party": party.pk})
    assert response.status_code == 302
    assert has_perm(person.user, Perm.RELEASE_DECIDE, party)
    assignment = RoleAssignment.objects.get(user=person.user)
    client.post(f"/parties/people/{person.pk}/roles/{assignment.pk}/revoke/")
    person.user._sb_assignments = None
    assert not RoleAssignment.objects.filter(user=person.user).exists()
    assert list(AuditEntry.objects.filter(verb__startswith="role.").values_list("verb", flat=True)) == [
        "role.assigned", "role.revoked"]


def test_party_role_without_party_is_refused_with_a_message(invited, client):
    person, _party = invited
    role = Role.objects.get(code="liaison_officer")
    response = client.post(f"/parties/people/{person.pk}/roles/", {"role": role.pk})
    assert response.status_code == 400
    assert "choose the party" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=person.user).exists()


def test_a_member_cannot_invite_or_assign(client):
    party = PartyFactory()
    person = PersonFactory(email="x@example.org")
    AffiliationFactory(person=person, party=party)
    client.force_login(member_of(party))
    assert client.post(f"/parties/people/{person.pk}/invite/", {"username": "x"}).status_code == 403
    person.refresh_from_db()
    assert person.user is None


def test_people_edit_their_own_profile(client):
    party = PartyFactory()
    user = member_of(party, transliteration="Chen Jing")
    person = user.person
    client.force_login(user)
    response = client.post(f"/parties/people/{person.pk}/edit/", {
        "name_zh": "陈静", "name_en": "Chen Jing", "original_script": "zh", "transliteration": "Chen Jing",
        "email": "chen@example.org", "time_zone": "Europe/Moscow", "languages": ["zh", "ru"]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "Europe/Moscow" and person.names[0] == {"language": "zh", "text": "陈静"}
