from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties import services
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

pytestmark = pytest.mark.django_db


def _party_fields(**overrides):  # type: ignore[no-untyped-def]
    fields = {"code": "ibmp", "name": MultilingualText({"ru": "Институт медико-биологических проблем РАН",
                                                       "en": "Institute of Biomedical Problems"}, "ru"),
              "short_name": "IBMP", "kind": Party.Kind.RESEARCH_INSTITUTE, "country": "RU", "parent": None,
              "website": "", "status": Party.Status.MEMBER}
    return fields | overrides


def test_secretariat_registers_a_party_with_one_audit_entry():
    officer = secretariat_user()
    party = services.party_create(by=officer, **_party_fields())
    assert party.name.get("ru").startswith("Институт")
    entry = AuditEntry.objects.get(verb="party.created")
    assert entry.object_ref == "party:ibmp" and entry.actor == officer


def test_a_member_may_not_register_parties():
    member = member_of(PartyFactory())
    with pytest.raises(PermissionDenied):
        services.party_create(by=member, **_party_fields())
    assert not Party.objects.filter(code="ibmp").exists()


def test_invalid_party_leaves_nothing_behind():
    officer = secretariat_user()
    with pytest.raises(ValidationError):
        services.party_create(by=officer, **_party_fields(country="XX"))
    assert not Party.objects.filter(code="ibmp").exists()
    assert not AuditEntry.objects.exists()


def test_a_party_cannot_become_its_own_ancestor():
    officer = secretariat_user()
    parent = services.party_create(by=officer, **_party_fields(code="ras", short_name="RAS"))
    child = services.party_create(by=officer, **_party_fields(parent=parent))
    with pytest.raises(ValidationError):
        services.party_update(party=parent, by=officer, parent=child)


def test_liaison_officer_edits_own_party_only():
    own, other = PartyFactory(), PartyFactory()
    officer = member_of(own, role="liaison_officer")
    services.party_update(party=own, by=officer, website="https://example.org")
    with pytest.raises(PermissionDenied):
        services.party_update(party=other, by=officer, website="https://example.org")


def test_person_names_in_three_scripts_are_found_by_any_of_them():
    officer = secretariat_user()
    services.person_create(by=officer, transliteration="Yang Liwei", names=[
        {"language": "zh", "text": "杨利伟"}, {"language": "en", "text": "Yang Liwei"}, {"language": "ru", "text": "Ян Ливэй"}])
    from spacebridge.parties.selectors import person_list

    for query in ("杨利伟", "yang liwei", "ЯН ЛИВЭЙ", "Liwei"):
        assert [p.transliteration for p in person_list(query=query)] == ["Yang Liwei"], query


def test_person_with_unknown_time_zone_is_refused():
    officer = secretariat_user()
    with pytest.raises(ValidationError) as error:
        services.person_create(by=officer, transliteration="X", names=[{"language": "en", "text": "X"}],
                               time_zone="Mars/Olympus")
    assert "time_zone" in error.value.message_dict
