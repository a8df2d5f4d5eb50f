from __future__ import annotations

import pytest
from django.test import Client

from spacebridge.agreements.models import Agreement
from spacebridge.agreements.tests.factories import cast, drafted
from spacebridge.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_back_office_lists_agreements_and_changes_terms_through_the_service() -> None:
    world = cast()
    agreement = drafted(world)
    world.secretariat.is_staff = True
    world.secretariat.save()
    client = Client()
    client.force_login(world.secretariat)
    assert agreement.reference in client.get("/admin/agreements/agreement/").content.decode()
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "entry_into_force": "last_signature",
        "term_months": "24",
        "notice_days": "",
        "expires_on": "",
        "entry_into_force_on": "",
        "renewal_term_months": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("parties", "texts", "commitments")
            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    data["parties-TOTAL_FORMS"] = data["parties-INITIAL_FORMS"] = str(agreement.parties.count())
    data["texts-TOTAL_FORMS"] = data["texts-INITIAL_FORMS"] = str(agreement.texts.count())
    for i, ap in enumerate(agreement.parties.all()):
        data[f"parties-{i}-id"] = ap.pk
        data[f"parties-{i}-agreement"] = agreement.pk
    for i, text in enumerate(agreement.texts.all()):
        data[f"texts-{i}-id"] = text.pk
        data[f"texts-{i}-agreement"] = agreement.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    assert agreement.term_months == 24
    assert AuditEntry.objects.filter(verb="agreement.updated", object_ref=agreement.reference).exists()
    member = world.members[0]
    member.is_staff = True
    member.save()
    other = Client()
    other.force_login(member)  # staff, but no officer of the parties: the draft is not in their back office
    assert agreement.reference not in other.get("/admin/agreements/agreement/").content.decode()
    assert other.get(url).status_code in {302, 404}
    assert Agreement.objects.get(pk=agreement.pk).term_months == 24
