from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spacebridge.agreements import services, signatures
from spacebridge.agreements.models import TRANSITIONS, Agreement, AgreementText, Signature, Status
from spacebridge.agreements.selectors import text_states
from spacebridge.agreements.tests.factories import EN, cast, drafted
from spacebridge.audit.models import AuditEntry
from spacebridge.core.multilingual import MultilingualText

pytestmark = pytest.mark.django_db

ALL = [
    (before, after, after in TRANSITIONS[before])
    for before in Status.values
    for after in Status.values
    if before != after
]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return cast()


def _in_status(world, status: str) -> Agreement:  # type: ignore[no-untyped-def]
    agreement = drafted(world, texts={"en": EN})
    for ap in agreement.parties.all():  # everybody signed on paper: the precondition of "signed"
        Signature.objects.create(
            agreement_party=ap, kind=Signature.Kind.WET_INK, signed_by="x", signed_at=timezone.now(), place="Wenchang"
        )
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    return agreement


@pytest.mark.parametrize(("before", "after", "allowed"), ALL)
def test_every_transition_is_allowed_or_refused(world, before: str, after: str, allowed: bool) -> None:  # type: ignore[no-untyped-def]
    agreement = _in_status(world, before)
    other = drafted(world, texts={}) if after == Status.SUPERSEDED else None
    entries = AuditEntry.objects.count()
    if allowed:
        services.agreement_transition(agreement=agreement, by=world.secretariat, to=after, superseded_by=other)
        agreement.refresh_from_db()
        # signing an agreement that enters into force on its last signature goes straight on into force
        assert agreement.status == (Status.IN_FORCE if after == Status.SIGNED else after)
        assert AuditEntry.objects.filter(verb="agreement.status_changed").count() >= 1
    else:
        with pytest.raises(ValidationError) as refused:
            services.agreement_transition(agreement=agreement, by=world.secretariat, to=after, superseded_by=other)
        assert "cannot go from" in str(refused.value)
        agreement.refresh_from_db()
        assert agreement.status == before
        assert AuditEntry.objects.count() == entries


def test_unknown_status_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    with pytest.raises(ValidationError):
        services.agreement_transition(agreement=agreement, by=world.secretariat, to="ratified")


def test_signed_needs_every_party_signature(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    with pytest.raises(ValidationError, match="Every party must sign"):
        services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.SIGNED)


def test_references_count_per_type_and_year(world) -> None:  # type: ignore[no-untyped-def]
    first, second = drafted(world, texts={}), drafted(world, texts={})
    assert (first.reference, second.reference) == ("MOU-2018-001", "MOU-2018-002")
    letter = services.agreement_create(
        by=world.secretariat,
        type="loi",
        title=MultilingualText({"en": "Intent"}),
        lead_party=world.parties[0],
        parties=world.parties[:2],
        year=2019,
    )
    assert letter.reference == "LOI-2019-001"


def test_two_parties_at_least_and_valid_terms(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="at least two parties"):
        services.agreement_create(
            by=world.secretariat,
            type="mou",
            title=MultilingualText({"en": "x"}),
            lead_party=world.parties[0],
            parties=[],
        )
    with pytest.raises(ValidationError):
        services.agreement_create(
            by=world.secretariat,
            type="mou",
            title=MultilingualText({"en": "x"}),
            lead_party=world.parties[0],
            parties=world.parties,
            entry_into_force="date",
        )
    assert not Agreement.objects.exists()


def test_member_cannot_draft_and_officer_can_for_own_party(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            by=world.members[0],
            type="mou",
            title=MultilingualText({"en": "x"}),
            lead_party=world.parties[0],
            parties=world.parties,
        )
    agreement = services.agreement_create(
        by=world.officers[0],
        type="mou",
        title=MultilingualText({"en": "x"}),
        lead_party=world.parties[0],
        parties=world.parties,
    )
    assert agreement.parties.count() == 3


def test_a_changed_language_flags_the_others_until_confirmed(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    assert not any(s.out_of_step for s in text_states(agreement))
    services.text_version_add(
        agreement=agreement,
        by=world.officers[1],
        language="en",
        body=EN.replace("three months", "six months"),
        note="six months",
    )
    flagged = {s.text.language for s in text_states(agreement) if s.out_of_step}
    assert flagged == {"zh", "ru"}
    services.text_confirm(text=AgreementText.objects.get(agreement=agreement, language="zh"), by=world.officers[0])
    flagged = {s.text.language for s in text_states(agreement) if s.out_of_step}
    assert flagged == {"ru"}
    with pytest.raises(ValidationError, match="already in step"):
        services.text_confirm(text=AgreementText.objects.get(agreement=agreement, language="en"), by=world.officers[0])


def test_versions_are_numbered_and_parsed(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    version = services.text_version_add(
        agreement=agreement,
        by=world.secretariat,
        language="en",
        body=EN + "\n## Article 4 Term\n\nFive years.\n",
        kind="authentic",
    )
    assert version.number == 2
    assert [a.key for a in version.articles.all()] == ["preamble", "1", "2", "3", "4"]
    with pytest.raises(ValidationError, match="same as its current"):
        services.text_version_add(agreement=agreement, by=world.secretariat, language="en", body=version.body)
    with pytest.raises(ValidationError):
        services.text_version_add(agreement=agreement, by=world.secretariat, language="xx", body="Article 1")


def test_outsider_cannot_change_texts(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    outsider = cast.__globals__["member_of"](cast.__globals__["PartyFactory"](code="other"), role="liaison_officer")
    with pytest.raises(PermissionDenied):
        services.text_version_add(agreement=agreement, by=outsider, language="en", body=EN + "x")


def test_wet_ink_signatures_sign_and_bring_into_force_on_the_date(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world, entry_into_force="date", entry_into_force_on=date(2030, 1, 1), term_months=60)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    for officer, ap in zip(world.officers, agreement.parties.all(), strict=True):
        signatures.signature_record_wet_ink(
            agreement_party=ap, by=officer, signed_by="Minister", signed_at=timezone.now(), place="Wenchang"
        )
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    from spacebridge.agreements.deadlines import run_daily

    run_daily(today=date(2030, 1, 1))
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert agreement.expires_on == date(2035, 1, 1)


def test_texts_freeze_once_a_party_signed(world) -> None:  # type: ignore[no-untyped-def]
    agreement = drafted(world)
    services.agreement_transition(agreement=agreement, by=world.secretariat, to=Status.NEGOTIATION)
    ap = agreement.parties.first()
    signatures.signature_record_wet_ink(
        agreement_party=ap, by=world.officers[0], signed_by="A", signed_at=timezone.now(), place="Beijing"
    )
    with pytest.raises(ValidationError, match="already signed"):
        services.text_version_add(agreement=agreement, by=world.secretariat, language="en", body=EN + "more")
