"""The release form behind "who can see this": the owner party's liaison officer decides, everyone reads why."""

from __future__ import annotations

import pytest

from spacebridge.access.models import ReleasePolicy
from spacebridge.audit.models import AuditEntry
from spacebridge.parties.tests.factories import AffiliationFactory, PartyFactory, PersonFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():  # type: ignore[no-untyped-def]
    ibmp = PartyFactory(code="ibmp", country="RU")
    gctc = PartyFactory(code="gctc", country="RU")
    nasa = PartyFactory(code="nasa", country="US")
    person = PersonFactory(transliteration="Natalia Volkova")
    AffiliationFactory(person=person, party=ibmp)
    return {"ibmp": ibmp, "gctc": gctc, "nasa": nasa, "person": person,
            "officer": member_of(ibmp, role="liaison_officer"), "russian": member_of(gctc),
            "american": member_of(nasa)}


def _release(client, person, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/access/release/parties.person/{person.pk}/", data)


def test_release_to_a_delegation_reaches_that_delegation_only(client, cast):
    client.force_login(cast["officer"])
    response = _release(client, cast["person"], level="parties", countries=["RU"], marking="none",
                        reason="Russian counterparts only")
    assert response.status_code == 302
    client.force_login(cast["russian"])
    page = client.get(f"/parties/people/{cast['person'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "delegation of Russia" in text and "Russian counterparts only" in text
    client.force_login(cast["american"])
    assert client.get(f"/parties/people/{cast['person'].pk}/").status_code == 404
    assert "Natalia Volkova" not in client.get("/parties/people/").content.decode()
    assert AuditEntry.objects.filter(verb="access.released", object_id=str(cast["person"].pk)).count() == 1


def test_only_the_owner_party_officer_may_decide(client, cast):
    client.force_login(cast["russian"])
    assert _release(client, cast["person"], level="owner", marking="none").status_code == 403
    assert not ReleasePolicy.objects.exists()


def test_controlled_release_beyond_owner_is_refused_with_the_reason(client, cast):
    client.force_login(cast["officer"])
    response = _release(client, cast["person"], level="platform", marking="controlled", legal_basis="Export law")
    assert response.status_code == 400
    assert "never released beyond its owner party" in response.content.decode()
    assert not ReleasePolicy.objects.exists()


def test_dual_use_waits_for_the_export_officer(client, cast):
    client.force_login(cast["officer"])
    _release(client, cast["person"], level="platform", marking="dual-use", legal_basis="Wassenaar 1.A")
    client.force_login(cast["american"])
    assert client.get(f"/parties/people/{cast['person'].pk}/").status_code == 404
    export_officer = member_of(cast["ibmp"], role="export_officer")
    client.force_login(export_officer)
    assert "Approve this dual-use release" in client.get(f"/parties/people/{cast['person'].pk}/").content.decode()
    assert client.post(f"/access/release/parties.person/{cast['person'].pk}/approve/").status_code == 302
    client.force_login(cast["american"])
    assert client.get(f"/parties/people/{cast['person'].pk}/").status_code == 200


def test_unknown_kind_or_invisible_object_is_not_found(client, cast):
    client.force_login(cast["officer"])
    assert client.get("/access/release/auth.user/1/").status_code == 404
    assert client.get("/access/release/parties.person/999999/").status_code == 404


def test_a_record_is_released_on_its_own_page_never_through_the_generic_form(client, cast):
    from spacebridge.access.models import Level
    from spacebridge.records.models import ReleaseDecision
    from spacebridge.records.tests.factories import shared_record

    record = shared_record(owner_party=cast["ibmp"], level=Level.PLATFORM)
    decisions = ReleaseDecision.objects.filter(record=record).count()
    policy = ReleasePolicy.objects.get(object_id=record.pk, content_type__model="record")
    client.force_login(cast["officer"])
    own_page = f"/records/{record.reference}/release/"
    form = client.get(f"/access/release/records.record/{record.pk}/")
    assert (form.status_code, form["Location"]) == (302, own_page)
    posted = client.post(
        f"/access/release/records.record/{record.pk}/", {"level": "public", "marking": "none", "reason": "quietly"}
    )
    approved = client.post(f"/access/release/records.record/{record.pk}/approve/")
    assert (posted.status_code, posted["Location"]) == (302, own_page)
    assert (approved.status_code, approved["Location"]) == (302, own_page)
    policy.refresh_from_db()
    assert policy.level == Level.PLATFORM
    assert ReleaseDecision.objects.filter(record=record).count() == decisions
    assert not AuditEntry.objects.filter(verb="access.released", object_id=str(record.pk), changes__reason="quietly")
    assert not AuditEntry.objects.filter(verb="access.released", object_id=str(record.pk)).exclude(changes__reason="")
    # The record's own page takes the decision and logs it on the record.
    client.post(own_page, {"level": "public", "marking": "none", "reason": "open to all"})
    policy.refresh_from_db()
    assert policy.level == Level.PUBLIC
    assert ReleaseDecision.objects.filter(record=record, reason="open to all").exists()


def test_a_record_someone_may_not_see_is_not_found_on_the_generic_form(client, cast):
    from spacebridge.records.tests.factories import shared_record

    record = shared_record(owner_party=cast["ibmp"], level="owner", marking="controlled")
    client.force_login(cast["american"])
    assert client.get(f"/access/release/records.record/{record.pk}/").status_code == 404
